"""The review's own loop in Chinese: the departments' notes on the agenda, the reason an agreed
quantity above capacity needs, the follow-ups (posted, Done, refused, reminded, escalated) and the
owner's Home tab."""

from __future__ import annotations

import pytest

from bot.review.blocks import ReviewAction
from bot.sweep import run_due
from storage import review_repo
from tests.conftest import MANAGER, OUTSIDER, PRODUCTION_A, PRODUCTION_B, SALES, SUPPLY, make_config
from tests.e2e.test_chinese_review import last_ephemeral, press, submit, the_agenda
from tests.e2e.test_kpi_home import open_home
from tests.e2e.test_review import MONTH, REVIEW, REVIEW_AT, errors, local, text_of


@pytest.fixture
def config():  # noqa: ANN201
    return make_config(language="zh-CN")


@pytest.fixture(autouse=True)
def chinese_team(standin) -> None:  # noqa: ANN001
    for user in (SALES, PRODUCTION_A, PRODUCTION_B, SUPPLY, MANAGER, OUTSIDER):
        standin.users[user] = {"locale": "zh-CN"}


def followups(bot) -> list:  # noqa: ANN001
    thread = bot.standin.thread(REVIEW, the_agenda(bot).ts)
    return [m for m in thread if ":followup:" in str((m.metadata or {}).get("event_payload", {}).get("key"))]


def test_notes_above_capacity_and_followups_in_chinese(bot) -> None:  # noqa: ANN001
    for user in (SALES, PRODUCTION_A, SUPPLY):
        assert errors(submit(bot, user)) == {}
    run_due(bot.svc, REVIEW_AT)
    bot.clock.now = REVIEW_AT
    text = text_of(the_agenda(bot).blocks)
    assert "*各部门填写的说明*" in text
    assert "重点客户：ACME &lt;!channel&gt; wants 400 early" in text
    assert "检修和产能：Maintenance in the second half；最大产能 1,200" in text
    assert "关键物料：Material A；关键物料采购周期 10 天" in text
    labels = [
        e["text"]["text"] for b in the_agenda(bot).blocks for e in b.get("elements", []) if e.get("value")
    ]
    assert labels[-3:] == ["销售部：完整提交内容", "生产部：完整提交内容", "供应部：完整提交内容"]
    for user in (SALES, PRODUCTION_A, SUPPLY):
        press(bot, user, ReviewAction.ATTEND)

    press(bot, MANAGER, ReviewAction.ADJUST)
    view = bot.slack.last_view()
    blocks = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert blocks["f0.text"]["label"]["text"] == "跟进事项 1"
    assert blocks["f0.text"]["element"]["initial_value"] == "跟重点客户沟通 GBX-100 的交货时间：短缺 100"
    assert blocks["f0.owner"]["label"]["text"] == "跟进事项 1 的负责人"
    values = {b: blocks[b]["element"].get("initial_value") for b in blocks}
    values |= {b: blocks[b]["element"].get("initial_user") for b in blocks if b.endswith(".owner")}
    values |= {b: blocks[b]["element"].get("initial_date") for b in blocks if b.endswith(".due")}
    values |= {"p0.agreed": "950", "p1.agreed": "450", "note": None, "f1.owner": None, "f2.due": "2026-12-01"}
    found = errors(bot.slack.submit(MANAGER, view, values))
    assert found == {
        "f1.owner": "请选择这项跟进事项的负责人。",
        "f2.due": "截止日期已过，请选择今天或之后的日期。",
    }
    values |= {"f1.owner": SUPPLY, "f2.due": "2026-12-10"}
    found = errors(bot.slack.submit(MANAGER, view, values))
    assert found == {
        "note": "约定数量超出了可生产或可保障的数量，需要说明原因（GBX-100 超出产能 50）。"
        "请在“调整原因”中说明，或调低数量。"
    }
    values |= {"note": "周六加班"}
    assert errors(bot.slack.submit(MANAGER, view, values)) == {}

    minutes = text_of(bot.standin.thread(REVIEW, the_agenda(bot).ts)[0].blocks)
    assert ":warning: 超出产能 50" in minutes and "周六加班" in minutes
    posted = followups(bot)
    assert len(posted) == 6
    first = text_of(posted[0].blocks)
    assert "*跟进事项*（2027年1月评审会）· 销售" in first
    assert "跟重点客户沟通 GBX-100 的交货时间：短缺 50" in first
    assert "负责人：<@U01> · 截止日期" in first and "未完成 · 截止日期" in first

    with bot.svc.session() as session:
        rows = review_repo.followups(session, MONTH)
    assert bot.slack.press(OUTSIDER, posted[0], "完成").status == 200
    assert last_ephemeral(bot) == ":no_entry_sign: 只有这项跟进事项的负责人 <@U01> 或经理可以标记完成。"
    assert bot.slack.press(SALES, posted[0], "完成").status == 200
    assert bot.slack.press(SALES, posted[0], "完成").status == 200
    assert last_ephemeral(bot) == "这项跟进事项已标记为完成。"
    assert "已完成 · 由 <@U01> 于" in text_of(followups(bot)[0].blocks)

    home = text_of(open_home(bot, SUPPLY)["blocks"])
    assert "*你负责的评审会跟进事项* · 2" in home and "保障 1,056 × GBX-100 所需物料（物料目标）" in home

    run_due(bot.svc, local(2026, 12, 9, 9, 0))
    dms = [c.args["text"] for c in bot.standin.calls_to("chat.postMessage") if c.args["channel"] == SUPPLY]
    assert (
        dms.count("提醒：你的跟进事项将于2026年12月10日（周四）到期") == 2
    )  # GBX-100's and MTR-7's materials
    run_due(bot.svc, local(2026, 12, 11, 9, 0))
    escalations = [
        m for m in bot.standin.thread(REVIEW, the_agenda(bot).ts) if m.text.startswith("跟进事项逾期")
    ]
    assert len(escalations) == len(rows) - 1
    assert "至今未完成" in text_of(escalations[0].blocks)
