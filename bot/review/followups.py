"""Block Kit for the review's follow-ups: their message in the agenda's thread, the reminder and
the escalation, the approval form's slots, and the sections the digest, the Home tab and the next
agenda show."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from sqlmodel import Session

from bot.ids import INPUT_ACTION
from bot.kit import actions, button, context, section
from bot.mrkdwn import clip, day, esc_clip, mention, mention_all, month, number, when
from bot.phrases import team_label
from bot.text import _, n_, p_
from storage import review_repo
from storage.review_models import FollowUp, FollowUpStatus
from workflows import followups as fu

DONE = "review.followup_done"  # value: the follow-up's id
LIST_LIMIT = 10  # follow-ups listed in the digest and on the agenda; the rest are counted
HOME_LIMIT = 5  # the owner's follow-ups on the Home tab, each with its Done button


def default_text(kind: str, product: str, quantity: int | None) -> str:
    """A prefilled follow-up, worded in the reader's language."""
    values = {"product": esc_clip(product, 60), "quantity": number(quantity)}
    if kind == "shortfall":
        return _("Follow up with key customers on the delivery of {product}: {quantity} short", **values)
    if kind == "materials":
        return _("Secure materials for {quantity} × {product} (the material target)", **values)
    if kind == "capacity":
        return _("Reserve production capacity for {quantity} × {product} (the capacity target)", **values)
    return values["product"]


def text_of(followup: FollowUp) -> str:
    if followup.text:
        return esc_clip(followup.text, fu.MAX_TEXT)
    return default_text(followup.kind, followup.product, followup.quantity)


def _done_button(followup: FollowUp) -> dict:
    return button(p_("button", "Done"), DONE, str(followup.id), "primary")


def _status(followup: FollowUp, today: date) -> str:
    if followup.status == FollowUpStatus.DONE:
        return _(
            ":white_check_mark: Done · marked by {person} {when}",
            person=mention(followup.done_by or ""),
            when=when(followup.done_at),
        )
    if followup.due_on < today:
        return _(":warning: *Overdue* since {day}", day=day(followup.due_on))
    return _("Open · due {day}", day=day(followup.due_on))


def line(followup: FollowUp, today: date) -> str:
    """One follow-up in a list: text, owner, due day."""
    values = {
        "text": clip(text_of(followup), 200),
        "owner": mention(followup.owner),
        "day": day(followup.due_on),
    }
    if followup.due_on < today:
        return _("• {text} · {owner} · :warning: overdue since {day}", **values)
    return _("• {text} · {owner} · due {day}", **values)


def followup_message(followup: FollowUp, today: date) -> dict:
    """The follow-up in the agenda's thread; edited when it is done."""
    head = _(
        "*Follow-up* from the review of {month} · {team}\n{text}\nOwner: {owner} · due {day}",
        month=month(followup.month),
        team=team_label(followup.team),
        text=text_of(followup),
        owner=mention(followup.owner),
        day=day(followup.due_on),
    )
    blocks = [section(head), context(_status(followup, today))]
    if followup.status == FollowUpStatus.OPEN:
        blocks.append(actions(_done_button(followup)))
    return {
        "text": _(
            "Follow-up for {owner}: {text}", owner=mention(followup.owner), text=clip(text_of(followup), 200)
        ),
        "blocks": blocks,
    }


def reminder_dm(followup: FollowUp) -> dict:
    text = _(
        ":alarm_clock: Your follow-up from the review of {month} is due {day}:\n{text}\n"
        "Press *Done* once it is done.",
        month=month(followup.month),
        day=day(followup.due_on),
        text=text_of(followup),
    )
    return {
        "text": _("Reminder: your follow-up is due {day}", day=day(followup.due_on)),
        "blocks": [section(text), actions(_done_button(followup))],
    }


def escalation_message(followup: FollowUp, managers: list[str]) -> dict:
    text = _(
        ":rotating_light: {managers} the follow-up owned by {owner} was due {day} and is not done:\n{text}",
        managers=mention_all(managers) or p_("department", "managers"),
        owner=mention(followup.owner),
        day=day(followup.due_on),
        text=text_of(followup),
    )
    return {
        "text": _(
            "Overdue follow-up: {owner} was due {day}",
            owner=mention(followup.owner),
            day=day(followup.due_on),
        ),
        "blocks": [section(text), actions(_done_button(followup))],
    }


