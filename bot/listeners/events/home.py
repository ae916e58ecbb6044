"""App Home: publish the person's open handoffs whenever they open the tab."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.blocks.home import home_view
from bot.deps import Deps
from bot.services import handoffs, people
from bot.slack.errors import guarded


def register(app: App, deps: Deps) -> None:
    @app.event("app_home_opened")
    @guarded
    def publish_home(
        body: dict[str, Any], event: dict[str, Any], client: WebClient, context: dict[str, Any]
    ) -> None:
        if event.get("tab") != "home":
            return
        user_id = event["user"]
        now = deps.clock.now()
        with deps.transaction() as session:
            workspace = people.workspace(session=session, slack_team_id=context["team_id"], now=now)
            person = people.find_person(session=session, workspace=workspace, slack_user_id=user_id)
            as_rep, as_se = (
                handoffs.open_for(session=session, person=person) if person else ([], [])
            )
            view = home_view(as_rep, as_se, now=now)
        client.views_publish(user_id=user_id, view=view)
