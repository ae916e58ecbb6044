"""Tab completion for the shell: commands, meta commands, people and deal names.

Completes the whole line (deal names have spaces in them): ``/qualify Ac`` offers
``/qualify Acme Corp``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

META_COMMANDS = (
    ":as",
    ":press",
    ":dm",
    ":thread",
    ":home",
    ":time",
    ":time next",
    ":due",
    ":log",
    ":history",
    ":export",
    ":cancel",
    ":help",
    ":quit",
)

#: Meta commands whose argument is a person.
_PERSON_ARGUMENT = (":as ", ":dm ")


def complete_line(
    line: str, *, commands: Iterable[str], people: Iterable[str], deals: Iterable[str]
) -> list[str]:
    """Whole lines that ``line`` could become, sorted; empty when nothing fits."""
    if " " not in line:
        words = sorted(commands) if line.startswith("/") else list(META_COMMANDS)
        return sorted({w for w in words if w.startswith(line)} if line else set())
    if line.startswith(":time "):
        return [w for w in (":time next",) if w.startswith(line)]
    for prefix in _PERSON_ARGUMENT:
        if line.startswith(prefix):
            tail = line[len(prefix) :].casefold()
            return sorted(prefix + p for p in people if p.casefold().startswith(tail))
    return sorted(set(_mentions(line, people)) | set(_deal_names(line, deals)))


def _mentions(line: str, people: Iterable[str]) -> list[str]:
    head, at, tail = line.rpartition("@")
    if not at or " " in tail or (head and not head.endswith(" ")):
        return []
    return [f"{head}@{p}" for p in people if p.casefold().startswith(tail.casefold())]


def _deal_names(line: str, deals: Iterable[str]) -> list[str]:
    """The deal names the text after some space could be the start of (the longest such
    tail wins, so ``/qualify Acme C`` completes the name, not just ``C``)."""
    names = list(deals)
    for index, char in enumerate(line):
        if char != " ":
            continue
        tail = line[index + 1 :].casefold()
        if not tail.strip():
            continue
        found = [line[: index + 1] + n for n in names if n.casefold().startswith(tail)]
        if found:
            return found
    return []


class Completer:
    """What ``readline.set_completer`` wants, with the line-delimiters switched off so
    the text it passes is the whole line typed so far."""

    def __init__(self, candidates: Callable[[str], list[str]]) -> None:
        self.candidates = candidates
        self._matches: list[str] = []

    def __call__(self, text: str, state: int) -> str | None:
        if state == 0:
            self._matches = self.candidates(text)
        return self._matches[state] if state < len(self._matches) else None


class Completes(Protocol):
    def completions(self, line: str) -> list[str]:
        """Whole lines the typed ``line`` could become."""
        ...


def install_completion(console: Completes) -> None:
    """Tab completes commands, meta commands, people and deal names (where readline is)."""
    try:
        import readline
    except ImportError:  # no readline on Windows: the shell works, without completion
        return
    readline.set_completer_delims("")  # complete the whole line: deal names have spaces
    readline.set_completer(Completer(console.completions))
    binding = "bind ^I rl_complete" if "libedit" in (readline.__doc__ or "") else "tab: complete"
    readline.parse_and_bind(binding)
