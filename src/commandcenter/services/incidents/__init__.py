"""The incident queue: intake, triage, dispatch and everything after, as service calls.

Every step goes through :mod:`.workflow`, which holds the state machine: which step is open in
which status and to which role. A step checks the role, the status and the version the user
saw, does its work, and writes one timeline event and one audit record in the same transaction
(R11). The UI asks :func:`.workflow.available_steps` which buttons to offer, from the same table.
"""
