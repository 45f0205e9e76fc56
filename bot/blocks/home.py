"""The App Home tab."""

from __future__ import annotations

from bot.blocks.order import section
from bot.blocks.replies import HELP
from bot.blocks.text import clip, esc, linked
from storage.models import Order


def home_view(my_orders: list[Order], links: dict[int, str]) -> dict:
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "OrderLoop"}},
        section(HELP),
        {"type": "divider"},
    ]
    if my_orders:
        lines = [
            f"• {linked(o.number, links.get(o.id))} · {esc(clip(o.customer, 60))} · "
            f"{o.status.replace('_', ' ')}"
            for o in my_orders
        ]
        blocks.append(section("*Your open orders*\n" + "\n".join(lines)))
    else:
        blocks.append(section("You have no open orders."))
    return {"type": "home", "blocks": blocks}
