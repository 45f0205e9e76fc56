"""Events: the App Home tab shows what waits on the person, their open orders and this month's KPIs."""

from __future__ import annotations

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlmodel import Session

from bot.digest.blocks import orders_in
from bot.home.blocks import MAX_ESCALATED, MAX_ORDERS, MAX_WAITING, home_view, no_access_view
from bot.ids import Action
from bot.links import thread_link
from bot.review.followups import add_to_home as add_followups
from bot.services import Services
from bot.text import language
from storage import digest_repo
from workflows import digest, escalations, kpi
from workflows.context import Context
from workflows.permissions import can_read, teams_of


def register(app: App, svc: Services) -> None:
    @app.event("app_home_opened")
    def home(event: dict, client: WebClient) -> None:
        if event.get("tab") not in (None, "home"):
            return
        user = event["user"]
        # an event: acknowledged already, so Slack may be asked (their language, the groups)
        with language(svc.people.language_of(user)):
            client.views_publish(user_id=user, view=home_for(svc, user))

    @app.action(Action.OPEN_THREAD)
    def open_thread(ack: Ack) -> None:
        ack()  # a link button: Slack opens the thread itself, and still tells us about the click


def home_for(svc: Services, user: str) -> dict:
    ctx = svc.context()
    if not can_read(ctx.config, ctx.directory, user):
        return no_access_view()
    teams = teams_of(ctx.config, ctx.directory, user)  # may ask Slack: before the transaction
    with svc.session(read_only=True) as session:
        return home_payload(session, ctx, user, teams)


def home_payload(session: Session, ctx: Context, user: str, teams: list[str]) -> dict:
    scope = digest.Scope(teams=tuple(teams), user=user)
    waiting = digest.build(session, ctx.config, ctx.now, limit=MAX_WAITING, scope=scope)
    rows, total = digest_repo.open_orders_of(session, salesperson=user, limit=MAX_ORDERS)
    mine = [order for (order,) in rows]
    escalated = None
    if "managers" in teams:
        escalated = escalations.build(session, ctx.config, ctx.now, limit=MAX_ESCALATED)
    named = orders_in(waiting) + mine + (orders_in(escalated) if escalated else [])
    links = {o.id: link for o in named if (link := thread_link(session, o))}
    kpis = kpi.month_kpis(session, ctx.config, kpi.month_of(ctx.config, ctx.now), ctx.now)
    view = home_view(waiting, mine, total, kpis, links, escalated)
    return add_followups(view, session, user, ctx.now, ctx.config)  # the person's open review follow-ups
