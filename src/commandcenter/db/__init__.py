"""Storage: the data model, the engine, migrations and backups (no Qt here)."""
