"""Hostile input, generated: whatever people type into /order or a modal, the answer is either saved
or an inline error, never an exception, and never a payload Slack would reject.

One real app (waitress + Slack stand-in + a database) serves the whole module, per backend, so each
property can run many examples quickly; every example measures what *it* changed (new rows, new
Slack calls, new error log records), so the examples stay independent even though the database grows.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from slack_sdk import WebClient
from slack_sdk.models.blocks import Block
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bot.app import create_app
from bot.sandbox.driver import SIGNING_SECRET, TOKEN, Reply, SlackDriver
from bot.sandbox.standin import SlackStandin
from bot.server import BackgroundServer, make_wsgi_app
from bot.services import Services
from storage.db import make_engine
from storage.models import ConfirmationRequest, Order, OrderStatus, OutboxMessage
from tests.clock import FakeClock
from tests.conftest import (
    OUTSIDER,
    PRODUCTION_A,
    PRODUCTION_B,
    SALES,
    SUPPLY,
    Bot,
    make_config,
    postgres_or_skip,
)
from tests.databases import Databases
from tests.helpers import card, find, reach_commit_prompt, register, snapshot, thread
from workflows.inputs import MAX_LEAD_DAYS, MAX_NAME, MAX_NOTES, MAX_QUANTITY, MAX_SPEC, MAX_YEARS_AHEAD

TODAY = date(2026, 11, 25)  # FakeClock's 01:00 UTC is 09:00 in Asia/Shanghai: still the 25th
SETTINGS = settings(
    max_examples=50,
    deadline=None,
    derandomize=True,  # the same examples every run: a failure here reproduces, CI never flakes
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# -- the harness ------------------------------------------------------------------------------


class ErrorRecords(logging.Handler):
    """Every ERROR the app logs (Bolt's unhandled-listener errors, failed deliveries, waitress)."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(scope="module")
def harness(
    tmp_path_factory: pytest.TempPathFactory, databases: Databases, backend: str
) -> Iterator[tuple[Bot, ErrorRecords]]:
    clock = FakeClock()  # never advanced: "today" stays TODAY for every example
    with postgres_or_skip(databases), databases.migrated(backend, tmp_path_factory.mktemp("props")) as url:
        yield from _harness(make_engine(url), clock)


def _harness(engine: Engine, clock: FakeClock) -> Iterator[tuple[Bot, ErrorRecords]]:
    errors = ErrorRecords()
    logging.getLogger().addHandler(errors)
    with SlackStandin(
        token=TOKEN, usergroups={"S02": [PRODUCTION_A, PRODUCTION_B]}, clock=lambda: clock.now.timestamp()
    ) as standin:
        svc = Services.build(make_config(), engine, WebClient(token=TOKEN, base_url=standin.url), clock=clock)
        app = create_app(svc, signing_secret=SIGNING_SECRET, process_before_response=True)
        server = BackgroundServer(make_wsgi_app(app, svc))
        try:
            yield Bot(SlackDriver(server.url, standin), standin, svc, clock), errors
        finally:
            server.stop()
            logging.getLogger().removeHandler(errors)
            engine.dispose()
        standin.assert_all_valid()


@dataclass
class Mark:
    """What one example may cause, to compare with what it did cause."""

    invalid: int
    logged: int
    calls: int
    orders: int
    outbox: int


def mark(bot: Bot, errors: ErrorRecords) -> Mark:
    return Mark(
        len(bot.standin.invalid),
        len(errors.records),
        len(bot.standin.calls),
        count(bot, Order),
        count(bot, OutboxMessage),
    )


def count(bot: Bot, model: type) -> int:
    with bot.svc.session() as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def assert_no_exception_and_valid_slack_calls(bot: Bot, errors: ErrorRecords, before: Mark) -> None:
    logged = errors.records[before.logged :]
    assert not logged, [f"{r.name}: {r.getMessage()} {r.exc_info and r.exc_info[1]!r}" for r in logged]
    invalid = bot.standin.invalid[before.invalid :]
    assert not invalid, [f"{c.method}: {c.response}" for c in invalid]


def assert_outbox_all_sent(bot: Bot) -> None:
    """A saved change owes Slack messages; each must have gone out (none rejected, none pending)."""
    with bot.svc.session() as session:
        stuck = session.execute(
            select(OutboxMessage.kind, OutboxMessage.last_error).where(
                (OutboxMessage.sent_at.is_(None)) | (OutboxMessage.dead.is_(True))
            )
        ).all()
    assert not stuck, stuck


# -- what Slack accepts in an ack, and what must never ping -----------------------------------

MAX_MESSAGE_BLOCKS, MAX_MESSAGE_TEXT = 50, 40_000


def assert_slack_accepts_message(body: dict) -> None:
    """The checks the stand-in applies to chat.postMessage, applied to a command's ack body."""
    assert body.get("text") or body.get("blocks"), body
    assert len(body.get("text") or "") <= MAX_MESSAGE_TEXT
    blocks = body.get("blocks") or []
    assert len(blocks) <= MAX_MESSAGE_BLOCKS
    for raw in blocks:
        block = Block.parse(raw)
        assert block is not None, raw  # slack_sdk skips unknown types; Slack refuses them
        block.validate_json()
        for child in getattr(block, "elements", None) or []:  # validate_json does not descend
            child.validate_json()


def mrkdwn_of(body: dict) -> list[str]:
    """Every string of a message that Slack parses as mrkdwn (where `<!channel>` pings)."""
    texts = [body.get("text") or ""]
    for block in body.get("blocks") or []:
        for obj in [block.get("text"), *block.get("fields", []), *block.get("elements", [])]:
            if isinstance(obj, dict) and obj.get("type") == "mrkdwn":
                texts.append(obj["text"])
    return texts


# Markup the bot itself writes: mentions of configured people and groups, local dates, thread links.
OWN_MARKUP = re.compile(
    r"@U0[1-6]|!subteam\^S02|!date\^\d+\^[^|>]*\|[^>]*|https://slack\.com/archives/C0123ORDERS/p\d+\|[^>]*"
)


def assert_no_foreign_markup(texts: list[str]) -> None:
    """Any `<…>` not written by the bot came from someone's text unescaped: it could ping everyone."""
    for text in texts:
        for inner in re.findall(r"<([^>]*)>", text):
            assert OWN_MARKUP.fullmatch(inner), f"unescaped markup <{inner}> in {text[:300]!r}"


# -- strategies -------------------------------------------------------------------------------

PINGS = ["<!channel>", "<!here>", "<!everyone>", "<@UEVIL1>", "<!subteam^SEVIL>", "<#CEVIL|x>"]
FRAGMENTS = [
    *PINGS,
    "<https://evil.example|click>",
    "&",
    "&amp;",
    "&lt;",
    "<",
    ">",
    "*bold*",
    "_it_",
    "~s~",
    "`",
    "```",
    "> quote",
    ":smile:",
    "\n",
    "\t",
    " ",
    "\r",
    "\x00",
    "\x07",
    "\x1b",
    "\x7f",
    "\x85",
    "\u200b",
    "\u2028",
    "\u202e",
    "\ufeff",
    "😀",
    "👩‍👩‍👧",
    "e\u0301",
    "ﷺ",
    "𝟏",
    "١٢",
    "İ",
    "ß",
    "CO-0001",
    "0",
    "-1",
    "2",
]
CONTROL = [c for c in map(chr, range(32)) if c not in "\n\t"]
# Bidirectional embeddings, overrides and isolates: the forms refuse them (text shown reordered)
DIRECTION = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
REFUSED = CONTROL + DIRECTION
# Marks that show as nothing: names and codes (customer, product) are saved without them
INVISIBLE = "\u200b\u200c\u200d\ufeff\u200e\u200f\u2028\u2029\u00ad\u2060"
LONG_UNITS = ["x", "&", "<", "<!channel>", "é", "😀", "1", "a b", "\n", " "]


def long_text(min_size: int = 1, max_size: int = 10_000) -> st.SearchStrategy[str]:
    """Hypothesis rarely draws long text by itself: repeat a unit up to 10,000 characters."""
    return st.builds(
        lambda unit, size: (unit * size)[:size], st.sampled_from(LONG_UNITS), st.integers(min_size, max_size)
    )


hostile_text = st.one_of(
    st.text(max_size=300),  # any code point but surrogates, control characters included
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), max_size=40).map("".join),
    long_text(),
)

