"""Small helpers the end-to-end tests share: driving people's steps and reading what Slack shows."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.models import ConfirmationRequest, Order, OrderEvent
from tests.conftest import ORDERS, PRODUCTION_A, SALES, SUPPLY

ORDER_DEFAULTS = {
    "customer": "ACME Gears",
    "product": "GBX-100",
    "quantity": "250",
    "requested_date": "2026-12-20",
    "specification": "Hardened steel, 1:40 ratio",
}


def open_new_order_modal(bot, user: str = SALES) -> dict:  # noqa: ANN001
    assert bot.slack.command(user, "new").status == 200
    return bot.slack.last_view()


def submit_new_order(bot, user: str = SALES, **values: object):  # noqa: ANN001, ANN201
    """Open the new-order modal and submit it; returns the submission's Reply."""
    view = open_new_order_modal(bot, user)
    return bot.slack.submit(user, view, {**ORDER_DEFAULTS, **values})


def register(bot, **values: object) -> None:  # noqa: ANN001
    reply = submit_new_order(bot, **values)
    assert reply.status == 200, reply.body
    assert reply.body in (b"", b"{}") or "errors" not in reply.json(), reply.body


def card(bot):  # noqa: ANN001, ANN201
    return [m for m in bot.standin.messages(ORDERS) if m.thread_ts is None][-1]


def thread(bot):  # noqa: ANN001, ANN201
    return bot.standin.thread(ORDERS, card(bot).ts)


def find(messages, text: str):  # noqa: ANN001, ANN201
    matches = [m for m in messages if text in m.text]
    assert matches, f"no message containing {text!r} in {[m.text for m in messages]}"
    return matches[-1]


def find_all(messages, text: str) -> list:  # noqa: ANN001
    return [m for m in messages if text in m.text]


def buttons(message) -> list[dict]:  # noqa: ANN001
    return [e for b in message.blocks for e in b.get("elements", []) if e.get("type") == "button"]


def button_labels(message) -> list[str]:  # noqa: ANN001
    return [e["text"]["text"] for e in buttons(message)]


def mrkdwn_texts(message) -> list[str]:  # noqa: ANN001
    """Every piece of a message Slack parses as mrkdwn (where `<!channel>` would ping)."""
    texts = [message.text]
    for block in message.blocks:
        for obj in [block.get("text"), *block.get("fields", []), *block.get("elements", [])]:
            if isinstance(obj, dict) and obj.get("type") == "mrkdwn":
                texts.append(obj["text"])
    return texts


def all_text(message) -> str:  # noqa: ANN001
    return "\n".join(mrkdwn_texts(message))


def views_opened(bot) -> int:  # noqa: ANN001
    return len(bot.standin.calls_to("views.open"))


def count(bot, model) -> int:  # noqa: ANN001
    with bot.svc.session() as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def get_order(bot, order_id: int = 1) -> Order:  # noqa: ANN001
    with bot.svc.session() as session:
        return session.get(Order, order_id)


def requests_of(bot, order_id: int = 1) -> list[ConfirmationRequest]:  # noqa: ANN001
    with bot.svc.session() as session:
        stmt = select(ConfirmationRequest).where(ConfirmationRequest.order_id == order_id)
        return list(session.execute(stmt.order_by(ConfirmationRequest.id)).scalars())


def events_of(bot, order_id: int = 1) -> list[str]:  # noqa: ANN001
    with bot.svc.session() as session:
        stmt = select(OrderEvent.kind).where(OrderEvent.order_id == order_id).order_by(OrderEvent.id)
        return list(session.execute(stmt).scalars())


def answer_production(bot, user: str = PRODUCTION_A, **values: object):  # noqa: ANN001, ANN201
    """Press "Answer for production" on the newest production request and submit the modal."""
    request = find(thread(bot), "Production: can you make it?")
    assert bot.slack.press(user, request, "Answer for production").status == 200
    fields = {"can_do": "yes", "lead_time_days": "10", "notes": ""} | values
    return bot.slack.submit(user, bot.slack.last_view(), fields)


def answer_supply(bot, user: str = SUPPLY, **values: object):  # noqa: ANN001, ANN201
    request = find(thread(bot), "Supply: can you source the materials?")
    assert bot.slack.press(user, request, "Answer for supply").status == 200
    fields = {"can_do": "yes", "material_date": "2026-12-05", "notes": ""} | values
    return bot.slack.submit(user, bot.slack.last_view(), fields)


def decline_by_production(bot, reason: str = "Line 2 is booked until March") -> None:  # noqa: ANN001
    assert answer_production(bot, can_do="no", lead_time_days=None, notes=reason).status == 200


def reach_commit_prompt(bot) -> None:  # noqa: ANN001
    assert answer_production(bot).status == 200
    assert answer_supply(bot).status == 200


def cancel(bot, user: str = SALES, reason: str = "The customer withdrew"):  # noqa: ANN001, ANN201
    """Press "Cancel order" on the declined prompt and give the reason in its form; returns the Reply."""
    assert bot.slack.press(user, find(thread(bot), "was declined"), "Cancel order").status == 200
    return bot.slack.submit(user, bot.slack.last_view(), {"reason": reason})


def ephemeral_texts(bot) -> list[str]:  # noqa: ANN001
    return [c.args.get("text", "") for c in bot.standin.responses()]


def inline_errors(reply) -> dict:  # noqa: ANN001
    body = reply.json()
    assert body.get("response_action") == "errors", reply.body
    return body["errors"]


def snapshot(bot) -> tuple:  # noqa: ANN001
    """Everything a refused action must leave alone: Slack's messages and the database rows."""
    messages = [(m.channel, m.ts, m.text, m.blocks, m.updates) for m in bot.standin.messages()]
    with bot.svc.session() as session:
        orders = [o.model_dump() for o in session.execute(select(Order).order_by(Order.id)).scalars()]
        requests = [
            r.model_dump()
            for r in session.execute(select(ConfirmationRequest).order_by(ConfirmationRequest.id)).scalars()
        ]
    return messages, orders, requests, count(bot, OrderEvent)
