"""/review (submit, agenda, plan, help, and their Chinese aliases), the agenda's buttons, and the
review's two modals."""

from __future__ import annotations

import logging

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlmodel import Session

from bot.forms import cannot_open, check_ack_write, field_values, metadata, open_modal, plain, words
from bot.kit import context
from bot.mrkdwn import day
from bot.mrkdwn import month as month_name
from bot.orders.actions import refuse
from bot.reads import reader_ack
from bot.review import blocks as rb
from bot.review import followups as rf
from bot.review.refusals import problems
from bot.services import PERSON_WAITS, Services
from bot.text import _
from storage import review_repo
from workflows import followups, review, review_actions, review_inputs
from workflows.context import Context
from workflows.permissions import Refusal, can_read
from workflows.review_schedule import parse_month, parse_month_words, review_date

log = logging.getLogger(__name__)
NOTE = review_inputs.NOTE_BLOCK  # where a refusal found before the ack is shown
# what people type after /review, in either language, and the sub-command it means
SUBCOMMANDS = {
    "submit": "submit",
    "提交": "submit",
    "agenda": "agenda",
    "议程": "agenda",
    "plan": "plan",
    "计划": "plan",
    "": "help",
    "help": "help",
    "?": "help",
    "帮助": "help",
}
# a department named after `/review submit`, as a Chinese speaker may name it
DEPARTMENT_WORDS = {
    "销售": "sales",
    "销售部": "sales",
    "生产": "production",
    "生产部": "production",
    "供应": "supply",
    "供应部": "supply",
}
READS = ("agenda", "plan")


def _month(value: object) -> str:
    """A plan month from a button value or modal metadata; anything else is a stale form."""
    if not isinstance(value, str) or parse_month(value) is None:
        raise Refusal("review_stale_form")
    return value


def _plain(text: str) -> str:
    return text[:40].replace("<", "").replace(">", "").replace("&", "").replace("`", "")


