"""The `tracker` command line: one module per group of commands, registered in app.py."""
