"""/review (submit, agenda, plan, help), the agenda's buttons, and the review's two modals."""

from __future__ import annotations

import logging

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from sqlmodel import Session

from bot.forms import check_ack_write, field_values, metadata, open_modal, plain, words
from bot.mrkdwn import day
from bot.orders.actions import refuse
from bot.orders.blocks import context
from bot.reads import reader_ack
from bot.review import blocks as rb
from bot.services import PERSON_WAITS, Services
from storage import review_repo
from workflows import review, review_actions, review_inputs
from workflows.context import Context
from workflows.permissions import Refusal
from workflows.review_schedule import month_label, parse_month, review_date

log = logging.getLogger(__name__)
NOTE = review_inputs.NOTE_BLOCK  # where a refusal found before the ack is shown
READS = ("agenda", "plan")


def _month(value: object) -> str:
    """A plan month from a button value or modal metadata; anything else is a stale form."""
    if not isinstance(value, str) or parse_month(value) is None:
        raise Refusal("That button or form is not valid any more.")
    return value


def _plain(text: str) -> str:
    return text[:40].replace("<", "").replace(">", "").replace("&", "").replace("`", "")


def register(app: App, svc: Services) -> None:
    @app.command("/review")
    def review_command(ack: Ack, command: dict, client: WebClient, respond: Respond) -> None:
        sub, _, rest = (command.get("text") or "").strip().partition(" ")
        sub, rest = sub.lower(), rest.strip()
        if sub in READS and (ack := reader_ack(svc, ack, respond, user=command["user_id"])) is None:
            return  # refused: only the teams and viewers read the agenda and the plan
        if sub == "submit":
            ack()
            open_submit(
                svc, client, respond, user=command["user_id"], trigger_id=command["trigger_id"], asked=rest
            )
        elif sub == "agenda":
            ack(**agenda_reply(svc))
        elif sub == "plan":
            ack(**plan_reply(svc, rest))
        elif sub in ("", "help", "?"):
            ack(**rb.help_reply())
        else:
            ack(**rb.help_reply(f"I don't know `/review {_plain(sub)}`. Here is what I can do:"))

    @app.action(rb.ReviewAction.ATTEND)
    def attend(ack: Ack, body: dict, action: dict, respond: Respond) -> None:
        ack()
        try:
            month = _month(action.get("value"))
            with svc.session(budget=PERSON_WAITS) as session:
                added = review_actions.attend(session, svc.context(), actor=body["user"]["id"], month=month)
        except Refusal as refusal:
            refuse(respond, refusal, svc)
            return
        if not added:
            respond(
                text="You already confirmed your attendance.",
                response_type="ephemeral",
                replace_original=False,
            )
            return
        svc.deliver_for([review.stream(month)], user=body["user"]["id"], respond=respond)

    @app.action(rb.ReviewAction.APPROVE)
    def approve(ack: Ack, body: dict, action: dict, respond: Respond) -> None:
        ack()
        try:
            month = _month(action.get("value"))
            with svc.session(budget=PERSON_WAITS) as session:
                review_actions.approve(session, svc.context(), actor=body["user"]["id"], month=month)
        except Refusal as refusal:
            refuse(respond, refusal, svc)
            return
        svc.deliver_for([review.stream(month)], user=body["user"]["id"], respond=respond)

    @app.action(rb.ReviewAction.ADJUST)
    def adjust(ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond) -> None:
        ack()
        try:
            month = _month(action.get("value"))
            with svc.session(read_only=True) as session:
                rows = review_actions.check_can_approve(
                    session, svc.context(), actor=body["user"]["id"], month=month
                )
        except Refusal as refusal:
            refuse(respond, refusal, svc)
            return
        open_modal(
            svc,
            client,
            respond,
            user=body["user"]["id"],
            trigger_id=body["trigger_id"],
            view=rb.adjust_modal(month, rows),
        )

    @app.view(rb.ReviewView.SUBMIT)
    def submit_view(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        ctx, meta, products = svc.context(), metadata(view), list(svc.config.review.core_products)
        user = body["user"]["id"]
        try:
            month, team = _month(meta.get("month")), str(meta.get("team"))
            if meta.get("products") != len(products) or team not in review.DEPARTMENTS:
                raise Refusal(
                    "The list of core products changed; close this form and run `/review submit` again."
                )
            result, errors = review_inputs.submission(team, products, field_values(view))
        except Refusal as refusal:
            ack(response_action="errors", errors={NOTE: plain(words(svc, refusal))})
            return

        def check(session: Session, checking: Context) -> None:
            review_actions.check_can_submit(session, checking, actor=user, team=team, month=month)

        def write(session: Session) -> object:
            rows, note = result
            return review_actions.submit(
                session, ctx, actor=user, team=team, month=month, rows=rows, note=note
            )

        if check_ack_write(
            svc, ack, client, view=view, user=user, errors=errors, error_field=NOTE, check=check, write=write
        ):
            svc.deliver_for([review.stream(month)], user=user)

    @app.view(rb.ReviewView.ADJUST)
    def adjust_view(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        ctx, meta, products = svc.context(), metadata(view), list(svc.config.review.core_products)
        user = body["user"]["id"]
        try:
            month = _month(meta.get("month"))
            if meta.get("products") != len(products):
                raise Refusal(
                    "The list of core products changed; close this form and open Adjust plan again."
                )
            result, errors = review_inputs.agreed_quantities(products, field_values(view))
        except Refusal as refusal:
            ack(response_action="errors", errors={NOTE: plain(words(svc, refusal))})
            return
        agreed, note = result if result else (None, "")

        def check(session: Session, checking: Context) -> None:
            review_actions.plan_rows(session, checking, actor=user, month=month, agreed=agreed)

        def write(session: Session) -> object:
            return review_actions.approve(session, ctx, actor=user, month=month, agreed=agreed, note=note)

        if check_ack_write(
            svc, ack, client, view=view, user=user, errors=errors, error_field=NOTE, check=check, write=write
        ):
            svc.deliver_for([review.stream(month)], user=user)


def _review_day(ctx: Context, month: str) -> str:
    return (
        f"{day(review_date(ctx.config, month))} at {ctx.config.schedule.review_time} ({ctx.config.timezone})"
    )


def open_submit(
    svc: Services, client: WebClient, respond: Respond, *, user: str, trigger_id: str, asked: str
) -> None:
    ctx = svc.context()
    products = list(ctx.config.review.core_products)
    try:
        if not products:
            raise Refusal("No core products are configured (`[review] core_products` in orderloop.toml).")
        team = review_actions.submission_team(ctx, user, asked.lower() or None)
        if review_inputs.form_fields(team, len(products)) is None:
            raise Refusal(
                f"{len(products)} core products do not fit in one Slack form; "
                "ask an admin to shorten the list."
            )
        with svc.session(read_only=True) as session:
            month = review_actions.upcoming_month(session, ctx)
            previous = review_repo.current_submissions(session, month).get(team)
            view = rb.submit_modal(team, month, products, _review_day(ctx, month), previous)
    except Refusal as refusal:
        respond(text=f":no_entry_sign: {words(svc, refusal)}", response_type="ephemeral")
        return
    open_modal(svc, client, respond, user=user, trigger_id=trigger_id, view=view)


def agenda_reply(svc: Services) -> dict:
    ctx = svc.context()
    with svc.session(read_only=True) as session:
        month = review_actions.upcoming_month(session, ctx)
        message = rb.agenda_message(
            review.agenda(session, ctx.config, month, ctx.now), interactive=False, reserve=1
        )
    note = context(
        f"As of now, only for you. The agenda is posted in <#{ctx.config.agenda_channel}> "
        f"on {_review_day(ctx, month)}."
    )
    return {"text": message["text"], "blocks": [*message["blocks"], note]}


def plan_reply(svc: Services, asked: str) -> dict:
    if asked and parse_month(asked) is None:
        return rb.help_reply(f"`{_plain(asked)}` is not a month like `2026-12`.")
    with svc.session(read_only=True) as session:
        plan = review_repo.plan(session, asked) if asked else review_repo.latest_plan(session)
        if plan is None:
            which = f"for {month_label(asked)}" if asked else "yet"
            return rb.text_reply(
                f"No demand plan has been approved {which}. `/review agenda` shows the current draft."
            )
        return rb.plan_reply(plan)
