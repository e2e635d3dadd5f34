"""Test-suite configuration shared by every folder."""

# Scripts that produced the frozen reference values are kept beside the numbers; they are
# not tests and must not run on collection.
collect_ignore_glob = ["reference/*"]
