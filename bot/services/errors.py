"""Domain errors: each carries a message fit to show the person who caused it."""

from __future__ import annotations


class DomainError(Exception):
    """Something the user can fix; ``str(error)`` is the message they see."""


class NotFound(DomainError):
    pass


class NotAllowed(DomainError):
    pass


class InvalidTransition(DomainError):
    pass


class InvalidInput(DomainError):
    """Bad fields: ``errors`` maps a field name to what is wrong and how to write it."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__(" ".join(errors.values()))