# A form's fields are drawn "fine" (the form must save) or "spoiled" (hostile or wrong). Each value comes
# with its verdict: OK must save, BAD must be an inline error on that field, ANY may be either.
# The oracle is the rule each form states to the person typing, not a copy of the code.
OK, BAD, ANY = "ok", "bad", "any"
printable = st.characters(exclude_categories=("Cc", "Cs"), exclude_characters=DIRECTION)


@dataclass(frozen=True)
class Gen:
    fine: st.SearchStrategy[tuple[object, str]]
    spoiled: st.SearchStrategy[tuple[object, str]]


@st.composite
def form(draw: st.DrawFn, **fields: Gen) -> dict[str, tuple[object, str]]:
    """Spoil a few fields at most, so that plenty of examples must save (and are checked as saved)."""
    spoiled = draw(st.sets(st.sampled_from(sorted(fields)), max_size=3))
    return {name: draw(gen.spoiled if name in spoiled else gen.fine) for name, gen in fields.items()}


def text_field(limit: int, *, required: bool) -> Gen:
    fine = st.one_of(
        st.text(printable, min_size=1, max_size=limit),
        st.lists(st.sampled_from([f for f in FRAGMENTS if f not in REFUSED]), min_size=1, max_size=20)
        .map("".join)
        .map(lambda s: s[:limit]),
        st.text(printable, min_size=1, max_size=limit).map(lambda s: f"  {s}\n"),  # trimmed on save
        long_text(limit, limit).filter(lambda s: s[0] != " "),  # exactly at the limit
        st.sampled_from(["&" * limit, "<" * limit, "😀" * limit]),  # the longest once escaped or encoded
    ).filter(lambda s: s.strip())
    blank = st.sampled_from([None, "", "   ", " \n\t "])
    too_long = st.builds(
        lambda unit, size: ("x" + unit * size)[: limit + 1 + size],
        st.sampled_from(["x", "&", "é", "<!channel>", "😀"]),
        st.integers(limit, 10_000),
    )
    control = st.builds(
        lambda a, c, b: f"a{a}{c}{b}b",
        st.text(printable, max_size=20),
        st.sampled_from(REFUSED),
        st.text(printable, max_size=20),
    )
    return Gen(
        fine.map(lambda s: (s, OK)),
        st.one_of(
            blank.map(lambda s: (s, BAD if required else OK)),
            too_long.map(lambda s: (s, BAD)),
            control.map(lambda s: (s, BAD)),
            hostile_text.map(lambda s: (s, ANY)),
        ),
    )


