"""Long work (register imports; next the indicator rebuild and the annual report) run by a
worker process from a database queue, with one progress per job that any process can read.
See README.md."""
