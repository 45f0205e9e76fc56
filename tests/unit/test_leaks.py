"""The pseudo-locale check itself: it must see English outside the markers and nothing else."""

from tests.leaks import texts_of, unmarked_words


def test_marked_text_and_data_are_not_leaks():
    text = "⟦Order ⟦CO-0042⟧ needs ⟦the production team⟧'s answer by⟧ <!date^1^{time}|x> :alarm_clock: 250"
    assert unmarked_words(text) == []


def test_english_outside_the_markers_is_a_leak():
    assert unmarked_words("⟦Due⟧ tomorrow at noon") == ["tomorrow", "at", "noon"]


def test_chinese_outside_the_markers_is_a_leak_too():
    assert unmarked_words("⟦Due⟧ 明天") == ["明天"]


def test_names_the_test_typed_are_data():
    assert unmarked_words("⟦Customer⟧: ACME Gears &amp; Co", data=["ACME Gears", "Co"]) == []


def test_every_readable_string_of_a_payload_is_collected():
    payload = {
        "text": "fallback",
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "body"}, "block_id": "b"}],
        "view": {"title": {"type": "plain_text", "text": "title"}, "private_metadata": "{}"},
        "response_action": "errors",
        "errors": {"quantity": "not a number"},
    }
    assert sorted(texts_of(payload)) == ["body", "fallback", "not a number", "title"]


def test_english_passed_into_a_placeholder_is_a_leak():
    assert unmarked_words("⟦Status: ⟪Waiting⟫⟧") == ["Waiting"]
    assert unmarked_words("⟦Only ⟪⟦the production team⟧⟫ can answer.⟧") == []


def test_links_code_and_zones_are_data_even_inside_a_placeholder():
    text = (
        "⟦See ⟪<https://x.slack.com/p1|thread>⟫ or type ⟪`/order list`⟫ by ⟪2026-12-06 09:00 Asia/Shanghai⟫⟧"
    )
    assert unmarked_words(text) == []