def as_name(typed: str) -> str:
    """A name or code as saved: trimmed, without the invisible marks."""
    return "".join(c for c in typed if c not in INVISIBLE).strip()


def name_field(limit: int) -> Gen:
    """A required name: fine only if something visible is left once the invisible marks go."""
    gen = text_field(limit, required=True)
    fine = gen.fine.map(lambda t: (t[0], t[1] if as_name(t[0]) else BAD))
    return Gen(fine, gen.spoiled)


def whole_number_field(low: int, high: int) -> Gen:
    def typed(numbers: st.SearchStrategy[int]) -> st.SearchStrategy[tuple[str, int]]:
        return st.one_of(
            numbers.map(lambda n: (str(n), n)),
            numbers.filter(lambda n: n >= 0).map(lambda n: (f"{n:,}", n)),  # thousands separators
            numbers.map(lambda n: (f"  {n} ", n)),
        )

    inside = st.one_of(st.sampled_from([low, low + 1, high - 1, high]), st.integers(low, high))
    edges = [low - 1, high + 1, -1, 0, 2**31, 2**63 - 1, 2**63, 2**64, -(2**63)]
    outside = st.one_of(
        st.sampled_from([n for n in edges if not low <= n <= high]),
        st.integers(max_value=low - 1),
        st.integers(min_value=high + 1),
    )
    words = st.sampled_from(["", None, "abc", "1.5", "1e3", "١٢", "𝟏", "0x10", "--1", "+", "-", "1 000", "½"])
    return Gen(
        typed(inside).map(lambda t: (t[0], OK)),
        st.one_of(
            typed(outside).map(lambda t: (t[0], BAD)),
            words.map(lambda s: (s, BAD)),
            long_text().filter(lambda s: not s.strip().isdigit()).map(lambda s: (s, BAD)),
            # too big, up to past the 4,300 digits int() parses (Python's guard against slow conversions)
            st.one_of(st.sampled_from([4300, 4301, 10_000]), st.integers(len(str(high)) + 1, 10_000)).map(
                lambda n: ("1" * n, BAD)
            ),
            hostile_text.map(lambda s: (s, ANY)),
        ),
    )


