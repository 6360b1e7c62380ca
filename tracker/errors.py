"""Errors a user can act on. Each carries a one-line message; the CLI prints it and exits."""


class TrackerError(Exception):
    """Base of every expected failure. `exit_code` is what the CLI returns."""

    exit_code = 1


class UsageError(TrackerError):
    """Bad input from the command line: an unknown type, modality, date."""

    exit_code = 2


class StoreError(TrackerError):
    """The store cannot be opened or used as asked."""


class ConflictError(StoreError):
    """An append's expected version did not match the stream's current version."""


class DuplicateEventError(StoreError):
    """A batch mixes events already stored with new ones: it is neither new nor a replay."""


class SchemaTooNewError(StoreError):
    """The database was migrated by a newer tracker than this one."""
