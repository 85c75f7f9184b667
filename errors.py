"""Named library errors; the CLI translates each once into an exit code (DESIGN.md)."""

from __future__ import annotations


class GgzyError(Exception):
    """Base: a user-facing one-sentence message. Exit code 2 unless a subclass says otherwise."""

    exit_code = 2


class UsageError(GgzyError):
    """Bad option, bad period, unknown name."""


class InputError(GgzyError):
    """An input file that cannot be read (missing, not a workbook, no header, bad YAML)."""


class LedgerError(GgzyError):
    """The ledger cannot be opened or written."""


class PeriodClosedError(GgzyError):
    """A change touches a closed period (a finding: exit 1)."""

    exit_code = 1
