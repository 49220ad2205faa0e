"""Year-end assessment (考核): schemes, the figures they score, and the sheets."""
