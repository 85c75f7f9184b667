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


class FoundSomething(Exception):  # a signal, not an error: the run itself succeeded
    """The command ran and found something (quarantined rows, conflicts, discrepancies, failed expectations,
    a broken chain, figures to review). Its output has already said what: the CLI exits 1 and adds nothing.

    The one way a command asks for exit 1 (DESIGN.md exit codes); exit codes are decided in cli.py.
    """

    exit_code = 1
