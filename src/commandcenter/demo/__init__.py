"""Demo data: a realistic street, deterministic for a seed, at any size.

The demo's accounts are named here, apart from the generator, so that opening a demo database
does not import the generator and everything it builds with."""

DEMO_PASSWORD = "demo-1234"
DEMO_LEADER = "leader"