def escalation_dm(followup: FollowUp) -> dict:
    text = _(
        ":rotating_light: A follow-up from the review of {month} is overdue: {owner} was due {day}.\n{text}",
        month=month(followup.month),
        owner=mention(followup.owner),
        day=day(followup.due_on),
        text=text_of(followup),
    )
    return {
        "text": _(
            "Overdue follow-up: {owner} was due {day}",
            owner=mention(followup.owner),
            day=day(followup.due_on),
        ),
        "blocks": [section(text), actions(_done_button(followup))],
    }


# -- lists elsewhere: the digest, the Home tab, the next agenda --------------------------------------


def _list(head: str, shown: list[FollowUp], total: int, today: date) -> str:
    lines = [head, *(line(f, today) for f in shown)]
    if total > len(shown):
        lines.append(n_("  …and {n} more follow-up", "  …and {n} more follow-ups", total - len(shown)))
    return "\n".join(lines)


def agenda_blocks(shown: list[FollowUp], total: int, today: date) -> list[dict]:
    """The next month's agenda: follow-ups of earlier reviews still open (one section)."""
    if not total:
        return []
    head = n_(
        "*Open follow-ups from earlier reviews* · {n}",
        "*Open follow-ups from earlier reviews* · {n}",
        total,
    )
    return [section(_list(head, shown, total, today))]


def digest_blocks(session: Session, today: date, room: int) -> list[dict]:
    """The channel digest: every open follow-up, soonest due first (one section, if there is room)."""
    if room < 1:
        return []
    shown, total = review_repo.open_followups(session, limit=LIST_LIMIT)
    if not total:
        return []
    head = n_(
        "*:pushpin: Open follow-ups from the review* · {n}",
        "*:pushpin: Open follow-ups from the review* · {n}",
        total,
    )
    return [section(_list(head, shown, total, today))]


def add_to_digest(message: dict, session: Session, now: datetime, config) -> dict:  # noqa: ANN001
    """The digest's message with the open follow-ups after its sections (inside 50 blocks)."""
    today = now.astimezone(config.tz).date()
    blocks = message["blocks"]
    extra = digest_blocks(session, today, 50 - len(blocks))
    return {**message, "blocks": [*blocks[:-1], *extra, blocks[-1]] if blocks else extra}


def home_blocks(session: Session, user: str, today: date) -> list[dict]:
    """The owner's Home tab: their open follow-ups, each with its Done button."""
    shown, total = review_repo.open_followups(session, owner=user, limit=HOME_LIMIT)
    if not total:
        return []
    blocks = [
        section(
            n_("*Your follow-ups from the review* · {n}", "*Your follow-ups from the review* · {n}", total)
        )
    ]
    for followup in shown:
        blocks.append({**section(line(followup, today)), "accessory": _done_button(followup)})
    if total > len(shown):
        blocks.append(context(n_("…and {n} more follow-up", "…and {n} more follow-ups", total - len(shown))))
    blocks.append({"type": "divider"})
    return blocks


def add_to_home(view: dict, session: Session, user: str, now: datetime, config) -> dict:  # noqa: ANN001
    """The Home tab with the person's open follow-ups after its header (inside 100 blocks)."""
    extra = home_blocks(session, user, now.astimezone(config.tz).date())
    blocks = view["blocks"]
    if not extra or len(blocks) + len(extra) > 100:
        return view
    return {**view, "blocks": [*blocks[:1], *extra, *blocks[1:]]}


# -- the approval form's slots ---------------------------------------------------------------------

SLOT_FIELDS = ("text", "owner", "due")
EXTRA_SLOTS = 2  # empty slots a manager can fill with follow-ups of their own


def slot_block(index: int, field: str) -> str:
    return f"f{index}.{field}"


def slot_blocks(index: int, draft: fu.Draft | None) -> list[dict]:
    """Three inputs for one follow-up: its text (empty: dropped), its owner and its due day."""
    number_shown = index + 1
    text = {
        "type": "plain_text_input",
        "action_id": INPUT_ACTION,
        "max_length": fu.MAX_TEXT,
        "multiline": True,
    }
    owner = {"type": "users_select", "action_id": INPUT_ACTION}
    due = {"type": "datepicker", "action_id": INPUT_ACTION}
    if draft is not None:
        text["initial_value"] = clip(draft.text or plain_default(draft), fu.MAX_TEXT)
        if draft.owner:
            owner["initial_user"] = draft.owner
        if draft.due_on:
            due["initial_date"] = draft.due_on.isoformat()
    label = _("Follow-up {n}", n=number_shown) if draft is not None else _("Another follow-up (optional)")
    hint = _("Clear the text to drop this follow-up") if draft is not None else ""
    blocks = [
        _input(slot_block(index, "text"), label, text, hint),
        _input(slot_block(index, "owner"), _("Owner of follow-up {n}", n=number_shown), owner, ""),
        _input(slot_block(index, "due"), _("Due date of follow-up {n}", n=number_shown), due, ""),
    ]
    return blocks


