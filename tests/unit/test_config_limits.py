"""A configuration whose forms or messages Slack could not show is refused at start-up, in one line."""

from __future__ import annotations

from bot.limits import max_core_products
from bot.review import blocks as review
from bot.sandbox.standin import _check_view
from bot.settings import load_config
from tests.unit.test_settings import ENV, GOOD_TOML, clean_env, config_file, one_line_error, serve  # noqa: F401
from workflows.review import DEPARTMENTS
from workflows.review_plan import PlanRow


def with_products(count: int) -> str:
    names = ", ".join(f'"PRODUCT-{i:03d}-' + "x" * 48 + '"' for i in range(count))  # 60 characters each
    return GOOD_TOML + f"\n[review]\ncore_products = [{names}]\n"


def test_more_core_products_than_the_adjust_plan_form_holds_is_one_line_naming_the_setting(tmp_path) -> None:  # noqa: ANN001
    limit = max_core_products()
    message = one_line_error(lambda: load_config(config_file(tmp_path, with_products(limit + 1))))
    assert message.startswith(f"orderloop.toml: review.core_products: {limit + 1} products do not fit in")
    assert message.endswith(f"list at most {limit}")


def test_the_longest_accepted_product_list_builds_forms_slack_accepts(tmp_path) -> None:  # noqa: ANN001
    limit = max_core_products()
    assert limit >= 40  # the review with 40 products is tested end to end
    config = load_config(config_file(tmp_path, with_products(limit)))
    products = list(config.review.core_products)
    rows = [PlanRow(p, 1, 1, 1, False, agreed=1) for p in products]
    _check_view(review.adjust_modal("2026-12", rows))
    for team in DEPARTMENTS:
        _check_view(review.submit_modal(team, "2026-12", products, "Sat 05 Dec 2026", None))


def test_a_team_too_large_to_mention_in_a_message_is_one_line_naming_it(tmp_path) -> None:  # noqa: ANN001
    many = ", ".join(f'"U{i:08d}"' for i in range(60))
    text = GOOD_TOML.replace('supply = ["U03"]', f"supply = [{many}]")
    message = one_line_error(lambda: load_config(config_file(tmp_path, text)))
    assert message.startswith("orderloop.toml: teams.supply: 60 members are too many to mention")
    assert "user group" in message


def test_serve_with_too_many_core_products_exits_2_before_anything_is_posted(clean_env, tmp_path) -> None:  # noqa: ANN001, F811
    from bot.sandbox.standin import SlackStandin

    with SlackStandin(token="xoxb-1") as standin:
        path = config_file(tmp_path, with_products(max_core_products() + 1))
        result = serve({**ENV, "ORDERLOOP_CONFIG": str(path), "SLACK_API_URL": standin.url})
        assert result.exit_code == 2
        [line] = result.stderr.strip().splitlines()
        assert line.startswith("orderloop: configuration error: orderloop.toml: review.core_products: ")
        assert standin.calls == []


def test_the_longest_accepted_product_list_builds_forms_slack_accepts_in_chinese(tmp_path) -> None:  # noqa: ANN001
    """Titles, labels, hints and buttons stay inside Slack's limits in the longer-worded language too."""
    from bot.text import language

    config = load_config(config_file(tmp_path, with_products(max_core_products())))
    products = list(config.review.core_products)
    rows = [
        PlanRow(p, None, None, None, False, missing=("forecast", "achievable", "securable")) for p in products
    ]
    with language("zh_CN"):
        adjust = review.adjust_modal("2026-12", rows)
        _check_view(adjust)
        assert adjust["title"]["text"] == "调整计划"
        for team in DEPARTMENTS:
            form = review.submit_modal(
                team, "2026-12", products, "2026年12月5日（周六） 09:00（Asia/Shanghai）", None
            )
            _check_view(form)
            assert form["title"]["text"] == "需求评审 · 2026-12"