def date_field(horizon_days: int) -> Gen:
    """`horizon_days`: the latest day surely accepted, counted from today."""
    fine = st.one_of(st.sampled_from([0, 1, horizon_days]), st.integers(0, horizon_days))
    past = st.one_of(st.just(TODAY - timedelta(days=1)), st.dates(max_value=TODAY - timedelta(days=1)))
    far = st.one_of(
        st.just(TODAY + timedelta(days=366 * 20)), st.dates(min_value=TODAY + timedelta(days=366 * 20))
    )
    broken = st.sampled_from([None, "", "2026-02-30", "not-a-date", "2026-13-01", "<!channel>", "9" * 5000])
    return Gen(
        fine.map(lambda d: ((TODAY + timedelta(days=d)).isoformat(), OK)),
        st.one_of(
            past.map(lambda d: (d.isoformat(), BAD)),
            far.map(lambda d: (d.isoformat(), BAD)),
            broken.map(lambda s: (s, BAD)),
        ),
    )


ORDER_DATE_HORIZON = 365 * MAX_YEARS_AHEAD  # surely within the 5-year limit, whatever leap days do
YES_NO = Gen(
    st.sampled_from([("yes", OK), ("no", OK)]), st.sampled_from([(None, BAD), ("maybe", BAD), ("", BAD)])
)


# -- 1. /order <anything> ----------------------------------------------------------------------

command_text = st.one_of(
    hostile_text,
    st.tuples(
        st.sampled_from(["new", "list", "show", "edit", "help", "?", "NEW", "Show", "", "  show"]),
        st.one_of(hostile_text, st.integers().map(str), st.integers(0, 10**12).map(lambda n: f"CO-{n:04d}")),
    ).map(" ".join),
)


@pytest.fixture(scope="module")
def hostile_orders(harness: tuple[Bot, ErrorRecords]) -> None:
    """Saved orders named like an attack, so `/order list` and `/order show` must escape them."""
    bot, _ = harness
    for ping in PINGS:
        register(bot, customer=f"{ping} & Co", product=f"<{ping}>", specification=ping * 100)


@SETTINGS
@given(text=command_text, user=st.sampled_from([SALES, OUTSIDER]))
def test_any_command_text_gets_a_modal_or_an_ephemeral_answer_slack_accepts(
    harness: tuple[Bot, ErrorRecords], hostile_orders: None, text: str, user: str
) -> None:
    bot, errors = harness
    before = mark(bot, errors)
    reply = bot.slack.command(user, text)
    assert reply.status == 200, reply.body
    new_calls = bot.standin.calls[before.calls :]
    opened = [c for c in new_calls if c.method == "views.open"]
    responded = [c.args for c in new_calls if c.method == "response_url"]
    body = reply.json() if reply.body else {}
    if body:
        assert_slack_accepts_message(body)
        assert "Something went wrong" not in body.get("text", "")
    assert opened or responded or body, "no answer at all"
    event("modal" if opened else "ephemeral via response_url" if responded else "answer on the ack")
    for answer in ([body] if body else []) + responded:
        assert_no_foreign_markup(mrkdwn_of(answer))
    assert_no_exception_and_valid_slack_calls(bot, errors, before)
    assert count(bot, Order) == before.orders  # a command alone never saves an order


