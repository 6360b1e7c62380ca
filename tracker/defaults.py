"""Defaults shared by the domain and the CLI, in a module that imports nothing, so that a
command's --help can show them without loading the code that uses them."""

RECENT = 100  # timeline entries shown and exported by default: the most recent ones
