"""Replicas sharing one database: a change whose card update coalesces into a pending one is never
lost, even when another replica delivers that pending update while the change is being committed."""

from __future__ import annotations

import threading
from datetime import date, timedelta

from storage import repo
from tests.conftest import PRODUCTION_A, SUPPLY
from tests.e2e.test_order_loop import card, register
from tests.e2e.test_outbox import pending
from workflows import orders
from workflows.inputs import ProductionAnswer, SupplyAnswer


def test_the_card_shows_an_answer_committed_while_its_pending_update_is_being_delivered(bot) -> None:  # noqa: ANN001
    register(bot)
    svc = bot.svc
    with svc.session() as session:
        requests = repo.current_requests(session, repo.find_order(session, "CO-0001"))
    production, supply = requests["production"].id, requests["supply"].id
    bot.clock.advance(minutes=1)
    with svc.session() as session:  # replica 1: production answers; its card update waits in the outbox
        orders.answer_request(
            session,
            svc.context(),
            actor=PRODUCTION_A,
            request_id=production,
            answer=ProductionAnswer(True, 10, ""),
        )
    other_replica = threading.Thread(target=lambda: svc.deliverer.deliver(now=bot.clock.now))
    with svc.session() as session:  # replica 2: supply answers; its card update joins the pending one
        orders.answer_request(
            session,
            svc.context(),
            actor=SUPPLY,
            request_id=supply,
            answer=SupplyAnswer(True, date(2026, 12, 1), ""),
        )
        session.flush()
        other_replica.start()  # replica 1 delivers the pending card update before replica 2 commits
        other_replica.join(timeout=0.5)  # it waits for this transaction's lock (or, unfixed, posts stale)
    other_replica.join(timeout=30)
    svc.deliverer.deliver(now=bot.clock.now + timedelta(minutes=1))
    assert pending(bot) == []
    assert "*Supply:* waiting" not in str(card(bot).blocks)