# -- 2. the new-order modal ------------------------------------------------------------------


def submit_order(bot: Bot, values: dict) -> Reply:
    assert bot.slack.command(SALES, "new").status == 200
    return bot.slack.submit(SALES, bot.slack.last_view(), values)


def assert_inline_errors(reply: Reply, view: dict, must_name: set[str]) -> dict:
    body = reply.json()
    assert body.get("response_action") == "errors", reply.body
    errors = body["errors"]
    inputs = {b["block_id"] for b in view["blocks"] if b["type"] == "input"}
    assert errors and set(errors) <= inputs, errors
    assert all(isinstance(m, str) and 0 < len(m) <= 2000 and "<" not in m for m in errors.values()), errors
    assert must_name <= set(errors), (must_name, errors)
    return errors


def is_plain_ack(reply: Reply) -> bool:
    return reply.status == 200 and reply.body in (b"", b"{}")


def message_texts(message) -> list[str]:  # noqa: ANN001  (a stand-in Message)
    return mrkdwn_of({"text": message.text, "blocks": message.blocks})


def typed_number(raw: str) -> int:
    """The number a person meant by a valid entry such as ' 1,250 '."""
    return int(raw.strip().replace(",", ""))


ORDER_FORM = form(
    customer=name_field(MAX_NAME),
    product=name_field(MAX_NAME),
    quantity=whole_number_field(1, MAX_QUANTITY),
    requested_date=date_field(ORDER_DATE_HORIZON),
    specification=text_field(MAX_SPEC, required=True),
)


