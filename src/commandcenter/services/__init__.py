"""Services: every rule of domain.md is enforced here, for the GUI, the CLI and tests alike.

Each service function takes the session of the current unit of work and the acting user, checks
the permission, does the work and writes the audit record in the same transaction.
"""
