"""/order's sub-commands and list words, in English and in Chinese (issue 11 §4)."""

import pytest

from bot.orders.commands import parse_list, split_command
from bot.orders.replies import ListQuery


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("", ("", "")),
        ("new", ("new", "")),
        ("NEW", ("new", "")),
        ("新建", ("new", "")),
        ("列表 我的", ("list", "我的")),
        ("列表　我的", ("list", "我的")),  # a full-width space
        ("查看 CO-0042", ("show", "CO-0042")),
        ("查看CO-0042", ("show", "CO-0042")),
        ("修改 CO-0042", ("edit", "CO-0042")),
        ("帮助", ("help", "")),
        ("  show   CO-0042 ", ("show", "CO-0042")),
        ("删除 CO-0042", ("删除", "CO-0042")),
        ("查", ("查", "")),
    ],
)
def test_sub_commands_in_either_language(typed: str, expected: tuple[str, str]) -> None:
    assert split_command(typed) == expected


@pytest.mark.parametrize(
    ("rest", "query"),
    [
        ("我的", ListQuery(mine=True)),
        ("全部 acme 第2页", ListQuery(closed_too=True, text="acme", page=2)),
        ("我的 全部 页 3", ListQuery(mine=True, closed_too=True, page=3)),
        ("mine all acme page 2", ListQuery(mine=True, closed_too=True, text="acme", page=2)),
        ("第２页", ListQuery(text="第２页")),  # full-width digits are not a page number here: searched
        ("page ²", ListQuery(text="page ²")),  # nor a superscript (int() would fail on it)
    ],
)
def test_list_words_in_either_language(rest: str, query: ListQuery) -> None:
    assert parse_list(rest) == query
