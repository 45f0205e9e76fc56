"""/stock end to end through signed requests: the stock's health, counts, output and shipments
typed in Slack, a spreadsheet uploaded through the stand-in (file event, files.info, download),
its preview and import, a bad spreadsheet's rows, refusals, and the .xlsx template."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from bot.sandbox.driver import TOKEN
from bot.stock.ids import Stock
from storage.stock_models import ProductionOutput, Shipment
from tests.conftest import MANAGER, OUTSIDER, PRODUCTION_A, SALES, SUPPLY, make_config
from tests.e2e.stock_flows import (
    MATERIALS,
    TODAY,
    bot_dms,
    csv,
    preview,
    record,
    reply_text,
    saved_counts,
    seed_counts,
    stock,
    upload,
    xlsx,
)
from tests.helpers import button_labels, ephemeral_texts, inline_errors


@pytest.fixture
def config():  # noqa: ANN201
    return make_config(materials=MATERIALS)


def test_stock_shows_each_item_with_its_health_and_the_record_buttons(bot) -> None:  # noqa: ANN001
    seed_counts(bot, [("ALLOY-A", "2026-11-24", 1000), ("GBX-100", "2026-11-10", 40)])
    reply = stock(bot, SALES)
    assert reply.status == 200
    text = reply_text(reply)
    assert "*ALLOY-A* Alloy A: 1,000 kg on hand" in text
    assert "Safety stock 1,500. *Below safety stock.*" in text
    assert "*GBX-100*: 40 on hand" in text and "No count in the last 7 days." in text
    assert "*MTR-7*: never counted." in text
    assert "*ALLOY-A* Alloy A covers 400 GBX-100." in text  # 1,000 kg ÷ 2.5 kg a gearbox
    labels = [
        e["text"]["text"] for b in reply.json()["blocks"] for e in b.get("elements", []) if "action_id" in e
    ]
    assert labels == ["Record counts", "Record output", "Record shipments"]


def test_an_outsider_is_refused_everything(bot) -> None:  # noqa: ANN001
    # the team's group is not cached yet: the ack is empty and the refusal follows on the response_url
    assert stock(bot, OUTSIDER).status == 200
    assert "Orders, plans and KPIs are shown only to" in ephemeral_texts(bot)[-1]
    assert "Orders, plans and KPIs are shown only to" in reply_text(stock(bot, OUTSIDER, "template"))
    assert bot.standin.calls_to("files.getUploadURLExternal") == []
    upload(bot, OUTSIDER, "counts.csv", csv([["item", "date", "quantity"], ["ALLOY-A", TODAY, 5]]))
    assert "The stock is shown only to" in bot_dms(bot, OUTSIDER)[-1].text
    assert bot.standin.calls_to("files.info") == [] and bot.standin.downloads == []
    bot.slack.click(OUTSIDER, Stock.A_RECORD_COUNTS, "counts")
    assert "can record stock counts" in ephemeral_texts(bot)[-1]
    assert bot.standin.calls_to("views.open") == []
    assert saved_counts(bot) == []


def test_a_count_typed_in_slack_is_saved_and_prefills_the_next_form(bot) -> None:  # noqa: ANN001
    reply = record(bot, SUPPLY, Stock.A_RECORD_COUNTS, {"ALLOY-A": "2,050"})
    assert reply.status == 200 and reply.body in (b"", b"{}"), reply.body
    assert saved_counts(bot) == [("ALLOY-A", TODAY, 2050.0, "slack", SUPPLY)]
    assert "Saved 1 count for" in bot_dms(bot, SUPPLY)[-1].text
    # supply counts materials only; the next form shows the last count
    bot.slack.click(SUPPLY, Stock.A_RECORD_COUNTS, "counts")
    view = bot.slack.last_view()
    inputs = [b for b in view["blocks"] if b["type"] == "input" and b["block_id"].startswith("item:")]
    assert [(b["block_id"], b["element"].get("initial_value")) for b in inputs] == [("item:ALLOY-A", "2050")]
    # production counts the finished goods
    bot.slack.click(PRODUCTION_A, Stock.A_RECORD_COUNTS, "counts")
    view = bot.slack.last_view()
    assert [b["block_id"] for b in view["blocks"] if b.get("block_id", "").startswith("item:")] == [
        "item:GBX-100",
        "item:MTR-7",
    ]
    assert "2,050 kg on hand" in reply_text(stock(bot, SALES))


def test_bad_counts_are_shown_on_the_form_and_nothing_is_saved(bot) -> None:  # noqa: ANN001
    errors = inline_errors(record(bot, SUPPLY, Stock.A_RECORD_COUNTS, {"ALLOY-A": "-5"}))
    assert errors == {"item:ALLOY-A": "The quantity must not be negative."}
    errors = inline_errors(record(bot, SUPPLY, Stock.A_RECORD_COUNTS, {"ALLOY-A": "lots"}))
    assert errors == {"item:ALLOY-A": "The quantity `lots` is not a number."}
    errors = inline_errors(record(bot, SUPPLY, Stock.A_RECORD_COUNTS, {"ALLOY-A": "5"}, day="2026-12-01"))
    assert errors == {"stock_date": "The date 2026-12-01 is after today (2026-11-25)."}
    errors = inline_errors(record(bot, SUPPLY, Stock.A_RECORD_COUNTS, {"ALLOY-A": None}))
    assert errors == {"item:ALLOY-A": "Fill in at least one quantity."}
    assert saved_counts(bot) == []


def test_output_and_shipments_are_recorded_by_their_teams(bot) -> None:  # noqa: ANN001
    assert record(bot, PRODUCTION_A, Stock.A_RECORD_OUTPUT, {"GBX-100": "120"}).status == 200
    assert record(bot, SALES, Stock.A_RECORD_SHIPMENTS, {"MTR-7": "30"}).status == 200
    errors = inline_errors(record(bot, SALES, Stock.A_RECORD_SHIPMENTS, {"MTR-7": "2.5"}))
    assert errors == {"item:MTR-7": "The quantity must be a whole number of units."}
    with bot.svc.session() as session:
        output = [
            (r.line, r.quantity, r.recorded_by) for r in session.execute(select(ProductionOutput)).scalars()
        ]
        shipped = [(r.line, r.quantity, r.recorded_by) for r in session.execute(select(Shipment)).scalars()]
    assert output == [("GBX-100", 120, PRODUCTION_A)] and shipped == [("MTR-7", 30, SALES)]
    assert "Output saved for 1 line on" in bot_dms(bot, PRODUCTION_A)[-1].text


def test_each_button_refuses_the_wrong_team(bot) -> None:  # noqa: ANN001
    opened = len(bot.standin.calls_to("views.open"))
    bot.slack.click(SALES, Stock.A_RECORD_COUNTS, "counts")
    bot.slack.click(SUPPLY, Stock.A_RECORD_OUTPUT, "output")
    bot.slack.click(PRODUCTION_A, Stock.A_RECORD_SHIPMENTS, "shipments")
    assert len(bot.standin.calls_to("views.open")) == opened
    said = ephemeral_texts(bot)
    assert any("Only the supply team (materials), the production team (finished goods)" in t for t in said)
    assert any("Only the production team (or a manager) can record production output." in t for t in said)
    assert any("Only the sales team (or a manager) can record shipments." in t for t in said)
    # a manager records anything
    assert record(bot, MANAGER, Stock.A_RECORD_COUNTS, {"ALLOY-A": "10", "GBX-100": "3"}).status == 200
    assert [row[0] for row in saved_counts(bot)] == ["GBX-100", "ALLOY-A"]


def test_a_spreadsheet_uploaded_in_a_dm_is_previewed_then_imported_once(bot) -> None:  # noqa: ANN001
    data = xlsx(
        [["日期", "item", "quantity", "unit"], [TODAY, "ALLOY-A", 2050, "公斤"], [None, None, None, None]]
    )
    file_id = upload(bot, SUPPLY, "counts.xlsx", data)
    assert [c.args["file"] for c in bot.standin.calls_to("files.info")] == [file_id]
    assert bot.standin.downloads == [(f"/files-pri/T0001-{file_id}/download/counts.xlsx", TOKEN)]
    shown = preview(bot, SUPPLY)
    assert "*counts.xlsx*: 1 row read. 1 row to import." in shown.text
    assert button_labels(shown) == ["Import", "Cancel"]
    assert saved_counts(bot) == []  # nothing before Import
    assert bot.slack.press(SUPPLY, shown, "Import").status == 200
    assert "Imported 1 row from *counts.xlsx*." in ephemeral_texts(bot)[-1]
    assert [row[:3] for row in saved_counts(bot)] == [("ALLOY-A", TODAY, 2050.0)]
    # the same file again changes nothing
    bot.slack.press(SUPPLY, shown, "Import")
    assert "*counts.xlsx* was imported already, so nothing changed." in ephemeral_texts(bot)[-1]
    upload(bot, SUPPLY, "again.xlsx", data)
    bot.slack.press(SUPPLY, preview(bot, SUPPLY), "Import")
    assert "was imported already" in ephemeral_texts(bot)[-1]
    assert len(saved_counts(bot)) == 1


def test_a_bad_spreadsheet_lists_each_bad_row_and_imports_nothing(bot) -> None:  # noqa: ANN001
    rows = [
        ["item", "date", "quantity"],
        ["ALLOY-A", TODAY, 100],
        ["NOPE-1", TODAY, 5],
        [],
        ["ALLOY-A", "2026-11-20", -3],
        ["ALLOY-A", "2027-01-02", 4],
        ["ALLOY-A", "2026-11-21", "many"],
        ["GBX-100", TODAY, 7],
        ["<!channel>", TODAY, 1],
    ]
    upload(bot, SUPPLY, "bad.csv", csv(rows))
    shown = preview(bot, SUPPLY)
    text = "\n".join(b["text"]["text"] for b in shown.blocks if b.get("text"))
    assert "*bad.csv*: 7 rows read. 6 rows cannot be imported:" in text
    assert "Row 3: `NOPE-1` is not an item code of the stock." in text
    assert "Row 5: The quantity must not be negative." in text
    assert "Row 6: The date 2027-01-02 is after today (2026-11-25)." in text
    assert "Row 7: The quantity `many` is not a number." in text
    assert "Row 8: You may not record `GBX-100`: the production team records its counts." in text
    assert "Row 9: `&lt;!channel&gt;` is not an item code of the stock." in text
    assert "Import" not in button_labels(shown)
    assert saved_counts(bot) == []


def test_files_that_are_not_for_the_bot_or_too_large_are_refused_or_ignored(bot) -> None:  # noqa: ANN001
    upload(bot, SUPPLY, "counts.csv", csv([["item", "date", "quantity"]]), channel="C0123ORDERS")
    assert bot.standin.calls_to("files.info") == []  # a channel the bot does not read
    upload(bot, SUPPLY, "photo.png", b"\x89PNG")
    assert "I can read only .xlsx and .csv files" in bot_dms(bot, SUPPLY)[-1].text
    big = b"item,date,quantity\n" + b"ALLOY-A,2026-11-25,1\n" * 260_000
    assert len(big) > 5 * 1024 * 1024
    upload(bot, SUPPLY, "big.csv", big)
    assert "This file is larger than 5 MB" in bot_dms(bot, SUPPLY)[-1].text
    assert bot.standin.downloads == []  # refused from files.info's size, never downloaded
    upload(bot, SALES, "counts.csv", csv([["item", "date", "quantity"], ["ALLOY-A", TODAY, 1]]))
    assert "Only the supply team (materials)" in bot_dms(bot, SALES)[-1].text


def test_stock_import_says_how_and_help_lists_the_commands(bot) -> None:  # noqa: ANN001
    assert "upload an .xlsx or .csv file in your direct message with me" in reply_text(
        stock(bot, SUPPLY, "import")
    )
    assert "`/stock template`" in reply_text(stock(bot, SUPPLY, "help"))
    assert "I don't know `/stock nonsense`" in reply_text(stock(bot, SUPPLY, "nonsense"))


def test_the_template_is_an_xlsx_of_the_items_sent_by_dm(bot) -> None:  # noqa: ANN001
    from openpyxl import load_workbook

    # production is a user group not cached yet: the answer follows on the response_url
    assert stock(bot, PRODUCTION_A, "template").status == 200
    assert "Sending you the template" in ephemeral_texts(bot)[0]
    assert len(bot.standin.calls_to("files.getUploadURLExternal")) == 1
    complete = bot.standin.calls_to("files.completeUploadExternal")
    assert len(complete) == 1 and complete[0].response["ok"], complete
    sent = bot.standin.file_messages(PRODUCTION_A)
    assert len(sent) == 1 and "The stock template" in sent[0].text
    data = bot.standin.file_bytes(sent[0].files[0]["id"])
    sheet = load_workbook(io.BytesIO(data)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["item", "name", "unit", "date", "quantity", "unit_cost"]
    assert [row[0] for row in rows[1:]] == ["GBX-100", "MTR-7"]  # production counts finished goods
    assert rows[1][3] == TODAY
