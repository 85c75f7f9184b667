"""The global options every command receives (click's context object), kept apart from cli.py so that the
command modules can name their type without importing the entry point."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


class Settings:
    """Global options, shared by every command through the click context."""

    def __init__(self, db: str | None, lang: str, user: str | None) -> None:
        self.db, self.lang, self.user = db, lang, user
        self._engine: Engine | None = None

    def engine(self, *, initialised: bool = True) -> Engine:
        if self._engine is None:
            from ggzy.ledger.schema import open_ledger
            from ggzy.ledger.store import make_engine

            # only `init` creates a ledger: every other command opens one that is there
            self._engine = open_ledger(self.db) if initialised else make_engine(self.db)
        return self._engine

    def operator(self) -> str:
        """Who runs the command: --user / GGZY_USER, else the OS user."""
        from ggzy.ledger.store import current_operator

        return current_operator(self.user)
