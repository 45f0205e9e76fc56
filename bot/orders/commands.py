"""/order: register an order (modal), list, show, help. Read-only answers ride on the ack."""

from __future__ import annotations

import logging
import re

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.after_commit.listeners import open_edit
from bot.forms import open_modal, words
from bot.links import thread_link
from bot.mrkdwn import esc
from bot.orders import replies
from bot.orders.modals import form_catalogue, order_modal, planned
from bot.reads import reader_ack
from bot.services import Services
from storage import repo
from workflows.permissions import Refusal, require_can_register, teams_of

log = logging.getLogger(__name__)
READS = ("list", "show")
# issue 11 §4: the Chinese sub-commands, each the same as its English one
ALIASES = {"新建": "new", "列表": "list", "查看": "show", "修改": "edit", "帮助": "help"}
LIST_WORDS = {"mine": "mine", "我的": "mine", "all": "all", "全部": "all"}
PAGE_WORDS = ("page", "页")


def register(app: App, svc: Services) -> None:
    @app.command("/order")
    def order_command(ack: Ack, command: dict, client: WebClient, respond: Respond) -> None:
        sub, rest = split_command(command.get("text") or "")
        if sub in READS and (ack := reader_ack(svc, ack, respond, user=command["user_id"])) is None:
            return  # refused: only the teams and viewers read orders
        if sub in ("", "new"):
            ack()
            open_new_order(svc, client, respond, user=command["user_id"], trigger_id=command["trigger_id"])
        elif sub == "list":
            ack(**list_orders(svc, command["user_id"], parse_list(rest)))
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
            ack(**replies.unknown_command(esc(sub[:40])))


def split_command(text: str) -> tuple[str, str]:
    """(sub-command, the rest): English keywords in any case, the Chinese aliases, full-width
    spaces, and an alias typed straight before its order number (`查看CO-0042`)."""
    text = text.replace("\u3000", " ").strip()
    sub, _, rest = text.partition(" ")
    if sub not in ALIASES:
        glued = next((alias for alias in ALIASES if sub.startswith(alias)), None)
        if glued is not None:
            sub, rest = glued, f"{sub.removeprefix(glued)} {rest}".strip()
    sub = ALIASES.get(sub, sub.lower())
    return sub, rest.strip()


def open_new_order(svc: Services, client: WebClient, respond: Respond, *, user: str, trigger_id: str) -> None:
    try:
        require_can_register(svc.config, svc.directory, user)
    except Refusal as refusal:
        respond(text=words(svc, refusal), response_type="ephemeral")
        return
    open_modal(
        svc,
        client,
        respond,
        user=user,
        trigger_id=trigger_id,
        view=order_modal(catalogue=form_catalogue(svc.config), planned=planned(svc.config)),
    )


MAX_SEARCH = 100


def parse_list(rest: str) -> replies.ListQuery:
    """`[mine] [all] [words…] [page N]`: keywords first, the page last, the words between searched."""
    words = rest.split()
    flags = set()
    while words and words[0].lower() in LIST_WORDS:
        flags.add(LIST_WORDS[words.pop(0).lower()])
    page = 1
    if len(words) >= 2 and words[-2].lower() in PAGE_WORDS and _page_number(words[-1]):
        page, words = max(1, min(int(words[-1]), 10**6)), words[:-2]
    elif words and (found := re.fullmatch(r"第(\d+)页", words[-1])) and _page_number(found[1]):
        page, words = max(1, min(int(found[1]), 10**6)), words[:-1]
    text = " ".join(words).replace("`", "")[:MAX_SEARCH]  # shown inside `code` in the answer
    return replies.ListQuery(mine="mine" in flags, closed_too="all" in flags, text=text, page=page)


def _page_number(word: str) -> bool:
    return word.isascii() and word.isdigit()


def list_orders(svc: Services, user: str, query: replies.ListQuery) -> dict:
    mine = None
    if query.mine:
        ctx = svc.context()
        mine = (user, tuple(teams_of(ctx.config, ctx.directory, user)))  # may ask Slack: no transaction yet
    with svc.session(read_only=True) as session:
        orders, total = repo.search_orders(
            session,
            closed_too=query.closed_too,
            text=query.text,
            mine=mine,
            limit=replies.MAX_LISTED,
            offset=(query.page - 1) * replies.MAX_LISTED,
        )
        links = {o.id: link for o in orders if (link := thread_link(session, o))}
        return replies.list_reply(query, orders, total, links)


def show_order(svc: Services, number: str) -> dict:
    if not number:
        return replies.which_order()
    with svc.session(read_only=True) as session:
        order = repo.find_order(session, number)
        if order is None:
            shown = number[:40].replace("<", "").replace(">", "").replace("&", "")
            return replies.no_such_order(shown)
        return replies.show_reply(order, repo.current_requests(session, order), thread_link(session, order))
