"""Read-only answers never wait for the database's write lock (held by a sweep, another replica,
a long write): they read a consistent snapshot (SQLite's WAL, PostgreSQL's MVCC) while the writer
works."""

from __future__ import annotations

from tests.conftest import PRODUCTION_A, SALES
from tests.databases import write_lock_free, write_lock_held
from tests.helpers import find, register, thread


def test_order_list_show_and_kpi_answer_while_another_writer_holds_the_lock(bot) -> None:  # noqa: ANN001
    register(bot)
    with write_lock_held(bot.svc.engine):
        listed = bot.slack.command(SALES, "list")
        shown = bot.slack.command(SALES, "show CO-0001")
        kpis = bot.slack.command(SALES, "", command="/kpi")
    assert all("went wrong" not in r.body.decode() for r in (listed, shown, kpis))
    assert listed.json()["text"] == "Open orders: 1" and "CO-0001" in str(listed.json()["blocks"])
    assert "CO-0001" in shown.json()["text"]
    assert "KPI" in str(kpis.json())


def test_no_slack_call_is_made_while_the_write_lock_is_held(bot) -> None:  # noqa: ANN001
    """An answer submitted after the user-group cache expired (a form left open a while): the
    group is looked up before the write transaction, not inside it, where every other writer
    (other people's clicks, the sweep, the event de-dupe) would wait for Slack."""
    register(bot)
    request = find(thread(bot), "Production: can you make it?")
    assert bot.slack.press(PRODUCTION_A, request, "Answer for production").status == 200
    view = bot.slack.last_view()
    bot.svc.directory.ttl = 0  # every cached group has expired
    lock_states: list[str] = []
    real_lookup = bot.svc.directory.client.usergroups_users_list

    def probing_lookup(**kwargs):  # noqa: ANN003, ANN202
        lock_states.append("free" if write_lock_free(bot.svc.engine) else "held")
        return real_lookup(**kwargs)

    bot.svc.directory.client.usergroups_users_list = probing_lookup
    values = {"can_do": "yes", "lead_time_days": "10", "notes": ""}
    assert bot.slack.submit(PRODUCTION_A, view, values).status == 200
    assert lock_states and all(state == "free" for state in lock_states), lock_states
    assert "Production answered for CO-0001" in [m.text for m in thread(bot)]  # and it was saved
