"""/order: register an order (modal), list, show, help. Read-only answers ride on the ack."""

from __future__ import annotations

import logging

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.blocks import replies
from bot.blocks.modals import order_modal
from bot.blocks.text import esc
from bot.links import thread_link
from bot.listeners.after_commit import open_edit
from bot.listeners.forms import open_modal, words
from bot.services import Services
from storage import repo
from workflows.permissions import Refusal, require_can_register

log = logging.getLogger(__name__)


def register(app: App, svc: Services) -> None:
    @app.command("/order")
    def order_command(ack: Ack, command: dict, client: WebClient, respond: Respond) -> None:
        sub, _, rest = (command.get("text") or "").strip().partition(" ")
        sub = sub.lower()
        if sub in ("", "new"):
            ack()
            open_new_order(svc, client, respond, user=command["user_id"], trigger_id=command["trigger_id"])
        elif sub == "list":
            ack(**list_open_orders(svc))
        elif sub == "show":
            ack(**show_order(svc, rest.strip()))
        elif sub == "edit":
            ack()
            open_edit(
                svc,
                client,
                respond,
                user=command["user_id"],
                trigger_id=command["trigger_id"],
                number_text=rest.strip(),
            )
        elif sub in ("help", "?"):
            ack(**replies.help_reply())
        else:
            ack(**replies.help_reply(f"I don't know `/order {esc(sub[:40])}`. Here is what I can do:"))


def open_new_order(svc: Services, client: WebClient, respond: Respond, *, user: str, trigger_id: str) -> None:
    try:
        require_can_register(svc.config, svc.directory, user)
    except Refusal as refusal:
        respond(text=words(svc, refusal), response_type="ephemeral")
        return
    open_modal(svc, client, respond, user=user, trigger_id=trigger_id, view=order_modal())


def list_open_orders(svc: Services) -> dict:
    with svc.session(read_only=True) as session:
        orders = repo.open_orders(session, limit=replies.MAX_LISTED)
        links = {o.id: link for o in orders if (link := thread_link(session, o))}
        return replies.list_reply(orders, repo.count_open_orders(session), links)


def show_order(svc: Services, number: str) -> dict:
    if not number:
        return replies.help_reply("Which order? For example `/order show CO-0042`.")
    with svc.session(read_only=True) as session:
        order = repo.find_order(session, number)
        if order is None:
            shown = number[:40].replace("<", "").replace(">", "").replace("&", "")
            return replies.help_reply(
                f"I can't find an order `{shown}`. Order numbers look like `CO-0042`; "
                "`/order list` shows the open ones."
            )
        return replies.show_reply(order, repo.current_requests(session, order), thread_link(session, order))
