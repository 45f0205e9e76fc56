"""Events: the App Home tab shows the person how to use the bot and the open orders."""

from __future__ import annotations

from slack_bolt import App
from slack_sdk import WebClient

from bot.blocks.home import home_view
from bot.links import thread_link
from bot.services import Services
from storage import repo


def register(app: App, svc: Services) -> None:
    @app.event("app_home_opened")
    def home(event: dict, client: WebClient) -> None:
        if event.get("tab") not in (None, "home"):
            return
        user = event["user"]
        with svc.session() as session:
            mine = [o for o in repo.open_orders(session, limit=200) if o.salesperson == user][:20]
            links = {o.id: link for o in mine if (link := thread_link(session, o))}
            view = home_view(mine, links)
        client.views_publish(user_id=user, view=view)
