"""Tables of the monthly demand review (submissions, attendance, agenda, approved plan).

Every review is identified by its *plan month* ("2026-12"): the review held on the 5th of
November plans December, and its submissions, attendance, agenda and plan all carry "2026-12".
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from storage.models import utc_column


class ReviewSubmission(SQLModel, table=True):
    """One department's numbers for one plan month. A resubmission supersedes, never deletes."""

    __table_args__ = (
        # at most one current submission per department and month, even across replicas
        Index(
            "uq_review_submission_current",
            "month",
            "team",
            unique=True,
            sqlite_where=text("superseded_at IS NULL"),
            postgresql_where=text("superseded_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    month: str = Field(index=True)  # plan month, "YYYY-MM"
    team: str  # "sales" | "production" | "supply"
    submitted_by: str
    submitted_at: datetime = utc_column(nullable=False)
    # {product: {field: value}}; the fields depend on the team (see workflows/review_inputs.py)
    rows: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    note: str = ""  # the team-wide note (notes that did not fit per product)
    superseded_at: datetime | None = utc_column()


class ReviewAttendance(SQLModel, table=True):
    """A participant who confirmed they attend the review of a plan month."""

    __table_args__ = (UniqueConstraint("month", "user"),)

    id: int | None = Field(default=None, primary_key=True)
    month: str = Field(index=True)
    user: str
    team: str  # the department they attend for (their first of sales/production/supply/managers)
    confirmed_at: datetime = utc_column(nullable=False)


class ReviewAgenda(SQLModel, table=True):
    """The agenda posted for a plan month; its Slack channel/ts live in PostedMessage under `message_key`."""

    id: int | None = Field(default=None, primary_key=True)
    month: str = Field(unique=True)
    channel: str
    message_key: str  # e.g. "review:2026-12:agenda"
    review_at: datetime = utc_column(nullable=False)
    posted_at: datetime = utc_column(nullable=False)


class ReviewPlan(SQLModel, table=True):
    """The plan managers approved for a month: the agreed rows, who approved it, and when."""

    id: int | None = Field(default=None, primary_key=True)
    month: str = Field(unique=True)
    rows: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    adjusted: bool = False  # managers changed at least one row from the draft
    note: str = ""
    approved_by: str
    approved_at: datetime = utc_column(nullable=False)


class FollowUpStatus:
    OPEN = "open"
    DONE = "done"


class FollowUp(SQLModel, table=True):
    """A follow-up action the review's approval created: one owner, a due day, a text.

    `kind` says where it came from: "shortfall" (sales follows up with key customers on the
    quantity short), "materials" (supply secures the material target), "capacity" (production
    reserves the capacity target), or "other" (a manager wrote it). `text` is what the manager
    wrote; empty, the bot words the kind with `product` and `quantity` in the reader's language."""

    __tablename__ = "review_followup"
    __table_args__ = (Index("ix_review_followup_status_owner", "status", "owner"),)

    id: int | None = Field(default=None, primary_key=True)
    month: str = Field(index=True)  # the plan month whose review created it
    product: str = ""  # the product (line) it is about; "" for none
    kind: str = "other"
    quantity: int | None = None  # the quantity short, or the target to secure/reserve
    owner: str  # a Slack user ID
    team: str  # the owner's department ("sales", "production", "supply" or "managers")
    due_on: date
    text: str = ""
    status: str = Field(default=FollowUpStatus.OPEN)
    done_by: str | None = None
    done_at: datetime | None = utc_column()
    created_by: str
    created_at: datetime = utc_column(nullable=False)
