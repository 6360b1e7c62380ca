"""tracker: an event-sourced timeline tracker for ongoing negotiations."""

__version__ = "0.1.0"
