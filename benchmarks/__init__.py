"""Performance benchmarks: each figure against the limit the stack allows, measured in the same
run. Not part of the test suite; run with `bash scripts/bench.sh`."""
