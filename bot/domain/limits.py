"""How long free text may be, shared by the forms that ask for it and the services that check it."""

from __future__ import annotations

#: A handoff's problem, a reason, a question or an answer.
HANDOFF_TEXT_MAX = 2000
#: A rep's paraphrase of the customer's problem, or the SE's correction.
PARAPHRASE_TEXT_MAX = 2000
