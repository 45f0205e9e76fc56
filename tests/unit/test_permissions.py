"""The read rule: members of a team or of teams.viewers read; nobody else, and nothing is asked in vain."""

from __future__ import annotations

import pytest

from bot.refusals import say
from tests.conftest import MANAGER, OUTSIDER, PRODUCTION_A, SALES, SUPPLY, make_config
from workflows.permissions import Refusal, can_read, require_reader, teams_of

VIEWER, GROUP_VIEWER = "U07", "U08"
CONFIG = make_config(
    teams={
        "sales": [SALES],
        "production": ["S02"],
        "supply": [SUPPLY],
        "managers": [MANAGER],
        "viewers": [VIEWER, "S09"],
    }
)


class Groups:
    """A directory that records which groups it was asked about."""

    def __init__(self, groups: dict[str, set[str]]) -> None:
        self.groups, self.asked = groups, []

    def expand(self, member_ids: list[str]) -> set[str]:
        self.asked += member_ids
        return set().union(*(self.groups.get(m, {m}) for m in member_ids))


def directory() -> Groups:
    return Groups({"S02": {PRODUCTION_A}, "S09": {GROUP_VIEWER}})


@pytest.mark.parametrize("user", [SALES, PRODUCTION_A, SUPPLY, MANAGER, VIEWER, GROUP_VIEWER])
def test_team_members_and_viewers_may_read(user: str) -> None:
    assert can_read(CONFIG, directory(), user)
    require_reader(CONFIG, directory(), user)  # does not raise


def test_someone_in_no_list_and_no_group_may_not_read_and_is_told_how_to_get_access() -> None:
    assert not can_read(CONFIG, directory(), OUTSIDER)
    with pytest.raises(Refusal) as refused:
        require_reader(CONFIG, directory(), OUTSIDER)
    assert (refused.value.code, refused.value.data) == ("cannot_read", {})
    words = say(refused.value)
    assert "ask an admin" in words and "teams.viewers" in words


@pytest.mark.parametrize("user", [SALES, VIEWER])
def test_someone_listed_by_id_is_decided_without_the_directory(user: str) -> None:
    groups = directory()
    assert can_read(CONFIG, groups, user)
    assert groups.asked == []


def test_groups_are_asked_one_at_a_time_until_one_holds_the_reader() -> None:
    groups = directory()
    assert can_read(CONFIG, groups, PRODUCTION_A)
    assert groups.asked == ["S02"]


def test_viewers_belong_to_no_team() -> None:
    assert teams_of(CONFIG, directory(), VIEWER) == []
    assert teams_of(CONFIG, directory(), GROUP_VIEWER) == []


def test_viewers_are_optional_and_checked_like_the_other_lists() -> None:
    assert make_config().teams.viewers == []
    with pytest.raises(ValueError, match="is not a Slack user"):
        make_config(teams={**CONFIG.teams.model_dump(), "viewers": ["alice"]})


def test_the_example_configuration_loads_with_its_viewers_line_switched_on(tmp_path) -> None:  # noqa: ANN001
    from pathlib import Path

    from bot.settings import load_config

    example = (Path(__file__).parents[2] / "orderloop.example.toml").read_text(encoding="utf-8")
    assert "# viewers = [" in example
    path = tmp_path / "orderloop.toml"
    path.write_text(example.replace("# viewers = [", "viewers = ["), encoding="utf-8")
    assert load_config(path).teams.viewers == ["U05", "S06"]
