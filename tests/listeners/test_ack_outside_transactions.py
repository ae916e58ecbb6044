"""No listener acks inside a transaction.

Slack's answer leaves at the ack, and the ack path then records the request in the
replay table (``bot/slack/ack_first.py``). An ack inside an open write transaction would
hold the database lock while Slack waits, and on SQLite the replay record behind it
would wait for that same lock.
"""

from __future__ import annotations

import ast
from pathlib import Path

LISTENERS = Path(__file__).resolve().parents[2] / "bot" / "listeners"
OPENS_A_TRANSACTION = {"acting", "transaction", "reading"}


def acks_inside_transactions(source: str) -> list[int]:
    found: list[int] = []

    def visit(node: ast.AST, inside: bool) -> None:
        if isinstance(node, ast.With | ast.AsyncWith):
            inside = inside or any(
                isinstance(item.context_expr, ast.Call)
                and ast.unparse(item.context_expr.func).rsplit(".", 1)[-1] in OPENS_A_TRANSACTION
                for item in node.items
            )
        if inside and isinstance(node, ast.Call) and ast.unparse(node.func) == "ack":
            found.append(node.lineno)
        for child in ast.iter_child_nodes(node):
            visit(child, inside)

    visit(ast.parse(source), False)
    return found


def test_the_check_finds_an_ack_in_a_transaction() -> None:
    source = "def f(ack, caller):\n    with caller.acting() as (s, who):\n        ack()\n"
    assert acks_inside_transactions(source) == [3]
    assert acks_inside_transactions("def f(ack, caller):\n    ack()\n") == []


def test_no_listener_acks_inside_a_transaction() -> None:
    offenders = [
        f"{path.relative_to(LISTENERS)}:{line}"
        for path in sorted(LISTENERS.rglob("*.py"))
        for line in acks_inside_transactions(path.read_text())
    ]
    assert offenders == []
