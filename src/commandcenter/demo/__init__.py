"""Demo data: a realistic street, deterministic for a seed, at any size."""
