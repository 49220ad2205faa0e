from commandcenter.cli import main

# Guarded: the processes the year-end export spawns import the main module again.
if __name__ == "__main__":
    raise SystemExit(main())
