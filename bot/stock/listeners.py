"""/stock (import, template, help, and their Chinese aliases), its buttons and forms, and the
spreadsheet a team member uploads in a DM with the bot (the `file_shared` event).

Reads ride on the ack (bot.reads.reader_ack). Forms are saved before they are acknowledged
(bot.forms.check_ack_write). A file is read after the ack: files.info, then its url_private
downloaded with the bot token, only from Slack's own file host.
"""

from __future__ import annotations

import logging
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import replace
from urllib.parse import quote, urlsplit

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlmodel import Session

from bot.directory import CachedDirectory, NotCached
from bot.forms import check_ack_write, field_values, metadata, open_modal, plain, words
from bot.reads import reader_ack
from bot.refusals import say
from bot.services import PERSON_WAITS, Services
from bot.stock import blocks, modals
from bot.stock import refusals as stock_words  # registers the stock's refusal codes
from bot.stock.ids import ITEM_FIELD, Stock
from bot.text import _, current, language
from storage import stock_repo
from workflows import spreadsheet, stock, stock_import, stock_report
from workflows.clock import local_today
from workflows.context import Context
from workflows.inventory import stock_items
from workflows.permissions import Refusal, can_read

log = logging.getLogger(__name__)

SUBCOMMANDS = {
    "": "show",
    "import": "import",
    "导入": "import",
    "template": "template",
    "模板": "template",
    "help": "help",
    "?": "help",
    "帮助": "help",
}
SLACK_FILES = "https://files.slack.com/"
DOWNLOAD_SECONDS = 20
PAGE_ACTIONS = re.compile(rf"^{re.escape(Stock.A_PAGE)}\.(previous|next)$")
FORMS = {Stock.V_COUNTS: stock.COUNTS, Stock.V_OUTPUT: stock.OUTPUT, Stock.V_SHIPMENTS: stock.SHIPMENTS}
RECORD = {
    Stock.A_RECORD_COUNTS: stock.COUNTS,
    Stock.A_RECORD_OUTPUT: stock.OUTPUT,
    Stock.A_RECORD_SHIPMENTS: stock.SHIPMENTS,
}


def _plain(text: str) -> str:
    return text[:40].replace("<", "").replace(">", "").replace("&", "").replace("`", "")


