"""SQLModel tables: the durable facts OrderLoop remembers.

Times are stored as naive UTC (portable across SQLite and PostgreSQL) and handed back
as aware UTC datetimes by `UTCDateTime`, so code above storage never sees a naive time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Index, Text, UniqueConstraint
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


class UTCDateTime(TypeDecorator):
    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def utc_column(**kw: Any) -> Any:
    return Field(default=None, sa_column=Column(UTCDateTime(), **kw))


class OrderStatus:
    AWAITING_CONFIRMATION = "awaiting_confirmation"
    AWAITING_COMMITMENT = "awaiting_commitment"
    # sales promised beyond what can be made (before the earliest date or over the month's plan):
    # a manager approves or rejects it (workflows/orders.py request_approval)
    AWAITING_APPROVAL = "awaiting_approval"
    DECLINED = "declined"
    COMMITTED = "committed"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"

    OPEN = (AWAITING_CONFIRMATION, AWAITING_COMMITMENT, AWAITING_APPROVAL, DECLINED, COMMITTED)


class Order(SQLModel, table=True):
    __tablename__ = "orders"  # "order" is an SQL keyword
    __table_args__ = (
        # available-to-promise sums one line's committed quantities over one month: an index range,
        # covering (status and quantity are read from the index, never from the table)
        Index("ix_orders_line_committed", "line", "committed_date", "status", "quantity"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str | None = Field(default=None, unique=True, index=True)
    customer: str
    product: str
    quantity: int
    requested_date: date
    specification: str = ""
    salesperson: str
    status: str = Field(default=OrderStatus.AWAITING_CONFIRMATION, index=True)
    revision: int = 1
    created_at: datetime = utc_column(nullable=False)
    updated_at: datetime = utc_column(nullable=False)
    committed_date: date | None = None
    committed_by: str | None = None
    committed_at: datetime | None = utc_column()
    commit_notes: str = ""
    cancelled_by: str | None = None
    # after commitment: what actually happened, compared with what was promised
    materials_arrived_date: date | None = None
    materials_recorded_by: str | None = None
    delivered_date: date | None = None
    delivered_by: str | None = None
    # the catalogue product (workflows/catalogue.py) and the line whose plan it uses; both None for
    # a product typed as free text (and for orders registered before the catalogue existed)
    product_code: str | None = Field(default=None, max_length=60)
    line: str | None = Field(default=None, max_length=60)


class ConfirmationRequest(SQLModel, table=True):
    """One team's answer to one revision of an order: can we make it / source it, and when."""

    __table_args__ = (
        UniqueConstraint("order_id", "team", "revision"),
        # the sweep looks for open requests by deadline; keep that an index range scan
        Index("ix_request_open_due", "answered_at", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id", index=True)
    team: str  # "production" | "supply"
    revision: int
    requested_at: datetime = utc_column(nullable=False)
    due_at: datetime = utc_column(nullable=False)
    answered_at: datetime | None = utc_column()
    answered_by: str | None = None
    can_do: bool | None = None
    lead_time_days: int | None = None  # production
    material_date: date | None = None  # supply
    notes: str = ""
    late: bool = False
    superseded: bool = False  # a revision replaced it before it was answered
    reminded_at: datetime | None = utc_column()
    escalated_at: datetime | None = utc_column()  # the deadline passed unanswered: a recorded breach


class OrderEvent(SQLModel, table=True):
    """Append-only history of an order: who did what when (audit trail, digest, KPIs)."""

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id", index=True)
    at: datetime = utc_column(nullable=False)
    actor: str | None = None
    kind: str
    data: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class PostedMessage(SQLModel, table=True):
    """Where a message the bot may edit later lives in Slack (channel + ts), by our own key."""

    key: str = Field(primary_key=True)
    channel: str
    ts: str


class OutboxMessage(SQLModel, table=True):
    """A message the bot owes Slack. Written in the same transaction as the change it reports."""

    __table_args__ = (Index("ix_outbox_pending", "sent_at", "stream", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)  # idempotency: the same message is never queued twice
    stream: str  # messages of one stream (one order) are delivered strictly in order
    op: str  # "post" | "update"
    channel: str | None = None  # None: resolved from the target's PostedMessage
    thread_key: str | None = None  # post as a reply in this PostedMessage's thread
    target_key: str  # post: key to store the new ts under; update: key of the message to edit
    kind: str  # which renderer builds the payload at delivery time
    params: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = utc_column(nullable=False)
    next_attempt_at: datetime = utc_column(nullable=False)
    claimed_until: datetime | None = utc_column()
    attempts: int = 0
    # attempts whose outcome is known not to have posted (429, an error answer). When
    # attempts > settled_attempts the last try may have posted before we lost track
    # (crash, timeout), so delivery looks for the message in Slack before posting again.
    settled_attempts: int = 0
    sent_at: datetime | None = utc_column()
    dead: bool = False  # Slack rejected the payload itself; retrying cannot help
    last_error: str | None = None


class DueItem(SQLModel, table=True):
    """A moment when the bot must act (remind, escalate, …). The database, not a scheduler, remembers it."""

    __table_args__ = (Index("ix_due_pending", "done_at", "due_at"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)  # e.g. "request:12:remind": one per thing and moment
    kind: str
    ref_id: int | None = None
    due_at: datetime = utc_column(nullable=False)
    done_at: datetime | None = utc_column()
    outcome: str | None = None  # what happened: "sent", "skipped: answered", …


class Problem(SQLModel, table=True):
    """Something wrong with an order that one team must act on; open until that team resolves it."""

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id", index=True)
    team: str  # the team that must act
    description: str
    raised_by: str
    raised_at: datetime = utc_column(nullable=False)
    resolved_at: datetime | None = utc_column(index=True)
    resolved_by: str | None = None


class ChangeOrigin:
    """Who asked for a change: the customer (it moves the promise) or an internal reason (it does not)."""

    CUSTOMER = "customer"
    INTERNAL = "internal"

    ALL = (CUSTOMER, INTERNAL)


class OrderChange(SQLModel, table=True):
    """A change to a committed order's quantity or delivery date, with before/after values."""

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id", index=True)
    requested_by: str  # the salesperson who entered it (a Slack user ID)
    # who asked for it (ChangeOrigin); changes from before this was recorded count as the customer's
    origin: str = Field(
        default=ChangeOrigin.CUSTOMER,
        max_length=16,
        sa_column_kwargs={"server_default": ChangeOrigin.CUSTOMER},
    )
    requested_at: datetime = utc_column(nullable=False)
    before: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    after: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    reason: str = ""


class ChangeAck(SQLModel, table=True):
    """One team's acknowledgement of an order change, on the same 24-hour clock as confirmations."""

    __table_args__ = (UniqueConstraint("change_id", "team"),)

    id: int | None = Field(default=None, primary_key=True)
    change_id: int = Field(foreign_key="orderchange.id", index=True)
    order_id: int = Field(foreign_key="orders.id", index=True)
    team: str  # "production" | "supply"
    due_at: datetime = utc_column(nullable=False)
    acked_at: datetime | None = utc_column()
    acked_by: str | None = None
    late: bool = False
    reminded_at: datetime | None = utc_column()
    escalated_at: datetime | None = utc_column()


class SeenEvent(SQLModel, table=True):
    """Events API deliveries already handled, so Slack's retries and redeliveries change nothing twice."""

    event_id: str = Field(primary_key=True, max_length=100)
    seen_at: datetime = utc_column(nullable=False, index=True)


class OpenedView(SQLModel, table=True):
    """A modal the bot opened: for whom, which form, what it carries, and whether it was saved.

    A submission is taken only for a view recorded here, from the same person, with the same
    form and metadata; claiming the row (submitted_at) and the write share one transaction, so
    one view yields one write however often it is submitted."""

    view_id: str = Field(primary_key=True, max_length=64)
    user_id: str = Field(max_length=32)
    callback_id: str = Field(max_length=255)
    private_metadata: str = Field(default="", sa_column=Column(Text, nullable=False))
    opened_at: datetime = utc_column(nullable=False, index=True)
    submitted_at: datetime | None = utc_column()
    # A form applied after its ack (bot.forms, Submission.after_ack) is saved first as what was
    # submitted (its state.values, JSON) and applied from it; applied_at marks it done. A form
    # written before its ack is applied as it is claimed (both stamps at once).
    submitted_values: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    applied_at: datetime | None = utc_column()


class HealthProbe(SQLModel, table=True):
    """One row /healthz rewrites: proof that the database takes a write, not only a read."""

    name: str = Field(primary_key=True, max_length=64)
    at: datetime = utc_column(nullable=False)