def register(app: App, svc: Services) -> None:
    @app.command("/review")
    def review_command(ack: Ack, command: dict, client: WebClient, respond: Respond) -> None:
        typed, _space, rest = (command.get("text") or "").strip().partition(" ")
        sub, rest = SUBCOMMANDS.get(typed.lower(), typed.lower()), rest.strip()
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
        elif sub == "help":
            ack(**rb.help_reply())
        else:
            ack(
                **rb.help_reply(
                    _("I don't know `/review {typed}`. Here is what I can do:", typed=_plain(typed))
                )
            )

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
                text=_("You already confirmed your attendance."),
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
            ctx = svc.context()
            with svc.session(read_only=True) as session:
                rows = review_actions.check_can_approve(session, ctx, actor=body["user"]["id"], month=month)
                drafts = followups.proposed(session, ctx, month, rows)
        except Refusal as refusal:
            refuse(respond, refusal, svc)
            return
        open_modal(
            svc,
            client,
            respond,
            user=body["user"]["id"],
            trigger_id=body["trigger_id"],
            view=rb.adjust_modal(month, rows, drafts),
        )

    def full_submission(ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond) -> None:
        """The agenda's and the minutes' notes are cut; this opens a department's whole submission."""
        ack()
        user = body["user"]["id"]
        plan_month, _colon, team = str(action.get("value") or "").partition(":")
        try:
            month = _month(plan_month)
            if team not in review.DEPARTMENTS:
                raise Refusal("review_stale_form")
            if not can_read(svc.config, svc.directory, user):
                raise Refusal("cannot_read")
            with svc.session(read_only=True) as session:
                shown = review_repo.current_submissions(session, month).get(team)
                view = rb.submission_modal(team, month, shown, list(svc.config.review.core_products))
        except Refusal as refusal:
            refuse(respond, refusal, svc)
            return
        try:
            client.views_open(trigger_id=body["trigger_id"], view=view)
        except (SlackApiError, SlackClientError, OSError) as exc:
            log.error("views.open of a review submission failed for %s: %s", user, exc)
            respond(text=f":warning: {cannot_open()}", response_type="ephemeral", replace_original=False)

    for team in review.DEPARTMENTS:
        app.action(rb.submission_action(team))(full_submission)

    @app.action(rf.DONE)
    def followup_done(ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond) -> None:
        """The owner (or a manager) marks a follow-up done: once, under the row's lock."""
        ack()
        user = body["user"]["id"]
        try:
            value = str(action.get("value") or "")
            if not value.isdigit() or len(value) > 18:
                raise Refusal("review_stale_form")
            with svc.session(budget=PERSON_WAITS) as session:
                changed = review_actions.followup_done(
                    session, svc.context(), actor=user, followup_id=int(value)
                )
                month = review_repo.get_followup(session, int(value)).month
        except Refusal as refusal:
            refuse(respond, refusal, svc)
            return
        if not changed:
            respond(
                text=_("This follow-up was already marked done."),
                response_type="ephemeral",
                replace_original=False,
            )
        svc.deliver_for([review.stream(month)], user=user, respond=respond)
        if (body.get("container") or {}).get("type") == "view" and (body.get("view") or {}).get(
            "type"
        ) == "home":
            from bot.home.listeners import home_for  # the Home tab the click came from shows it done

            try:
                client.views_publish(user_id=user, view=home_for(svc, user))
            except (SlackApiError, SlackClientError, OSError) as exc:
                log.error("could not refresh the Home tab of %s: %s", user, exc)

    @app.view(rb.ReviewView.SUBMIT)
    def submit_view(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        ctx, meta, products = svc.context(), metadata(view), list(svc.config.review.core_products)
        user = body["user"]["id"]
        try:
            month, team = _month(meta.get("month")), str(meta.get("team"))
            if meta.get("products") != len(products) or team not in review.DEPARTMENTS:
                raise Refusal("review_products_changed", form="submit")
            result, found = review_inputs.submission(team, products, field_values(view))
            errors = problems(found)
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
                raise Refusal("review_products_changed", form="adjust_form")
            values = field_values(view)
            result, found = review_inputs.agreed_quantities(products, values)
            errors = problems(found)
            slots = meta.get("followups")
            slots = slots if isinstance(slots, list) else []
            hidden = meta.get("hidden") if isinstance(meta.get("hidden"), int) else 0
            kept = rf.read_slots(slots, values)
            errors.update(rf.slot_errors(followups.problems(ctx, kept)))
        except Refusal as refusal:
            ack(response_action="errors", errors={NOTE: plain(words(svc, refusal))})
            return
        agreed, note = result if result else (None, "")

        def chosen(session: Session, rows: list) -> list[followups.Draft]:
            """The form's follow-ups, then those proposed that did not fit the form."""
            drafts = [d for d in kept if d is not None]
            if hidden:
                proposed = followups.proposed(session, ctx, month, rows)
                shown = sum(1 for slot in slots if slot and slot[0] != "other")
                drafts += [d if d.owner else followups.with_owner(d, user) for d in proposed[shown:]]
            return drafts

        def check(session: Session, checking: Context) -> None:
            review_actions.plan_rows(session, checking, actor=user, month=month, agreed=agreed, note=note)

        def write(session: Session) -> object:
            rows = review_actions.plan_rows(session, ctx, actor=user, month=month, agreed=agreed, note=note)
            return review_actions.approve(
                session,
                ctx,
                actor=user,
                month=month,
                agreed=agreed,
                note=note,
                follow_ups=chosen(session, rows),
            )

        if check_ack_write(
            svc, ack, client, view=view, user=user, errors=errors, error_field=NOTE, check=check, write=write
        ):
            svc.deliver_for([review.stream(month)], user=user)


def _review_day(ctx: Context, month: str) -> str:
    return _(
        "{day} at {time} ({zone})",
        day=day(review_date(ctx.config, month)),
        time=ctx.config.schedule.review_time,
        zone=ctx.config.timezone,
    )


def open_submit(
    svc: Services, client: WebClient, respond: Respond, *, user: str, trigger_id: str, asked: str
) -> None:
    ctx = svc.context()
    products = list(ctx.config.review.core_products)
    try:
        if not products:
            raise Refusal("review_no_core_products")
        named = DEPARTMENT_WORDS.get(asked, asked.lower())
        team = review_actions.submission_team(ctx, user, named or None)
        if review_inputs.form_fields(team, len(products)) is None:
            raise Refusal("review_too_many_products", count=len(products))
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
    channel = f"<#{ctx.config.agenda_channel}>"
    note = context(
        _(
            "As of now, only for you. The agenda is posted in {channel} on {day}.",
            channel=channel,
            day=_review_day(ctx, month),
        )
    )
    return {"text": message["text"], "blocks": [*message["blocks"], note]}


def plan_reply(svc: Services, asked: str) -> dict:
    ctx = svc.context()
    wanted = parse_month_words(asked, ctx.now.astimezone(ctx.config.tz).date()) if asked else None
    if asked and wanted is None:
        return rb.help_reply(_("`{typed}` is not a month like `2026-12`.", typed=_plain(asked)))
    with svc.session(read_only=True) as session:
        plan = review_repo.plan(session, wanted) if wanted else review_repo.latest_plan(session)
        if plan is None:
            if wanted:
                text = _(
                    "No demand plan has been approved for {month}. `/review agenda` shows the current draft.",
                    month=month_name(wanted),
                )
            else:
                text = _("No demand plan has been approved yet. `/review agenda` shows the current draft.")
            return rb.text_reply(text)
        return rb.plan_reply(plan)
