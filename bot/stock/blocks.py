"""Block Kit for /stock: the stock's health in pages, help, the import how-to, a spreadsheet's
preview and what importing it did."""

from __future__ import annotations

import math
from collections.abc import Sequence

from bot.kit import actions, button, context, section
from bot.mrkdwn import clip, day, esc, esc_name, number
from bot.stock.ids import Stock
from bot.stock.refusals import row_problem
from bot.text import _, n_, p_
from workflows.inventory import EXCESS_DAYS, STALE_DAYS, USE_WINDOW_DAYS, Coverage, Health
from workflows.spreadsheet import MAX_BYTES, MAX_ROWS
from workflows.stock_import import Preview
from workflows.stock_report import Overview

PAGE_SIZE = 40  # items a page shows: 200 items are five messages well inside 50 blocks
SECTION_CHARS = 2800  # a section's text stays under Slack's 3,000
SHOWN_PROBLEMS = 40  # bad rows a preview lists; the rest are counted


def quantity(value: float | int | None) -> str:
    """A quantity as people read it: 2,050 or 2,050.5."""
    if value is None:
        return "—"
    if float(value).is_integer():
        return number(int(value))
    return number(round(float(value), 2))


def typed_quantity(value: float | None) -> str:
    """A quantity as a form's field shows it, so that submitting it unchanged reads the same."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def _item(code: str, name: str) -> str:
    code = esc(code)
    return f"*{code}*" if name == code else f"*{code}* {esc_name(name)}"


def item_line(health: Health) -> str:
    item, flags = health.item, set(health.flags)
    who = _item(item.code, item.name)
    if health.on_hand is None:
        never = _("{item}: never counted.", item=who)
        return f":grey_question: {never}"
    if item.unit:
        first = _(
            "{item}: {quantity} {unit} on hand (counted {day}).",
            item=who,
            quantity=quantity(health.on_hand),
            unit=esc(item.unit),
            day=day(health.counted_on),
        )
    else:
        first = _(
            "{item}: {quantity} on hand (counted {day}).",
            item=who,
            quantity=quantity(health.on_hand),
            day=day(health.counted_on),
        )
    sentences = [first]
    if item.safety_stock is not None:
        sentences.append(_("Safety stock {quantity}.", quantity=quantity(item.safety_stock)))
    if health.days_of_cover is not None:
        days = math.floor(health.days_of_cover)
        sentences.append(n_("{n} day of cover.", "{n} days of cover.", days))
    if "below_safety" in flags:
        sentences.append(_("*Below safety stock.*"))
    if "stale" in flags:
        sentences.append(n_("No count in the last {n} day.", "No count in the last {n} days.", STALE_DAYS))
    if "excess" in flags:
        sentences.append(n_("Over {n} day of cover.", "Over {n} days of cover.", EXCESS_DAYS))
    if "no_use" in flags:
        sentences.append(
            n_("Nothing used in the last {n} day.", "Nothing used in the last {n} days.", USE_WINDOW_DAYS)
        )
    icon = (
        ":red_circle:"
        if "below_safety" in flags
        else ":warning:"
        if flags & {"stale", "excess"}
        else ":white_check_mark:"
    )
    return f"{icon} {' '.join(sentences)}"


def coverage_line(line: Coverage, names: dict[str, str]) -> str:
    material = _item(line.material, names.get(line.material, line.material))
    if line.target is None:
        text = _(
            "{material} covers {covers} {line}.",
            material=material,
            covers=number(line.covers),
            line=esc(line.line),
        )
        return f":package: {text}"
    text = _(
        "{material} covers {covers} of {target} {line} (the plan's material target).",
        material=material,
        covers=number(line.covers),
        target=number(line.target),
        line=esc(line.line),
    )
    return f"{':warning:' if line.short else ':white_check_mark:'} {text}"


def _sections(lines: Sequence[str]) -> list[dict]:
    """Lines packed into as few sections as Slack's 3,000 characters allow."""
    blocks, current = [], ""
    for line in lines:
        line = clip(line, SECTION_CHARS)
        if current and len(current) + 1 + len(line) > SECTION_CHARS:
            blocks.append(section(current))
            current = ""
        current = f"{current}\n{line}" if current else line
    if current:
        blocks.append(section(current))
    return blocks


def pages(overview: Overview) -> int:
    return max(1, math.ceil(len(overview.health) / PAGE_SIZE))


def record_buttons() -> dict:
    return actions(
        button(_("Record counts"), Stock.A_RECORD_COUNTS, "counts", style="primary"),
        button(_("Record output"), Stock.A_RECORD_OUTPUT, "output"),
        button(_("Record shipments"), Stock.A_RECORD_SHIPMENTS, "shipments"),
        block_id="stock.record",
    )


