"""`orderloop demo` plays the whole order loop against the stand-in and prints a readable transcript."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import bot.sandbox.demo
from bot.cli import main
from bot.sandbox.demo import block_to_text, mrkdwn_to_text, run_demo
from bot.sandbox.standin import SlackStandin


@pytest.fixture(scope="module")
def transcript() -> tuple[int, str]:
    lines: list[str] = []
    code = run_demo(lines.append)
    return code, "\n".join(lines)


def test_demo_succeeds(transcript: tuple[int, str]) -> None:
    code, text = transcript
    assert code == 0, text
    assert "Demo FAILED" not in text


def test_demo_registers_order_co_0001(transcript: tuple[int, str]) -> None:
    _, text = transcript
    assert "order card posted in #orders:" in text
    assert "== CO-0001 · ACME Gears ==" in text
    assert "@S02 Production: can you make it? CO-0001" in text


def test_demo_shows_the_inline_quantity_error_before_the_valid_submission(
    transcript: tuple[int, str],
) -> None:
    _, text = transcript
    error = text.index("inline error under Quantity")
    assert error < text.index("order card posted in #orders:")


def test_demo_shows_sales_refused_when_answering_for_production(transcript: tuple[int, str]) -> None:
    _, text = transcript
    assert "ephemeral (only they see it): 🚫 Only the production team can answer" in text


def test_demo_shows_both_teams_answers(transcript: tuple[int, str]) -> None:
    _, text = transcript
    assert "Production answered for CO-0001: ✅ yes, lead time 10 days · @U05" in text
    assert "Supply answered for CO-0001: ✅ yes, materials arrive" in text


def test_demo_ends_with_a_committed_date_on_the_final_card(transcript: tuple[int, str]) -> None:
    _, text = transcript
    assert "committed CO-0001 to the customer for" in text
    final = text[text.index("The order card in #orders now reads (card updated 3 times):") :]
    assert "Status: ✅ Committed" in final
    assert "📅 Committed delivery:" in final
    assert "Next steps: README.md" in final


def test_demo_transcript_has_no_raw_slack_markup(transcript: tuple[int, str]) -> None:
    _, text = transcript
    for markup in ("<@", "<!subteam", "<!date", "&lt;", "&gt;", "&amp;"):
        assert markup not in text


def test_mrkdwn_becomes_plain_text() -> None:
    text = (
        "<@U01> asks <!subteam^S02>: *due* <!date^1764000000^{date_short}|2025-11-24 16:00 UTC> · "
        "_see_ <https://example.com/x|the thread> for 1 &lt; 2 &amp; 3"
    )
    assert mrkdwn_to_text(text) == "@U01 asks @S02: due 2025-11-24 16:00 UTC · see the thread for 1 < 2 & 3"


def test_blocks_render_as_lines() -> None:
    button = {"type": "button", "text": {"type": "plain_text", "text": "Go"}, "action_id": "a"}
    assert block_to_text({"type": "actions", "elements": [button]}) == ["[ Go ]"]
    fields = [{"type": "mrkdwn", "text": "*Customer*\nACME"}, {"type": "mrkdwn", "text": "*Product*\nX"}]
    assert block_to_text({"type": "section", "fields": fields}) == ["Customer: ACME   Product: X"]


class RejectingStandin(SlackStandin):
    def start(self) -> SlackStandin:
        super().start()
        self.fail("chat.update", error="invalid_blocks", times=100)
        return self


def test_demo_fails_with_one_clear_line_when_slack_rejects_a_call(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bot.sandbox.demo, "SlackStandin", RejectingStandin)
    lines: list[str] = []
    assert run_demo(lines.append) == 1
    failures = [line for line in lines if "Demo FAILED" in line]
    assert len(failures) == 1
    assert "chat.update with invalid_blocks" in failures[0]
    assert "Demo finished" not in "\n".join(lines)


def test_cli_demo_quiet_exits_zero_and_prints_the_transcript() -> None:
    result = CliRunner().invoke(main, ["demo", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "CO-0001" in result.output
    assert "Demo finished" in result.output


def test_demo_plays_the_whole_loop_in_chinese() -> None:
    lines: list[str] = []
    assert run_demo(lines.append, "zh-CN") == 0, "\n".join(lines)
    text = "\n".join(lines)
    assert "演示完成：CO-0001 从登记走到了承诺交期。" in text
    assert "输入 /order 新建" in text
    assert "打开表单：“新建定制订单”" in text
    assert "仅本人可见的回复：🚫 只有生产部可以答复生产部的请求。你不在生产部的 Slack 用户组里" in text
    assert "“数量”下方的提示（表单保持打开）：" in text and "The quantity" not in text
    assert "Demo finished" not in text
