"""The project's check tools (`make check`); see tools/run_checks.py."""