def overview_reply(overview: Overview, page: int = 0) -> dict:
    """One page of the stock: each item's health, the materials' coverage (first page), the
    buttons to record, and Previous / Next when there is more than one page."""
    total = pages(overview)
    page = min(max(page, 0), total - 1)
    shown = overview.health[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    flagged = len(overview.flagged)
    title = _("Stock on {day}", day=day(overview.today))
    summary = " ".join(
        [
            n_("{n} item.", "{n} items.", len(overview.health)),
            n_("{n} needs attention.", "{n} need attention.", flagged)
            if flagged
            else _("Nothing is flagged."),
        ]
    )
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": clip(title, 150)}},
        context(summary),
    ]
    if not overview.health:
        blocks.append(
            section(_("No stock items are configured: add `[[materials]]` or products to orderloop.toml."))
        )
    blocks += _sections([item_line(h) for h in shown])
    if page == 0 and overview.coverage:
        names = {h.item.code: h.item.name for h in overview.health}
        blocks.append(section(_("*Material coverage*")))
        blocks += _sections([coverage_line(c, names) for c in overview.coverage])[:8]
        if not overview.has_plan:
            blocks.append(
                context(_("No approved plan for this month yet, so coverage is shown without a target."))
            )
    blocks.append(record_buttons())
    if total > 1:
        blocks.append(context(_("Page {page} of {pages}.", page=page + 1, pages=total)))
        pager = []
        if page > 0:
            pager.append(button(_("Previous page"), f"{Stock.A_PAGE}.previous", str(page - 1)))
        if page + 1 < total:
            pager.append(button(_("Next page"), f"{Stock.A_PAGE}.next", str(page + 1)))
        blocks.append(actions(*pager, block_id="stock.pages"))
    return {"text": f"{title} {summary}", "blocks": blocks}


def help_reply(first: str | None = None) -> dict:
    lines = [
        _(
            "`/stock`: the stock of every item with its health, and buttons to record counts, "
            "output and shipments."
        ),
        _("`/stock import`: how to import stock counts from a spreadsheet."),
        _("`/stock template`: an .xlsx template with the item codes, sent to you by direct message."),
        _("`/stock help`: this help."),
    ]
    text = "\n".join([first, *lines] if first else lines)
    return {"text": text, "blocks": [section(text)]}


def import_how_to() -> dict:
    text = "\n".join(
        [
            _(
                "To import stock counts, upload an .xlsx or .csv file in your direct message with me "
                "(OrderLoop's Messages tab)."
            ),
            _(
                "Its first row names the columns `item`, `date` and `quantity` (or 编码, 日期, 数量), in any "
                "order; `unit` and `unit_cost` are optional."
            ),
            _(
                "I answer with a preview of every row, and nothing is saved until you press Import. "
                "The same file imported twice changes nothing."
            ),
            _(
                "Files up to {megabytes} MB and {rows} rows. "
                "`/stock template` sends a template with the item codes.",
                megabytes=MAX_BYTES // (1024 * 1024),
                rows=number(MAX_ROWS),
            ),
        ]
    )
    return {"text": text, "blocks": [section(text)]}


def _file(name: str) -> str:
    return f"*{esc_name(name).replace('*', '')}*"


def preview_message(name: str, preview: Preview, value: str) -> dict:
    """What a spreadsheet would import: rows read, rows to import, each bad row, Import / Cancel."""
    read = n_("{file}: {n} row read.", "{file}: {n} rows read.", preview.rows_read, file=_file(name))
    if preview.problems:
        ready = n_(
            "{n} row cannot be imported:",
            "{n} rows cannot be imported:",
            len({p.row for p in preview.problems}),
        )
    else:
        ready = n_("{n} row to import.", "{n} rows to import.", len(preview.clean))
    blocks = [section(f":page_facing_up: {read} {ready}")]
    if preview.problems:
        shown = preview.problems[:SHOWN_PROBLEMS]
        blocks += _sections([row_problem(p.row, p.field, p.code, p.data) for p in shown])[:20]
        if len(preview.problems) > len(shown):
            more = len(preview.problems) - len(shown)
            blocks.append(context(n_("…and {n} more problem.", "…and {n} more problems.", more)))
        blocks.append(
            context(
                _("Nothing is imported until every row is right: fix the rows and upload the file again.")
            )
        )
    elif not preview.clean:
        blocks.append(context(_("Nothing to import: the spreadsheet has no rows under its header.")))
    else:
        blocks.append(
            actions(
                button(p_("button", "Import"), Stock.A_IMPORT, value, style="primary"),
                button(p_("button", "Cancel"), Stock.A_CANCEL, value),
                block_id="stock.preview",
            )
        )
    return {"text": f"{read} {ready}", "blocks": blocks}


def imported_message(name: str, saved: int, rows: int) -> dict:
    if saved == 0:
        text = _("{file} was imported already, so nothing changed.", file=_file(name))
    else:
        text = n_("Imported {n} row from {file}.", "Imported {n} rows from {file}.", saved, file=_file(name))
        if rows > saved:
            text += " " + n_(
                "{n} row was recorded already and stays as it was.",
                "{n} rows were recorded already and stay as they were.",
                rows - saved,
            )
    text = f":white_check_mark: {text}"
    return {"text": text, "blocks": [section(text)]}


def cancelled_message(name: str) -> dict:
    text = _("Import of {file} cancelled; nothing was saved.", file=_file(name))
    return {"text": text, "blocks": [section(text)]}


def refused(text: str) -> dict:
    text = f":no_entry_sign: {text}"
    return {"text": text, "blocks": [section(text)]}


def saved_message(what: str, saved: int, rows: int, day_recorded: object) -> str:
    """The DM after a form was saved."""
    when = day(day_recorded)  # type: ignore[arg-type]
    if what == "output":
        text = n_(
            "Output saved for {n} line on {day}.", "Output saved for {n} lines on {day}.", rows, day=when
        )
    elif what == "shipments":
        text = n_(
            "Shipments saved for {n} line on {day}.",
            "Shipments saved for {n} lines on {day}.",
            rows,
            day=when,
        )
    else:
        text = n_("Saved {n} count for {day}.", "Saved {n} counts for {day}.", rows, day=when)
    if saved < rows:
        text += " " + n_(
            "{n} was the same as before and stays as it was.",
            "{n} were the same as before and stay as they were.",
            rows - saved,
        )
    return f":white_check_mark: {text}"
