"""Start-up settings: every missing or invalid value becomes ONE line naming the setting."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.settings import SettingsError, load_config, load_env, load_settings

GOOD_TOML = """
timezone = "Asia/Shanghai"
orders_channel = "C0123ORDERS"

[teams]
sales = ["U01"]
production = ["S02"]
supply = ["U03"]
managers = ["U04"]
"""

ENV = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s3cret"}


def config_file(tmp_path: Path, text: str = GOOD_TOML) -> Path:
    path = tmp_path / "orderloop.toml"
    path.write_text(text, encoding="utf-8")
    return path


def one_line_error(call) -> str:  # noqa: ANN001
    with pytest.raises(SettingsError) as caught:
        call()
    message = str(caught.value)
    assert message and "\n" not in message, message
    return message


def test_a_good_environment_and_config_load(tmp_path) -> None:  # noqa: ANN001
    settings = load_settings({**ENV, "ORDERLOOP_CONFIG": str(config_file(tmp_path))})
    assert settings.config.orders_channel == "C0123ORDERS"
    assert settings.env.SLACK_API_URL == "https://slack.com/api/"
    assert "xoxb-1" not in repr(settings.env)  # secrets never show in a repr or log line


@pytest.mark.parametrize("name", ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"])
def test_a_missing_secret_names_the_variable(name) -> None:  # noqa: ANN001
    env = {k: v for k, v in ENV.items() if k != name}
    assert one_line_error(lambda: load_env(env)) == f"environment variable {name}: is required but not set"


def test_a_token_without_xoxb_is_refused() -> None:
    message = one_line_error(lambda: load_env({**ENV, "SLACK_BOT_TOKEN": "xoxp-user-token"}))
    assert message == "environment variable SLACK_BOT_TOKEN: must be a bot token starting with xoxb-"


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("SLACK_APP_TOKEN", "xoxb-2", "starting with xapp-"),
        ("SLACK_SIGNING_SECRET", "  ", "must not be empty"),
        ("SLACK_API_URL", "slack.com/api", "must be an http(s) URL"),
        ("DATABASE_URL", "mysql://x", "must be a sqlite:///path or postgresql://"),
        ("PORT", "70000", "65535"),
        ("PORT", "http", "integer"),
    ],
)
def test_an_invalid_environment_variable_is_named(name, value, says) -> None:  # noqa: ANN001
    message = one_line_error(lambda: load_env({**ENV, name: value}))
    assert message.startswith(f"environment variable {name}: ") and says in message


def test_a_secret_value_never_appears_in_the_error() -> None:
    message = one_line_error(lambda: load_env({**ENV, "SLACK_BOT_TOKEN": "xoxp-very-secret"}))
    assert "very-secret" not in message


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'timezone = "Asia/Shanghai"',
            'timezone = "Mars/Olympus"',
            "orderloop.toml: timezone: 'Mars/Olympus' is not an IANA time zone name",
        ),
        ('sales = ["U01"]', 'sales = ["bob"]', "orderloop.toml: teams.sales[0]: 'bob' is not a Slack user"),
        ('sales = ["U01"]', "sales = []", "orderloop.toml: teams.sales: List should have at least 1 item"),
        ('supply = ["U03"]', "", "orderloop.toml: teams.supply: is required but not set"),
        (
            'orders_channel = "C0123ORDERS"',
            'orders_channel = "#orders"',
            "orderloop.toml: orders_channel: '#orders' is not a Slack channel ID",
        ),
        (
            'timezone = "Asia/Shanghai"',
            'timezone = "Asia/Shanghai"\ncolour = "blue"',
            "orderloop.toml: colour: is not a known setting",
        ),
        (
            "[teams]",
            '[sla]\nholidays = "XX"\n\n[teams]',
            "orderloop.toml: sla.holidays: 'XX' is not a country code",
        ),
        (
            "[teams]",
            '[sla]\nextra_workdays = ["2026-02-30"]\n\n[teams]',
            "orderloop.toml: sla.extra_workdays[0]: '2026-02-30' is not a date like \"2026-02-14\"",
        ),
        (
            "[teams]",
            '[sla]\nextra_holidays = ["2026-10-01", "1 Oct"]\n\n[teams]',
            "orderloop.toml: sla.extra_holidays[1]: '1 Oct' is not a date like \"2026-02-14\"",
        ),
        (
            "[teams]",
            "[sla]\nextra_holidays = [2026-10-01T09:00:00]\n\n[teams]",
            "orderloop.toml: sla.extra_holidays[0]: 2026-10-01 09:00:00 is not a date like",
        ),
        (
            "[teams]",
            "[sla]\nextra_workdays = [20260214]\n\n[teams]",
            "orderloop.toml: sla.extra_workdays[0]: 20260214 is not a date like",
        ),
        (
            "[teams]",
            '[sla]\nextra_workdays = ["2026-02-14"]\nextra_holidays = [2026-02-14]\n\n[teams]',
            "orderloop.toml: sla: 2026-02-14 is in both extra_workdays and extra_holidays",
        ),
        (
            "[teams]",
            '[sla]\nextra_workdays = ["2026-10-01"]\nholidays = ["2026-10-01"]\n\n[teams]',
            "orderloop.toml: sla: 2026-10-01 is in both extra_workdays and holidays",
        ),
        (
            "[teams]",
            '[sla]\nworking_hours = "18:00-09:00"\n\n[teams]',
            "orderloop.toml: sla.working_hours: '18:00-09:00' must start before it ends",
        ),
        (
            "[teams]",
            "[sla]\nconfirm_within_hours = 4\nremind_before_hours = 4\n\n[teams]",
            "orderloop.toml: sla: remind_before_hours must be less than confirm_within_hours",
        ),
    ],
)
def test_an_invalid_config_value_is_one_line_naming_the_setting(tmp_path, old, new, expected) -> None:  # noqa: ANN001
    assert old in GOOD_TOML
    path = config_file(tmp_path, GOOD_TOML.replace(old, new))
    assert one_line_error(lambda: load_config(path)).startswith(expected)


def test_extra_workdays_and_holidays_take_toml_dates_or_iso_strings(tmp_path) -> None:  # noqa: ANN001
    text = GOOD_TOML.replace(
        "[teams]",
        '[sla]\nextra_workdays = [2026-11-28, "2026-12-05"]\nextra_holidays = ["2026-12-31"]\n\n[teams]',
    )
    sla = load_config(config_file(tmp_path, text)).sla
    assert sla.extra_workdays == [date(2026, 11, 28), date(2026, 12, 5)]
    assert sla.extra_holidays == [date(2026, 12, 31)]
    assert load_config(config_file(tmp_path)).sla.extra_workdays == []


def test_bad_toml_is_one_line_naming_the_file(tmp_path) -> None:  # noqa: ANN001
    path = config_file(tmp_path, GOOD_TOML + "\nthis is not = = toml\n")
    message = one_line_error(lambda: load_config(path))
    assert message.startswith(f"ORDERLOOP_CONFIG: {path} is not valid TOML")


def test_a_missing_config_file_is_one_line_naming_it(tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "nowhere.toml"
    assert one_line_error(lambda: load_config(path)) == (
        f"ORDERLOOP_CONFIG: {path} does not exist (start from orderloop.example.toml)"
    )


# -- the command line ---------------------------------------------------------------------

SETTINGS_VARS = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "SLACK_API_URL",
    "DATABASE_URL",
    "ORDERLOOP_CONFIG",
    "PORT",
)


@pytest.fixture
def clean_env(monkeypatch, tmp_path) -> None:  # noqa: ANN001
    for name in SETTINGS_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray orderloop.toml or orderloop.db from the checkout


def serve(env: dict[str, str]):  # noqa: ANN201
    return CliRunner().invoke(main, ["serve"], env=env)


def test_serve_without_a_bot_token_exits_2_naming_it_on_stderr(clean_env) -> None:  # noqa: ANN001
    result = serve({"SLACK_SIGNING_SECRET": "s"})
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "orderloop: configuration error: environment variable SLACK_BOT_TOKEN: is required but not set"
    ]
    assert "SLACK_BOT_TOKEN" not in result.stdout


def test_serve_with_a_bad_config_exits_2_naming_the_setting(clean_env, tmp_path) -> None:  # noqa: ANN001
    path = config_file(tmp_path, GOOD_TOML.replace("Asia/Shanghai", "Nowhere/Land"))
    result = serve({**ENV, "ORDERLOOP_CONFIG": str(path)})
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        "orderloop: configuration error: orderloop.toml: timezone: 'Nowhere/Land' is not an IANA"
    )


def test_serve_with_a_bad_extra_date_exits_2_naming_the_setting(clean_env, tmp_path) -> None:  # noqa: ANN001
    path = config_file(
        tmp_path, GOOD_TOML.replace("[teams]", '[sla]\nextra_workdays = ["2026-13-01"]\n\n[teams]')
    )
    result = serve({**ENV, "ORDERLOOP_CONFIG": str(path)})
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "orderloop: configuration error: orderloop.toml: sla.extra_workdays[0]:"
        " '2026-13-01' is not a date like \"2026-02-14\""
    ]


def test_serve_without_a_config_file_exits_2_naming_it_and_where_it_looked(clean_env, tmp_path) -> None:  # noqa: ANN001
    result = serve(ENV)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"orderloop: configuration error: ORDERLOOP_CONFIG: {Path.cwd() / 'orderloop.toml'} does not exist"
        " (start from orderloop.example.toml)"
    )


def test_serve_with_a_token_slack_rejects_exits_2_naming_it_after_one_auth_test(clean_env, tmp_path) -> None:  # noqa: ANN001
    from bot.sandbox.standin import SlackStandin

    with SlackStandin(token="xoxb-the-real-one") as standin:
        env = {**ENV, "ORDERLOOP_CONFIG": str(config_file(tmp_path)), "SLACK_API_URL": standin.url}
        result = serve(env)
        assert result.exit_code == 2
        assert result.stderr.strip().splitlines() == [
            "orderloop: configuration error: SLACK_BOT_TOKEN: Slack rejected it (invalid_auth)"
        ]
        assert [c.method for c in standin.calls] == ["auth.test"]


@pytest.mark.parametrize(("status", "error"), [(503, None), (200, "ratelimited"), (200, "internal_error")])
def test_slack_having_trouble_at_start_up_is_not_taken_for_a_bad_token(status, error) -> None:  # noqa: ANN001
    from slack_bolt import App
    from slack_sdk import WebClient

    from bot import runtime
    from bot.sandbox.standin import SlackStandin
    from bot.services import Services
    from storage.db import make_engine
    from tests.conftest import make_config

    with SlackStandin(token="xoxb-1") as standin:
        standin.fail("auth.test", status=status, error=error)
        svc = Services.build(
            make_config(), make_engine("sqlite://"), WebClient(token="xoxb-1", base_url=standin.url)
        )
        assert isinstance(runtime._build_app(svc, "s3cret"), App)  # starts; Bolt checks on the first request


def test_a_database_url_sqlalchemy_cannot_parse_is_one_line_naming_it() -> None:
    message = one_line_error(lambda: load_env({**ENV, "DATABASE_URL": "sqlite:orderloop.db"}))
    assert message.startswith("environment variable DATABASE_URL: must be a sqlite:///path or postgresql://")


@pytest.mark.parametrize(
    "url", ["postgresql://nobody@127.0.0.1:1/orderloop", "sqlite:////nonexistent/dir/orderloop.db"]
)
@pytest.mark.parametrize("command", [["serve"], ["run-due"]])
def test_a_database_that_cannot_be_opened_is_one_line_naming_database_url(
    clean_env, tmp_path, url, command
) -> None:  # noqa: ANN001
    env = {**ENV, "ORDERLOOP_CONFIG": str(config_file(tmp_path)), "DATABASE_URL": url}
    result = CliRunner().invoke(main, command, env=env)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        "orderloop: configuration error: DATABASE_URL: cannot open the database ("
    ), result.stderr


def test_a_port_in_use_is_one_line_naming_port_and_nothing_runs(clean_env, tmp_path) -> None:  # noqa: ANN001
    import socket

    from bot.sandbox.standin import SlackStandin

    taken = socket.socket()
    taken.bind(("0.0.0.0", 0))
    taken.listen()
    port = taken.getsockname()[1]
    try:
        with SlackStandin(token="xoxb-1") as standin:
            env = {**ENV, "ORDERLOOP_CONFIG": str(config_file(tmp_path)), "SLACK_API_URL": standin.url}
            result = serve({**env, "PORT": str(port)})
            assert result.exit_code == 2
            assert (
                result.stderr.strip()
                .splitlines()[-1]
                .startswith(f"orderloop: configuration error: PORT: cannot listen on port {port} (")
            ), result.stderr
            assert [c.method for c in standin.calls] == ["auth.test"]  # no sweep ran, nothing posted
    finally:
        taken.close()


def test_the_example_configuration_loads_with_its_calendar_lines_switched_on(tmp_path) -> None:  # noqa: ANN001
    example = (Path(__file__).parents[2] / "orderloop.example.toml").read_text(encoding="utf-8")
    for line in ("# working_hours = ", '# holidays = "CN"', "# extra_workdays = [", "# extra_holidays = ["):
        assert line in example
        example = example.replace(line, line.removeprefix("# "))
    sla = load_config(config_file(tmp_path, example)).sla
    assert (sla.holidays, sla.extra_workdays, sla.extra_holidays) == (
        "CN",
        [date(2026, 11, 28)],
        [date(2026, 12, 31)],
    )
