"""Printed papers as PDF, typeset after GB/T 9704-2012 (no Qt here)."""
