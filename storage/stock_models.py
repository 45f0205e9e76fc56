"""Tables of the stock record: counts of what is on hand, production output, shipments.

A *source* says where a row came from: "api" (the ERP or warehouse system), "slack" (typed in
Slack), "file:<sha256 of the file, 16 hex>" (a spreadsheet). Rows are idempotent by (item or
line, date, source): the same push twice changes nothing.

Counts keep their history: a later count for the same item and date is a new row, and reading
takes the newest row per item and date (storage/stock_repo.py). Output and shipments keep one
row per (line, date, source), updated in place; a day's figure is the sum over its sources.
Delivered custom orders count as shipments without a row here (read from `orders`).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Float, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models import utc_column


class StockCount(SQLModel, table=True):
    """An item's quantity on hand as of a day, as someone (or a system) counted it."""

    __tablename__ = "stock_count"
    __table_args__ = (Index("ix_stock_count_item_day", "item", "day", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    item: str = Field(max_length=40)
    day: date
    quantity: float = Field(sa_column=Column(Float, nullable=False))
    unit_cost: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    source: str = Field(max_length=80)
    recorded_by: str = Field(max_length=40)  # a Slack user ID, or "api"
    recorded_at: datetime = utc_column(nullable=False)


class ProductionOutput(SQLModel, table=True):
    """Units of one line (product) produced on one day, from one source."""

    __tablename__ = "production_output"
    __table_args__ = (UniqueConstraint("line", "day", "source", name="uq_production_output_line_day_source"),)

    id: int | None = Field(default=None, primary_key=True)
    line: str = Field(max_length=40)
    day: date = Field(index=True)
    quantity: int
    source: str = Field(max_length=80)
    recorded_by: str = Field(max_length=40)
    recorded_at: datetime = utc_column(nullable=False)


class Shipment(SQLModel, table=True):
    """Units of one line shipped on one day (standard orders), from one source."""

    __tablename__ = "shipment"
    __table_args__ = (UniqueConstraint("line", "day", "source", name="uq_shipment_line_day_source"),)

    id: int | None = Field(default=None, primary_key=True)
    line: str = Field(max_length=40)
    day: date = Field(index=True)
    quantity: int
    source: str = Field(max_length=80)
    recorded_by: str = Field(max_length=40)
    recorded_at: datetime = utc_column(nullable=False)
