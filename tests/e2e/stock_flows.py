"""Steps the stock's end-to-end tests share: typing counts in Slack, uploading a spreadsheet
through the stand-in (the file, its message, the file_shared event), pressing its buttons."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

from sqlalchemy import select

from bot.stock.ids import Stock, item_field
from storage import stock_repo
from storage.stock_models import StockCount
from workflows.stock_inputs import CountRow

MATERIALS = [
    {"code": "ALLOY-A", "name": "Alloy A", "unit": "kg", "safety_stock": 1500, "per_unit": {"GBX-100": 2.5}}
]
TODAY = "2026-11-25"  # the FakeClock's day in Shanghai


def stock(bot, user: str, text: str = ""):  # noqa: ANN001, ANN201
    return bot.slack.command(user, text, command="/stock")


def reply_text(reply) -> str:  # noqa: ANN001
    body = reply.json()
    parts = [body.get("text", "")]
    for block in body.get("blocks", []):
        text = block.get("text")
        if isinstance(text, dict):
            parts.append(text.get("text", ""))
        for element in block.get("elements", []):
            if isinstance(element.get("text"), str):
                parts.append(element["text"])
            elif isinstance(element.get("text"), dict):
                parts.append(element["text"].get("text", ""))
    return "\n".join(parts)


def record(bot, user: str, action: Stock, values: dict, day: str = TODAY):  # noqa: ANN001, ANN201
    """Press a Record button of /stock and submit its form (item codes as keys)."""
    assert bot.slack.click(user, action, action.rsplit(".", 1)[-1]).status == 200
    view = bot.slack.last_view()
    fields = {Stock.F_DATE: day, **{item_field(code): value for code, value in values.items()}}
    return bot.slack.submit(user, view, fields)


def saved_counts(bot) -> list[tuple]:  # noqa: ANN001
    with bot.svc.session() as session:
        rows = session.execute(select(StockCount).order_by(StockCount.id)).scalars()
        return [(r.item, r.day.isoformat(), r.quantity, r.source, r.recorded_by) for r in rows]


def seed_counts(bot, rows: list[tuple[str, str, float]]) -> None:  # noqa: ANN001
    with bot.svc.session() as session:
        stock_repo.save_counts(
            session,
            [CountRow(item, date.fromisoformat(day), quantity) for item, day, quantity in rows],
            source=stock_repo.API,
            who="api",
            now=datetime(2026, 11, 24, tzinfo=UTC),
        )


def xlsx(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv(rows: list[list[object]]) -> bytes:
    return ("\n".join(",".join(str(cell) for cell in row) for row in rows) + "\n").encode()


def upload(bot, user: str, name: str, data: bytes, channel: str | None = None):  # noqa: ANN001, ANN201
    """A person shares a file in their DM with the bot (or a channel); Slack sends file_shared."""
    file_id = bot.standin.share_file(user, channel or f"D{user}", name, data)
    assert bot.slack.event(bot.standin.file_shared_event(file_id)).status == 200
    return file_id


def bot_dms(bot, user: str) -> list:  # noqa: ANN001
    return [m for m in bot.standin.messages(user) if m.user is None]


def preview(bot, user: str):  # noqa: ANN001, ANN201
    found = [m for m in bot_dms(bot, user) if m.blocks]
    assert found, "no preview in the DM"
    return found[-1]
