"""AckFirst: follow-up work waits while other requests wait for their ack, but never for long."""

from __future__ import annotations

import threading
import time

from bot.ack_first import AckFirst


def _in_thread(target) -> tuple[threading.Thread, threading.Event]:  # noqa: ANN001
    done = threading.Event()

    def run() -> None:
        target()
        done.set()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, done


def test_nothing_waits_when_no_request_is_waiting_for_its_ack() -> None:
    acks = AckFirst(max_wait=30, max_held=8)
    _, done = _in_thread(acks.wait_turn)
    assert done.wait(timeout=5)


def test_follow_up_work_waits_until_every_pending_request_is_answered() -> None:
    acks = AckFirst(max_wait=30, max_held=8)
    first, second = acks.awaiting_answer(), acks.awaiting_answer()
    first.__enter__()
    second.__enter__()
    _, done = _in_thread(acks.wait_turn)

    first.__exit__(None, None, None)
    assert not done.wait(timeout=0.2), "went on while a request still waited for its ack"
    second.__exit__(None, None, None)
    assert done.wait(timeout=5)


def test_follow_up_work_is_never_held_longer_than_max_wait() -> None:
    acks = AckFirst(max_wait=0.05, max_held=8)
    with acks.awaiting_answer():  # a request that never gets answered (steady traffic)
        _, done = _in_thread(acks.wait_turn)
        assert done.wait(timeout=5)


def test_a_request_that_fails_still_counts_as_answered() -> None:
    acks = AckFirst(max_wait=30, max_held=8)
    try:
        with acks.awaiting_answer():
            raise RuntimeError("the listener blew up")
    except RuntimeError:
        pass
    _, done = _in_thread(acks.wait_turn)
    assert done.wait(timeout=5)


def test_beyond_max_held_follow_up_work_goes_on_at_once_so_acks_keep_free_threads() -> None:
    acks = AckFirst(max_wait=30, max_held=1)
    with acks.awaiting_answer():
        _, first_done = _in_thread(acks.wait_turn)
        deadline = time.monotonic() + 5
        while acks.held < 1 and time.monotonic() < deadline:  # until the first listener is held
            time.sleep(0.001)
        assert acks.held == 1
        _, second_done = _in_thread(acks.wait_turn)
        assert second_done.wait(timeout=5)
        assert not first_done.is_set()
    assert first_done.wait(timeout=5)
