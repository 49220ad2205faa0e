"""Dialogs: sign-in, first-run setup, PDF preview."""
