"""The benchmarks' building blocks run on tiny sizes and produce figures (never timing assertions:
the bars are checked by `python -m benchmarks`)."""

from __future__ import annotations

import os

from benchmarks import ack_latency, digest_agenda, memory, slack_calls, slow_slack, sweep_cost
from benchmarks.common import percentile, summary


def test_percentiles_use_the_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 99) == 99.0
    assert summary([3.0, 1.0, 2.0]) == {"n": 3, "p50": 2.0, "p99": 3.0, "max": 3.0}


def test_slack_calls_are_counted_for_every_step_of_an_order():
    outcome = slack_calls.run()
    steps = outcome.figures["steps"]
    assert steps.pop(slack_calls.START_UP) == {"auth.test": 1}  # the token, checked once at start-up
    assert len(steps) == 8
    assert all(sum(counts.values()) > 0 for counts in steps.values())
    assert not any("auth.test" in counts for counts in steps.values())
    assert outcome.figures["web_api_calls"] > 0
    assert outcome.bars


def test_ack_latency_gives_percentiles_for_both_apps_and_both_kinds():
    figures = ack_latency.run(concurrency=3, rounds=1).figures
    for key in ("bare_command", "real_command", "eager_command", "bare_click", "real_click", "eager_click"):
        assert figures[key]["n"] == 3 and figures[key]["p99"] > 0
    for key in ("real_command_modal", "real_click_modal", "eager_command_modal", "eager_click_modal"):
        assert figures[key]["n"] == 3 and figures[key]["max"] > 0


def test_slow_slack_times_every_ack():
    figures = slow_slack.run(concurrency=2, delay=0.2).figures
    assert len(figures["ack_s"]) == 2
    assert figures["all_modals_opened_s"] is not None


def test_sweep_cost_times_a_sweep_that_sends_every_reminder():
    row = sweep_cost.measure(orders=150, batches=1)
    assert row["due_s"] > 0 and row["idle_s"] > 0
    assert row["delivered_per_sweep"] == 300  # 100 threads reminders + 2 production members' DMs each


def test_digest_and_agenda_are_built_and_checked_against_slack():
    outcome = digest_agenda.run(open_orders=50, closed=50, repeats=1)
    assert outcome.figures["digest.build"]["worst_s"] > 0
    assert outcome.figures["review_agenda"] == "pending" or outcome.figures["review_agenda"]["blocks"] > 0


def test_memory_reads_resident_size_of_a_process():
    mb = memory.memory_mb(os.getpid())
    assert mb["VmRSS"] > 0 and mb["VmHWM"] >= mb["VmRSS"]


def test_memory_of_a_real_serve_process_is_measured_idle_and_loaded():
    figures = memory.run(orders=200, due=5, registrations=1, stock_rows=300).figures
    assert figures["idle_mb"]["VmRSS"] > 0 and figures["loaded_mb"]["VmRSS"] > 0
    assert figures["messages_posted"] > 0
    # the spreadsheet went through Slack: its preview came, then Import saved every row
    assert figures["after_import_mb"]["VmRSS"] > 0 and figures["import"]["total_s"] > 0
