"""The Qt shell over the core. Nothing in the core imports from here."""
