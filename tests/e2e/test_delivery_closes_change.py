from storage import after_commit_repo
from tests.e2e.test_after_commit import (
    buttons,
    change,
    change_message,
    committed_order,
    order,
    record_delivery,
)


def test_delivering_an_order_closes_its_pending_change(bot):  # noqa: ANN001
    committed_order(bot)
    change(bot)
    bot.clock.advance(days=21)
    record_delivery(bot, "2026-12-16")
    with bot.svc.session() as session:
        assert after_commit_repo.pending_change(session, order(bot).id) is None
    # the change's notice is re-rendered closed: no answer buttons left on it
    assert change_message(bot).updates == 1 and buttons(change_message(bot)) == []
