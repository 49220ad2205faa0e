"""Excel in and out: imports that are all or nothing with a row-by-row report, and safe exports."""
