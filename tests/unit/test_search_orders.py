"""The /order list query on SQLite and PostgreSQL: closed orders, words, "mine", pages."""

from __future__ import annotations

from datetime import timedelta

import pytest

from storage import repo
from storage.db import create_schema, make_engine, session_scope
from storage.models import OrderStatus, Problem
from tests.conftest import SALES, SUPPLY
from tests.unit.test_digest import NOW, add_order, add_request


@pytest.fixture(params=["sqlite", "postgresql"])
def session(request, tmp_path):  # noqa: ANN001, ANN201
    url = f"sqlite:///{tmp_path / 'x.db'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    engine = make_engine(url)
    create_schema(engine)
    with session_scope(engine) as session:
        yield session
    engine.dispose()


def numbers(page: tuple[list, int]) -> tuple[list[str], int]:
    orders, total = page
    return [o.number for o in orders], total


def test_words_match_number_customer_and_product_in_any_case_and_literally(session) -> None:  # noqa: ANN001
    add_order(session, customer="ACME Gears", product="GBX-100")
    add_order(session, customer="Globex 100%", product="MTR_7")
    add_order(session, OrderStatus.CANCELLED, customer="Acme Tools")
    search = lambda text, **kw: numbers(repo.search_orders(session, text=text, limit=10, **kw))  # noqa: E731
    assert search("acme") == (["CO-0001"], 1)
    assert search("acme", closed_too=True) == (["CO-0003", "CO-0001"], 2)
    assert search("100%") == (["CO-0002"], 1) and search("r_7") == (["CO-0002"], 1)
    assert search("0%") == (["CO-0002"], 1) and search("x_") == ([], 0)
    assert search("co-1") == (["CO-0001"], 1)


def test_mine_is_what_the_user_sells_or_what_waits_on_their_teams(session) -> None:  # noqa: ANN001
    sold = add_order(session, salesperson=SALES)
    asking = add_order(session, salesperson="U08")
    add_request(session, asking, "supply", NOW + timedelta(hours=3))
    troubled = add_order(session, OrderStatus.COMMITTED, salesperson="U08")
    session.add(Problem(order_id=troubled.id, team="supply", description="x", raised_by=SALES, raised_at=NOW))
    add_order(session, salesperson="U08")  # nothing waits on supply here
    session.flush()
    mine = lambda user, teams: numbers(repo.search_orders(session, mine=(user, teams), limit=10))  # noqa: E731
    assert mine(SALES, ("sales",)) == ([sold.number], 1)
    assert mine(SUPPLY, ("supply",)) == ([troubled.number, asking.number], 2)
    assert mine("U99", ()) == ([], 0)


def test_pages_are_newest_first_with_the_total(session) -> None:  # noqa: ANN001
    for _ in range(5):
        add_order(session)
    assert numbers(repo.search_orders(session, limit=2, offset=2)) == (["CO-0003", "CO-0002"], 5)
