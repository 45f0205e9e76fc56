"""Who may do what. Deny by default: every rule answers False unless membership is proven."""

from __future__ import annotations

from typing import Protocol

from workflows.config import Config
from workflows.enums import TEAMS, Act

READERS = (*TEAMS, "viewers")  # viewers read orders, plans and KPIs, and act on nothing


class Directory(Protocol):
    """Resolves configured member IDs (users and user groups) to the users they stand for."""

    def expand(self, member_ids: list[str]) -> set[str]: ...


class Refusal(Exception):
    """An action the actor may not take, or that no longer applies: a code and the data its words
    need (`Refusal("not_in_team", team="production", action="answer")`). bot/refusals.py words it
    in the reader's language; the rules never build the sentence."""

    def __init__(self, code: str, /, **data: object) -> None:
        super().__init__(code)
        self.code = code
        self.data = data


def team_members(config: Config, directory: Directory, team: str) -> set[str]:
    return directory.expand(list(getattr(config.teams, team)))


def is_member(config: Config, directory: Directory, user: str, team: str) -> bool:
    ids = getattr(config.teams, team)
    return user in ids or user in directory.expand([i for i in ids if i.startswith("S")])


def teams_of(config: Config, directory: Directory, user: str) -> list[str]:
    return [team for team in TEAMS if is_member(config, directory, user, team)]


def can_read(config: Config, directory: Directory, user: str) -> bool:
    """The one rule for every read (/order list and show, /kpi, /review agenda and plan, the Home
    tab): a member of a team or of `teams.viewers`. Users listed by ID are decided without the
    directory; groups are asked one at a time, so the first that holds the user ends the search."""
    lists = [getattr(config.teams, name) for name in READERS]
    if any(user in ids for ids in lists):
        return True
    groups = sorted({i for ids in lists for i in ids if i.startswith("S")})
    return any(user in directory.expand([group]) for group in groups)


def require_reader(config: Config, directory: Directory, user: str) -> None:
    if not can_read(config, directory, user):
        raise Refusal("cannot_read")


def require_member(config: Config, directory: Directory, user: str, team: str, act: Act) -> None:
    if not is_member(config, directory, user, team):
        by_group = any(i.startswith("S") for i in getattr(config.teams, team))
        raise Refusal("not_in_team", team=team, act=act, by_group=by_group)


def require_sales(config: Config, directory: Directory, user: str, salesperson: str, act: Act) -> None:
    """The order's own salesperson or anyone on the sales team."""
    if user != salesperson and not is_member(config, directory, user, "sales"):
        raise Refusal("not_sales", act=act)


def require_can_register(config: Config, directory: Directory, user: str) -> None:
    if not (is_member(config, directory, user, "sales") or is_member(config, directory, user, "managers")):
        raise Refusal("cannot_register")