@SETTINGS
@given(fields=ORDER_FORM)
@example(  # every text at its limit and at its longest once escaped: the card must still fit
    fields={
        "customer": ("&" * MAX_NAME, OK),
        "product": ("<!channel>" * (MAX_NAME // 10), OK),
        "quantity": (f"{MAX_QUANTITY:,}", OK),
        "requested_date": ((TODAY + timedelta(days=ORDER_DATE_HORIZON)).isoformat(), OK),
        "specification": ("&" * MAX_SPEC, OK),
    }
)
@example(  # a quantity of 4,301 digits: int() refuses to parse it
    fields={
        "customer": ("ACME", OK),
        "product": ("GBX-100", OK),
        "quantity": ("1" * 4301, BAD),
        "requested_date": (TODAY.isoformat(), OK),
        "specification": ("Steel", OK),
    }
)
def test_a_new_order_form_is_saved_as_typed_or_refused_inline(
    harness: tuple[Bot, ErrorRecords], fields: dict[str, tuple[object, str]]
) -> None:
    bot, errors = harness
    typed = {name: raw for name, (raw, _) in fields.items()}
    before = mark(bot, errors)
    reply = submit_order(bot, typed)
    assert reply.status == 200, reply.body
    bad = {name for name, (_, verdict) in fields.items() if verdict == BAD}
    if all(verdict == OK for _, verdict in fields.values()):
        assert is_plain_ack(reply), reply.body
    event("saved" if is_plain_ack(reply) else "inline error")
    if not is_plain_ack(reply):
        assert_inline_errors(reply, bot.slack.last_view(), bad)
        assert (count(bot, Order), count(bot, OutboxMessage)) == (before.orders, before.outbox)
    else:
        assert not bad, (bad, reply.body)
        assert count(bot, Order) == before.orders + 1
        with bot.svc.session() as session:
            order = session.execute(select(Order).order_by(Order.id.desc())).scalars().first()
        saved = (order.customer, order.product, order.specification)
        spec = typed["specification"].strip()
        assert saved == (as_name(typed["customer"]), as_name(typed["product"]), spec)
        assert 1 <= order.quantity <= MAX_QUANTITY
        if fields["quantity"][1] == OK:
            assert order.quantity == typed_number(typed["quantity"])
        assert order.requested_date.isoformat() == typed["requested_date"]
        assert order.status == OrderStatus.AWAITING_CONFIRMATION
        posted = card(bot)
        assert posted.text.startswith(f"{order.number} for ")
        assert_no_foreign_markup([t for m in [posted, *thread(bot)] for t in message_texts(m)])
        assert_outbox_all_sent(bot)
    assert_no_exception_and_valid_slack_calls(bot, errors, before)


# -- 3. the production, supply and commit modals -------------------------------------------------


def open_answer_form(bot: Bot, team: str) -> dict:
    register(bot)  # a fresh order per example: its request is still open
    label, user = ("Production:", PRODUCTION_A) if team == "production" else ("Supply:", SUPPLY)
    assert bot.slack.press(user, find(thread(bot), label), f"Answer for {team}").status == 200
    return bot.slack.last_view()


def newest_request(bot: Bot, team: str) -> ConfirmationRequest:
    with bot.svc.session() as session:
        stmt = select(ConfirmationRequest).where(ConfirmationRequest.team == team)
        return session.execute(stmt.order_by(ConfirmationRequest.id.desc())).scalars().first()


def answer_rule(fields: dict[str, tuple[object, str]], detail: str) -> tuple[bool, set[str]]:
    """The answer form's stated rule: yes needs its detail, no needs a reason, notes within limits.

    Returns whether the form must save, and the fields that must carry an inline error.
    """
    (can_do, can_do_verdict), (notes, notes_verdict) = fields["can_do"], fields["notes"]
    relevant = [can_do_verdict, notes_verdict] + ([fields[detail][1]] if can_do == "yes" else [])
    bad = {"notes"} if notes_verdict == BAD else set()
    if can_do_verdict == BAD:
        bad.add("can_do")
    elif can_do == "yes" and fields[detail][1] == BAD:
        bad.add(detail)
    elif can_do == "no" and notes_verdict != ANY and not (notes or "").strip():
        bad.add("notes")
    return (not bad and all(v == OK for v in relevant)), bad


def check_answer(
    bot: Bot, errors: ErrorRecords, team: str, fields: dict[str, tuple[object, str]]
) -> ConfirmationRequest | None:
    """Submit an answer form; returns the saved request, or None after checking nothing changed."""
    view = open_answer_form(bot, team)
    user = PRODUCTION_A if team == "production" else SUPPLY
    typed = {name: raw for name, (raw, _) in fields.items()}
    must_save, bad = answer_rule(fields, "lead_time_days" if team == "production" else "material_date")
    before, state = mark(bot, errors), snapshot(bot)
    reply = bot.slack.submit(user, view, typed)
    assert reply.status == 200, reply.body
    if must_save:
        assert is_plain_ack(reply), reply.body
    event("saved" if is_plain_ack(reply) else "inline error")
    saved = None
    if not is_plain_ack(reply):
        assert_inline_errors(reply, view, bad)
        assert snapshot(bot) == state and count(bot, OutboxMessage) == before.outbox
    else:
        assert not bad, (bad, reply.body)
        saved = newest_request(bot, team)
        assert saved.answered_by == user and saved.can_do is (typed["can_do"] == "yes")
        assert saved.notes == (typed["notes"] or "").strip()
        echo = find(thread(bot), f"answered for {card(bot).text.split()[0]}")
        assert_no_foreign_markup(message_texts(echo))
        assert_outbox_all_sent(bot)
    assert_no_exception_and_valid_slack_calls(bot, errors, before)
    return saved


@SETTINGS
@given(
    fields=form(
        can_do=YES_NO,
        lead_time_days=whole_number_field(0, MAX_LEAD_DAYS),
        notes=text_field(MAX_NOTES, required=False),
    )
)
@example(fields={"can_do": ("yes", OK), "lead_time_days": ("1" * 4301, BAD), "notes": ("", OK)})
@example(fields={"can_do": ("no", OK), "lead_time_days": ("-1", BAD), "notes": ("&" * MAX_NOTES, OK)})
def test_a_production_answer_is_saved_as_typed_or_refused_inline(
    harness: tuple[Bot, ErrorRecords], fields: dict[str, tuple[object, str]]
) -> None:
    bot, errors = harness
    saved = check_answer(bot, errors, "production", fields)
    if saved is not None and saved.can_do:
        assert 0 <= saved.lead_time_days <= MAX_LEAD_DAYS
        raw, verdict = fields["lead_time_days"]
        if verdict == OK:
            assert saved.lead_time_days == typed_number(raw)
    if saved is not None and not saved.can_do:
        assert saved.lead_time_days is None


@SETTINGS
@given(
    fields=form(
        can_do=YES_NO,
        material_date=date_field(ORDER_DATE_HORIZON),
        notes=text_field(MAX_NOTES, required=False),
    )
)
def test_a_supply_answer_is_saved_as_typed_or_refused_inline(
    harness: tuple[Bot, ErrorRecords], fields: dict[str, tuple[object, str]]
) -> None:
    bot, errors = harness
    saved = check_answer(bot, errors, "supply", fields)
    if saved is not None:
        expected = fields["material_date"][0] if saved.can_do else None
        assert (saved.material_date and saved.material_date.isoformat()) == expected


# reach_commit_prompt's answers: materials on 5 December 2026, lead time 10 days (no approved plan)
EARLIEST_FEASIBLE = date(2026, 12, 15)
# Committing allows materials up to 5 years away plus the longest lead time: 16 years.
COMMIT_HORIZON = 365 * (MAX_YEARS_AHEAD + MAX_LEAD_DAYS // 365 + 1)


@settings(SETTINGS, max_examples=40)  # each example walks an order to its commit prompt first
@given(fields=form(committed_date=date_field(COMMIT_HORIZON), notes=text_field(MAX_NOTES, required=False)))
def test_a_commitment_is_saved_as_typed_or_refused_inline(
    harness: tuple[Bot, ErrorRecords], fields: dict[str, tuple[object, str]]
) -> None:
    bot, errors = harness
    register(bot)
    reach_commit_prompt(bot)
    prompt = find(thread(bot), "confirm a delivery date")
    assert bot.slack.press(SALES, prompt, "Confirm delivery date").status == 200
    view = bot.slack.last_view()
    number = card(bot).text.split()[0]
    typed = {name: raw for name, (raw, _) in fields.items()}
    before, state = mark(bot, errors), snapshot(bot)
    reply = bot.slack.submit(SALES, view, typed)
    assert reply.status == 200, reply.body
    bad = {name for name, (_, verdict) in fields.items() if verdict == BAD}
    # a valid date before the earliest feasible one is said inline: it needs an override reason
    # and a manager (issue 12); nothing is saved either way
    early = fields["committed_date"][1] == OK and typed["committed_date"] < EARLIEST_FEASIBLE.isoformat()
    if all(verdict == OK for _, verdict in fields.values()) and not early:
        assert is_plain_ack(reply), reply.body
    with bot.svc.session() as session:
        order = session.execute(select(Order).where(Order.number == number)).scalars().one()
    event("saved" if is_plain_ack(reply) else "inline error")
    if not is_plain_ack(reply):
        said = assert_inline_errors(reply, view, bad | ({"committed_date"} if early else set()))
        if early and not bad:
            assert "is before the earliest feasible date" in said["committed_date"], said
        assert snapshot(bot) == state and count(bot, OutboxMessage) == before.outbox
        assert order.status == OrderStatus.AWAITING_COMMITMENT
    else:
        assert not bad and not early, (bad, early, reply.body)
        assert order.status == OrderStatus.COMMITTED
        assert order.committed_date.isoformat() == typed["committed_date"]
        assert order.commit_notes == (typed["notes"] or "").strip()
        assert_no_foreign_markup([t for m in thread(bot) for t in message_texts(m)])
        assert_outbox_all_sent(bot)
    assert_no_exception_and_valid_slack_calls(bot, errors, before)
