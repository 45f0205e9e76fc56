"""The business configuration read from orderloop.toml: teams, channels, SLA, schedule, review.

Validated strictly (unknown keys are errors) so a typo stops start-up instead of being ignored.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    ValidationInfo,
    field_validator,
    model_validator,
)

from workflows.materials_config import Materials, check_materials

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _slack_member_id(value: str) -> str:
    if not re.fullmatch(r"[UWS][A-Z0-9]{1,20}", value):
        raise ValueError(f"{value!r} is not a Slack user (U…/W…) or user-group (S…) ID")
    return value


def _channel_id(value: str) -> str:
    if not re.fullmatch(r"[CGD][A-Z0-9]{1,20}", value):
        raise ValueError(f"{value!r} is not a Slack channel ID (C…/G…)")
    return value


def _clock_time(value: str) -> str:
    try:
        time.fromisoformat(value)
    except ValueError:
        raise ValueError(f'{value!r} is not a time of day like "09:00"') from None
    return value


def _iso_date(value: object) -> date:
    """A calendar day: a TOML date (2026-02-14) or a string "2026-02-14"; nothing looser."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    shown = repr(value) if isinstance(value, str) else str(value)
    raise ValueError(f'{shown} is not a date like "2026-02-14"')


MemberId = Annotated[str, AfterValidator(_slack_member_id)]
ChannelId = Annotated[str, AfterValidator(_channel_id)]
ClockTime = Annotated[str, AfterValidator(_clock_time)]
IsoDate = Annotated[date, PlainValidator(_iso_date)]
Members = Annotated[list[MemberId], Field(min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Teams(Strict):
    sales: Members
    production: Members
    supply: Members
    managers: Members
    # People who may read orders, plans and KPIs but act on nothing (user or user-group IDs).
    viewers: list[MemberId] = Field(default_factory=list)


class Sla(Strict):
    confirm_within_hours: float = Field(default=24, gt=0, le=24 * 30)
    remind_before_hours: float = Field(default=4, ge=0)
    working_hours: str | None = None  # "09:00-18:00"; None: the clock is plain wall time
    working_days: list[Literal["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]] = Field(
        default=["Mon", "Tue", "Wed", "Thu", "Fri"], min_length=1
    )
    holidays: list[date] | str = Field(default_factory=list)  # dates, or a country code ("CN")
    # The company's own calendar on top of the above: days it works (a Saturday shift, a public
    # holiday it stays open) and days it closes (a factory shutdown, even on a make-up working day).
    extra_workdays: list[IsoDate] = Field(default_factory=list)
    extra_holidays: list[IsoDate] = Field(default_factory=list)

    @field_validator("working_hours")
    @classmethod
    def _hours_range(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = value.split("-")
        if len(parts) != 2:
            raise ValueError(f'{value!r} is not a range like "09:00-18:00"')
        start, end = (time.fromisoformat(_clock_time(p.strip())) for p in parts)
        if start >= end:
            raise ValueError(f"{value!r} must start before it ends")
        return value

    @field_validator("holidays")
    @classmethod
    def _country(cls, value: list[date] | str) -> list[date] | str:
        if isinstance(value, str):
            import holidays

            if value.upper() not in holidays.list_supported_countries():
                raise ValueError(f"{value!r} is not a country code the holidays package knows")
        return value

    @model_validator(mode="after")
    def _reminder_inside_window(self) -> Sla:
        if self.remind_before_hours >= self.confirm_within_hours:
            raise ValueError("remind_before_hours must be less than confirm_within_hours")
        return self

    @model_validator(mode="after")
    def _workday_or_holiday_not_both(self) -> Sla:
        listed = self.holidays if isinstance(self.holidays, list) else []
        for name, days in (("extra_holidays", self.extra_holidays), ("holidays", listed)):
            if both := sorted(set(self.extra_workdays) & set(days)):
                raise ValueError(f"{both[0].isoformat()} is in both extra_workdays and {name}")
        return self


class Schedule(Strict):
    digest_time: ClockTime = "09:00"
    review_day: int = Field(default=5, ge=1, le=28)
    review_time: ClockTime = "09:00"
    review_shift: Literal["none", "next_workday"] = "none"
    personal_digest: bool = True
    submit_reminder_days: int = Field(default=3, ge=1, le=27)
    sweep_seconds: int = Field(default=30, ge=5, le=3600)


def _buffer(value: object) -> float:
    """A buffer on the agreed quantity: a fraction (0.055) or a percentage ("5.5%"), 0 to 1000 %.

    A percentage is read through its decimal text, so "5.5%" is exactly 0.055 (900 → 950)."""
    if isinstance(value, bool):
        raise ValueError(f'{value} is not a buffer like 0.055 or "5.5%"')
    if isinstance(value, str):
        text = value.strip().replace("％", "%")
        match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*%", text)
        if match is None:
            raise ValueError(f'{value!r} is not a buffer like 0.055 or "5.5%"')
        fraction = Decimal(match.group(1)) / 100
    elif isinstance(value, int | float):
        fraction = Decimal(str(value))
    else:
        raise ValueError(f'{value!r} is not a buffer like 0.055 or "5.5%"')
    if not Decimal(0) <= fraction <= Decimal(10):
        raise ValueError(f"{value!r} is outside 0 to 1000 % (0 to 10 as a fraction)")
    return float(fraction)


Buffer = Annotated[float, PlainValidator(_buffer)]


class Review(Strict):
    # a fraction of the agreed quantity (0.055) or a percentage ("5.5%"), see workflows/review_plan.py
    capacity_buffer: Buffer = 0.055
    material_buffer: Buffer = 0.111
    core_products: list[Annotated[str, Field(min_length=1, max_length=60)]] = Field(default_factory=list)


def _not_blank(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("must not be empty")
    return value


def _product_code(value: str) -> str:
    value = _not_blank(value)
    if re.search(r"\s", value):
        raise ValueError(f'{value!r} has a space in it; a product code is one word like "GBX-100"')
    return value


class Product(Strict):
    """One `[[products]]` entry: what sales can pick on the new-order form.

    `line` names the core product (`review.core_products`) whose monthly plan this product uses;
    a core product is its own line and may leave it out. A product without a line is in the
    catalogue but planned by no review: nothing limits how much of it can be promised.
    """

    code: Annotated[str, AfterValidator(_product_code), Field(max_length=60)]
    name: Annotated[str, AfterValidator(_not_blank), Field(max_length=100)]
    unit: Annotated[str, AfterValidator(_not_blank), Field(max_length=20)]
    line: Annotated[str, AfterValidator(_not_blank), Field(max_length=60)] | None = None


class Config(Strict):
    timezone: str
    # The language of what a channel reads; "zh" is taken for "zh-CN". What one person reads
    # follows their Slack language when language_per_user is on (bot/people.py).
    language: Literal["en", "zh-CN"] = "en"
    language_per_user: bool = True
    orders_channel: ChannelId
    review_channel: ChannelId | None = None
    teams: Teams
    sla: Sla = Sla()
    schedule: Schedule = Schedule()
    review: Review = Review()
    # The product catalogue (workflows/catalogue.py). Declared after `review`: its lines are checked
    # against review.core_products.
    products: list[Product] = Field(default_factory=list)

    @field_validator("products")
    @classmethod
    def _catalogue(cls, value: list[Product], info: ValidationInfo) -> list[Product]:
        review = info.data.get("review")
        core = set(review.core_products) if review is not None else set()
        seen: dict[str, str] = {name.casefold(): name for name in core}
        for product in value:
            key = product.code.casefold()
            if product.code not in core and key in seen:
                was = "review.core_products" if seen[key] in core else "products"
                raise ValueError(f"code {product.code!r} is listed twice (as {seen[key]!r} in {was})")
            if product.code in core and any(p is not product and p.code == product.code for p in value):
                raise ValueError(f"code {product.code!r} is listed twice (as {product.code!r} in products)")
            seen[key] = product.code
        for product in value:
            if product.line is None:
                continue
            if product.line not in core:
                raise ValueError(
                    f"{product.code!r} has line {product.line!r}, which is not in review.core_products"
                )
            if product.code in core and product.line != product.code:
                raise ValueError(
                    f"{product.code!r} is a core product, so it is its own line (not {product.line!r})"
                )
        return value

    materials: Materials = Field(default_factory=list)  # key materials (workflows/materials_config.py)
    _materials = field_validator("materials")(check_materials)

    @field_validator("language", mode="before")
    @classmethod
    def _language_alias(cls, value: object) -> object:
        return (
            {"zh": "zh-CN", "zh_CN": "zh-CN", "zh-cn": "zh-CN"}.get(value, value)
            if isinstance(value, str)
            else value
        )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f'{value!r} is not an IANA time zone name like "Asia/Shanghai"') from None
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def agenda_channel(self) -> str:
        return self.review_channel or self.orders_channel