def _input(block_id: str, label: str, element: dict, hint: str) -> dict:
    block = {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": clip(label, 2000)},
        "element": element,
        "optional": True,
    }
    if hint:
        block["hint"] = {"type": "plain_text", "text": clip(hint, 2000)}
    return block


def plain_default(draft: fu.Draft) -> str:
    """A prefilled text as typed into a plain-text field (no Slack escaping there)."""
    return (
        default_text(draft.kind, draft.product, draft.quantity)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
    )


def form_blocks(drafts: list[fu.Draft], room: int) -> tuple[list[dict], list[list], int]:
    """The follow-up part of the approval form within `room` blocks: an intro, a slot per proposed
    follow-up, then empty slots; the slots' metadata; and how many proposed ones did not fit."""
    if room < 2 + len(SLOT_FIELDS):  # no room for one slot: every proposed follow-up as proposed
        return [], [], len(drafts)
    slots = (room - 2) // len(SLOT_FIELDS)  # room for the intro and the "more" line
    shown = drafts[:slots]
    extra = max(min(EXTRA_SLOTS, slots - len(shown)), 0)
    blocks = [
        context(
            _(
                "*Follow-ups.* Each gets one owner and a due date, is posted in the agenda's thread and "
                "chased until done. Edit them, clear a text to drop one, or fill an empty slot to add one."
            )
        )
    ]
    meta = []
    for index, draft in enumerate(shown):
        blocks += slot_blocks(index, draft)
        meta.append([draft.kind, draft.product, draft.team, draft.quantity])
    for index in range(len(shown), len(shown) + extra):
        blocks += slot_blocks(index, None)
        meta.append(["other", "", "managers", None])
    hidden = len(drafts) - len(shown)
    if hidden:
        blocks.insert(
            1,
            context(
                n_(
                    "{n} more proposed follow-up does not fit this form; it is created as proposed.",
                    "{n} more proposed follow-ups do not fit this form; they are created as proposed.",
                    hidden,
                )
            ),
        )
    return blocks, meta, hidden


def read_slots(meta: list, values: dict[str, object]) -> list[fu.Draft | None]:
    """The follow-ups as submitted: None for a slot whose text was cleared (dropped)."""
    drafts: list[fu.Draft | None] = []
    for index, slot in enumerate(meta):
        kind, product, team, quantity = (list(slot) + [None] * 4)[:4]
        text = str(values.get(slot_block(index, "text")) or "").strip()
        if not text:
            drafts.append(None)
            continue
        owner = values.get(slot_block(index, "owner"))
        due = values.get(slot_block(index, "due"))
        draft = fu.Draft(
            kind=str(kind) if kind in fu.KINDS else "other",
            product=str(product or "")[:60],
            team=str(team) if team in fu.KIND_TEAM.values() or team == "managers" else "managers",
            owner=str(owner) if isinstance(owner, str) and owner else None,
            due_on=due if isinstance(due, date) else None,
            quantity=quantity if isinstance(quantity, int) and not isinstance(quantity, bool) else None,
        )
        # the proposed words unchanged: stored as the kind, so each reader reads them in their language
        same = draft.kind != "other" and text == plain_default(draft)
        drafts.append(draft if same else replace(draft, text=text))
    return drafts


def slot_errors(found: dict[int, dict]) -> dict[str, str]:
    """The follow-ups' inline errors, worded, by block id."""
    words = {
        "followup_no_owner": lambda data: _("Choose the person who owns this follow-up."),
        "followup_no_due": lambda data: _("Choose the date this follow-up is due."),
        "followup_due_past": lambda data: _("The due date is in the past; choose today or a later day."),
        "followup_text_too_long": lambda data: _(
            "Keep the follow-up within {limit} characters (it has {length}).",
            limit=number(data["limit"]),
            length=number(data["length"]),
        ),
        "control_characters": lambda data: _("The follow-up contains control characters; please retype it."),
        "direction_characters": lambda data: _(
            "The follow-up contains invisible text-direction characters; please retype it."
        ),
    }
    return {
        slot_block(index, field): words[problem.code](problem.data)
        for index, fields in found.items()
        for field, problem in fields.items()
    }