def register(app: App, svc: Services) -> None:
    @app.command("/stock")
    def stock_command(ack: Ack, command: dict, respond: Respond, client: WebClient) -> None:
        user = command["user_id"]
        with language(svc.people.known(user)):
            typed, _space, _rest = (command.get("text") or "").strip().partition(" ")
            sub = SUBCOMMANDS.get(typed.lower())
            if sub in (None, "help"):
                first = (
                    None
                    if sub
                    else _("I don't know `/stock {typed}`. Here is what I can do:", typed=_plain(typed))
                )
                ack(**blocks.help_reply(first))
                return
            if (answer := reader_ack(svc, ack, respond, user=user)) is None:
                return  # refused: only the teams and viewers read the stock
            if sub == "show":
                answer(**overview_reply(svc))
            elif sub == "import":
                answer(**blocks.import_how_to())
            else:
                send_template(svc, client, answer, respond, user=user)

    @app.action(PAGE_ACTIONS)
    def page(ack: Ack, body: dict, action: dict, respond: Respond) -> None:
        ack()
        user = body["user"]["id"]
        with language(svc.people.known(user)):
            if not can_read(svc.config, svc.directory, user):
                _say(respond, blocks.refused(say(Refusal("stock_not_reader"))))
                return
            number = int(action["value"]) if str(action.get("value", "")).isdigit() else 0
            respond(**overview_reply(svc, number), response_type="ephemeral", replace_original=True)

    def opens_form(action_id: Stock, what: str) -> None:
        @app.action(action_id)
        def _open(ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
            ack()
            user = body["user"]["id"]
            with language(svc.people.known(user)):
                try:
                    view = form_for(svc, user, what)
                except Refusal as refusal:
                    _say(respond, blocks.refused(words(svc, refusal)), replace=False)
                    return
                open_modal(svc, client, respond, user=user, trigger_id=body["trigger_id"], view=view)

    for action_id, what in RECORD.items():
        opens_form(action_id, what)
    for callback, what in FORMS.items():
        app.view(callback)(form_listener(svc, what))

    @app.event("file_shared")
    def file_shared(event: dict, client: WebClient, context: BoltContext) -> None:
        user, channel = str(event.get("user_id") or ""), str(event.get("channel_id") or "")
        file_id = str(event.get("file_id") or (event.get("file") or {}).get("id") or "")
        if not user or user == context.bot_user_id or not channel.startswith("D") or not file_id:
            return  # the bot's own upload, or a file in a channel the bot is not asked to read
        with language(svc.people.language_of(user)):
            reply = upload_reply(svc, client, user=user, file_id=file_id)
            if reply is not None:
                try:
                    client.chat_postMessage(channel=channel, **reply)
                except (SlackApiError, SlackClientError, OSError) as exc:
                    log.error("could not post the preview of %s to %s: %s", file_id, user, exc)

    @app.action(Stock.A_IMPORT)
    def import_file(ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond) -> None:
        ack()
        user = body["user"]["id"]
        with language(svc.people.known(user)):
            file_id, _colon, source = str(action.get("value") or "").partition(":")
            try:
                name, checked = _checked_file(svc, client, user=user, file_id=file_id)
                if checked.source != source:
                    raise Refusal("stock_file_changed")
                if not checked.importable:
                    raise Refusal("stock_not_importable")
                with svc.session(budget=PERSON_WAITS) as session:
                    saved = stock_import.save(session, checked, who=user, now=svc.clock())
            except Refusal as refusal:
                _say(respond, blocks.refused(words(svc, refusal)), replace=False)
                return
            except _SheetRefused as refused:
                _say(respond, blocks.refused(stock_words.sheet_error(refused.error)), replace=False)
                return
            _say(respond, blocks.imported_message(name, saved, len(checked.clean)))

    @app.action(Stock.A_CANCEL)
    def cancel_import(ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond) -> None:
        ack()
        user = body["user"]["id"]
        with language(svc.people.known(user)):
            file_id = str(action.get("value") or "").partition(":")[0]
            try:
                name = str(client.files_info(file=file_id)["file"].get("name") or file_id)
            except (SlackApiError, SlackClientError, OSError):
                name = file_id
            _say(respond, blocks.cancelled_message(name))


def _say(respond: Respond, reply: dict, *, replace: bool = True) -> None:
    try:
        respond(**reply, response_type="ephemeral", replace_original=replace)
    except (SlackApiError, SlackClientError, OSError) as exc:
        log.error("could not answer a stock button: %s", exc)


# -- reading ---------------------------------------------------------------------------------------


def overview_reply(svc: Services, page: int = 0) -> dict:
    ctx = svc.context()
    with svc.session(read_only=True) as session:
        overview = stock_report.overview(session, ctx.config, ctx.today)
    return blocks.overview_reply(overview, page)


def send_template(svc: Services, client: WebClient, answer: Callable, respond: Respond, *, user: str) -> None:
    """The .xlsx template of the items the person counts, headers in their language, to their DM."""
    try:
        items = stock.countable(svc.config, CachedDirectory(svc.directory), user)
    except NotCached:
        answer(**_sending())
        items = stock.countable(svc.config, svc.directory, user)  # after the ack: may ask Slack
        if not items:
            _say(
                respond, blocks.refused(say(Refusal("stock_cannot_record", what=stock.COUNTS))), replace=False
            )
            return
    else:
        if not items:
            answer(**blocks.refused(say(Refusal("stock_cannot_record", what=stock.COUNTS))))
            return
        answer(**_sending())
    headers = "zh-CN" if current() == "zh_CN" else "en"
    data = spreadsheet.write_template(items, headers, local_today(svc.config, svc.clock()))
    try:
        client.files_upload_v2(
            channels=[user],  # a user ID shares it in their DM with the bot
            content=data,
            filename=_("stock-template.xlsx"),
            title=_("Stock template"),
            initial_comment=_(
                "The stock template: fill in the date and the quantity on hand of each item you counted, "
                "then upload the file here."
            ),
        )
    except (SlackApiError, SlackClientError, OSError) as exc:
        log.error("could not send the stock template to %s: %s", user, exc)
        _say(
            respond,
            blocks.refused(_("Slack did not take the template just now; try again in a moment.")),
            replace=False,
        )


def _sending() -> dict:
    text = _("Sending you the template by direct message.")
    return {"text": text}


# -- the forms -------------------------------------------------------------------------------------


def form_for(svc: Services, user: str, what: str) -> dict:
    ctx = svc.context()
    stock.require_can_record(ctx.config, svc.directory, user, what)
    if what == stock.COUNTS:
        items = stock.countable(ctx.config, svc.directory, user)
        with svc.session(read_only=True) as session:
            counts = stock_repo.counts(session, [i.code for i in items], until=ctx.today)
        last = {code: days[max(days)][0] for code, days in counts.items() if days}
        return modals.counts_modal(items, last, ctx.today)
    return modals.lines_modal(what, stock.lines(ctx.config), ctx.today)


def form_listener(svc: Services, what: str) -> Callable:
    def submit(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        user, ctx = body["user"]["id"], svc.context()
        with language(svc.people.known(user)):
            values = field_values(view)
            day = values.get(Stock.F_DATE)
            typed = {
                key[len(ITEM_FIELD) :]: value for key, value in values.items() if key.startswith(ITEM_FIELD)
            }
            if metadata(view).get("what") != what:
                ack(response_action="errors", errors={Stock.F_DATE: plain(say(Refusal("stock_stale_form")))})
                return
            clean, errors = _check_form(ctx, what, typed, day)

            def check(session: Session, checking: Context) -> None:
                _may_save(checking, user, what, clean)

            def write(session: Session) -> tuple[int, int]:
                _may_save(svc.context(), user, what, clean)
                save = {
                    stock.COUNTS: stock_repo.save_counts,
                    stock.OUTPUT: stock_repo.save_output,
                    stock.SHIPMENTS: stock_repo.save_shipments,
                }[what]
                return save(session, clean, source=stock_repo.SLACK, who=user, now=ctx.now), len(clean)

            result = check_ack_write(
                svc,
                ack,
                client,
                view=view,
                user=user,
                errors=errors,
                error_field=Stock.F_DATE,
                check=check,
                write=write,
            )
            if result:
                saved, rows = result
                try:
                    client.chat_postMessage(channel=user, text=blocks.saved_message(what, saved, rows, day))
                except (SlackApiError, SlackClientError, OSError) as exc:
                    log.error("could not tell %s the stock form was saved: %s", user, exc)

    return submit


def _check_form(ctx: Context, what: str, typed: dict, day: object) -> tuple[list, dict[str, str]]:
    """The form's rows and its inline errors (block id → the reason), in the reader's language."""
    items = {item.code: item for item in stock_items(ctx.config)}
    if what == stock.COUNTS:
        listed = [items[code] for code in typed if code in items]
        clean, found = stock.check_count_form(typed, listed, day, today=ctx.today)
    else:
        lines = {line.code: line for line in stock.lines(ctx.config)}
        listed = [lines[code] for code in typed if code in lines]
        clean, found = stock.check_line_form(typed, listed, day, today=ctx.today)
    errors: dict[str, str] = {}
    if len(listed) != len(typed):
        errors[Stock.F_DATE] = plain(say(Refusal("stock_stale_form")))
    for error in found:
        block = Stock.F_DATE if error.field == "date" else f"{ITEM_FIELD}{listed[error.index].code}"
        errors.setdefault(block, plain(stock_words.reason(error.field, error.code, error.data)))
    if not errors and not clean:
        first = f"{ITEM_FIELD}{listed[0].code}" if listed else Stock.F_DATE
        errors[first] = _("Fill in at least one quantity.")
    return clean, errors


def _may_save(ctx: Context, user: str, what: str, clean: list) -> None:
    stock.require_can_record(ctx.config, ctx.directory, user, what)
    if what == stock.COUNTS:
        mine = {item.code for item in stock.countable(ctx.config, ctx.directory, user)}
        if any(row.item not in mine for row in clean):
            raise Refusal("stock_cannot_record", what=stock.COUNTS)


# -- a spreadsheet ---------------------------------------------------------------------------------


class _SheetRefused(Exception):
    def __init__(self, error: spreadsheet.SheetError) -> None:
        self.error = error


def upload_reply(svc: Services, client: WebClient, *, user: str, file_id: str) -> dict | None:
    """The answer to a file a person shared in their DM with the bot: a preview or why not."""
    try:
        name, checked = _checked_file(svc, client, user=user, file_id=file_id)
    except Refusal as refusal:
        return blocks.refused(say(refusal))
    except _SheetRefused as refused:
        return blocks.refused(stock_words.sheet_error(refused.error))
    return blocks.preview_message(name, checked, f"{file_id}:{checked.source}")


def _checked_file(
    svc: Services, client: WebClient, *, user: str, file_id: str
) -> tuple[str, stock_import.Preview]:
    """Who may import, files.info, the download, the preview (every row checked)."""
    config = svc.config
    stock.require_reader(config, svc.directory, user)
    allowed = stock.countable(config, svc.directory, user)
    if not allowed:
        raise Refusal("stock_cannot_record", what=stock.COUNTS)
    try:
        file = client.files_info(file=file_id)["file"]
    except (SlackApiError, SlackClientError, OSError, KeyError) as exc:
        log.warning("files.info failed for %s: %s", file_id, exc)
        raise Refusal("stock_file_unavailable") from exc
    if file.get("user") != user:
        raise Refusal("stock_file_unavailable")  # only the one who uploaded it imports it
    name = str(file.get("name") or file_id)
    if not name.lower().endswith((".xlsx", ".csv")):
        raise _SheetRefused(spreadsheet.SheetError("unsupported_format", {"name": name[-80:]}))
    size = file.get("size")
    if isinstance(size, int) and size > spreadsheet.MAX_BYTES:
        raise _SheetRefused(
            spreadsheet.SheetError("too_large", {"limit": spreadsheet.MAX_BYTES, "size": size})
        )
    data = download(svc, str(file.get("url_private_download") or file.get("url_private") or ""))
    checked = stock_import.preview(data, name, allowed, today=local_today(config, svc.clock()))
    if isinstance(checked, spreadsheet.SheetError):
        raise _SheetRefused(checked)
    return name, replace(checked, problems=stock.not_yours(checked.problems, stock_items(config)))


def _file_host_allowed(svc: Services, url: str) -> bool:
    """The bot token goes only to Slack's file host (or, in tests and the demo, the stand-in that
    serves SLACK_API_URL): never to a URL a file's metadata could point elsewhere."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.netloc == urlsplit(SLACK_FILES).netloc:
        return True
    api = urlsplit(svc.client.base_url)
    return api.netloc != "slack.com" and (parts.scheme, parts.netloc) == (api.scheme, api.netloc)


def download(svc: Services, url: str) -> bytes:
    if not _file_host_allowed(svc, url):
        log.warning("refused to download a file from %r: not Slack's file host", url[:120])
        raise Refusal("stock_file_unavailable")
    url = quote(url, safe=":/?&=%#~+@!$,;")  # a name Slack left unencoded in the path
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {svc.client.token}"})
    try:
        with urllib.request.urlopen(request, timeout=DOWNLOAD_SECONDS) as response:  # noqa: S310 (checked above)
            content_type = response.headers.get_content_type()
            data = response.read(spreadsheet.MAX_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        log.warning("could not download %r: %s", url[:120], exc)
        raise Refusal("stock_file_unavailable") from exc
    if content_type == "text/html":
        raise Refusal("stock_file_unavailable")  # Slack's sign-in page: the token was not taken
    if len(data) > spreadsheet.MAX_BYTES:
        raise _SheetRefused(
            spreadsheet.SheetError("too_large", {"limit": spreadsheet.MAX_BYTES, "size": len(data)})
        )
    return data
