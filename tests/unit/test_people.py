"""Each person's language: known from memory on the ack path, asked of Slack only off it."""

from __future__ import annotations

import threading

from slack_sdk.errors import SlackApiError

from bot.people import People
from tests.conftest import make_config


class FakeUsers:
    """users.info as Slack answers it: the locale only when asked for (include_locale)."""

    def __init__(self, locales: dict[str, str], fail: bool = False) -> None:
        self.locales, self.fail, self.calls = locales, fail, []
        self.answered = threading.Event()

    def users_info(self, *, user: str, include_locale: bool = False) -> dict:
        self.calls.append((user, include_locale))
        try:
            if self.fail:
                raise SlackApiError("ratelimited", {"ok": False, "error": "ratelimited"})
            return {"ok": True, "user": {"id": user, "locale": self.locales.get(user, "en-US")}}
        finally:
            self.answered.set()


def settle(people: People) -> None:
    people._pool.shutdown(wait=True)  # the background look-ups have finished


def test_an_unknown_person_gets_the_workspace_language_at_once_and_theirs_once_known():
    users = FakeUsers({"U01": "zh-CN"})
    people = People(users, make_config(language="en"))
    assert people.known("U01") == "en"  # no waiting on Slack: the workspace's language
    settle(people)
    assert people.known("U01") == "zh_CN"
    assert users.calls == [("U01", True)]  # asked once, with include_locale


def test_delivery_asks_slack_for_a_person_not_known_yet():
    people = People(FakeUsers({"U02": "en-GB"}), make_config(language="zh-CN"))
    assert people.language_of("U02") == "en"


def test_a_failed_look_up_falls_back_to_the_workspace_language():
    people = People(FakeUsers({}, fail=True), make_config(language="zh-CN"))
    assert people.language_of("U03") == "zh-CN"
    assert people.known("U03") == "zh-CN"


def test_a_language_we_do_not_ship_falls_back_to_the_workspace_language():
    people = People(FakeUsers({"U04": "ja-JP"}), make_config(language="zh-CN"))
    assert people.language_of("U04") == "zh-CN"


def test_with_language_per_user_off_nobody_is_asked():
    users = FakeUsers({"U01": "zh-CN"})
    people = People(users, make_config(language="en", language_per_user=False))
    assert people.known("U01") == "en" and people.language_of("U01") == "en"
    assert users.calls == []
