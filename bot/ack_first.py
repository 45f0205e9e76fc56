"""Acknowledgements before follow-up work.

Slack's 3-second ack is the hard deadline; the work a listener does after `ack()` (a database
read, views.open, delivering what it queued) is not. In one process that work competes with the
threads still preparing other requests' acks for the interpreter lock and the 2 cores, so in a
burst of clicks every ack waits behind the modals of the clicks before it.

So the HTTP app counts the Slack requests it holds that have not been answered yet, and a
listener's `ack()` returns only once that count is zero (or after MAX_WAIT at the most, so steady
traffic can never starve follow-up work: views.open must still reach Slack within 3 s of the
click). A held listener keeps its pool thread, and a request can only ack on a free one, so only
`max_held` listeners are held at once; beyond that follow-up work goes on at once, as without
this module. Measured in benchmarks/ack_latency: the burst's acks come out as fast as a bare Bolt
app's, and the modals open some 30 ms later at the median.

Only when acks are sent before listener work finishes (`process_before_response=False`, how
`serve` runs): with process_before_response the listener *is* the request, nothing to reorder.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from slack_bolt import App, BoltContext, BoltResponse
from slack_bolt.context.ack import Ack

MAX_WAIT = 0.25  # seconds; a burst of 50 requests is answered in about 50 ms on 2 cores


class AckFirst:
    """How many Slack requests are waiting for their answer, and a bounded wait for none."""

    def __init__(self, max_wait: float = MAX_WAIT, max_held: int = 0) -> None:
        """`max_held` is set by install() from the listener pool's size; 0 holds nothing."""
        self.max_wait, self.max_held = max_wait, max_held
        self._waiting = 0  # requests not answered yet
        self._held = 0  # listeners waiting in wait_turn
        self._idle = threading.Condition()

    @contextmanager
    def awaiting_answer(self) -> Iterator[None]:
        """Around one request, from its arrival until its response is ready to send."""
        with self._idle:
            self._waiting += 1
        try:
            yield
        finally:
            with self._idle:
                self._waiting -= 1
                if self._waiting == 0:
                    self._idle.notify_all()

    @property
    def held(self) -> int:
        """Listeners waiting in wait_turn now."""
        with self._idle:
            return self._held

    def wait_turn(self) -> None:
        """Block until no request is waiting for its answer, or max_wait has passed; at once if
        max_held listeners are waiting already."""
        with self._idle:
            if self._waiting == 0 or self._held >= self.max_held:
                return
            self._held += 1
            try:
                self._idle.wait_for(lambda: self._waiting == 0, timeout=self.max_wait)
            finally:
                self._held -= 1

    def install(self, app: App, *, max_held: int) -> None:
        """Make every listener's `ack()` yield to pending acks before the listener goes on;
        at most `max_held` at a time (fewer than the listener pool's threads)."""
        self.max_held = max_held

        @app.middleware
        def acks_first(context: BoltContext, next: Callable[[], BoltResponse]) -> BoltResponse | None:  # noqa: A002
            context["ack"] = _YieldingAck(self)
            return next()


class _YieldingAck(Ack):
    def __init__(self, acks: AckFirst) -> None:
        super().__init__()
        self._acks = acks
        self._request_thread = threading.get_ident()  # middleware runs on the request's thread

    def __call__(self, *args: object, **kwargs: object) -> BoltResponse:
        response = super().__call__(*args, **kwargs)  # Bolt's request thread sends this now
        # Bolt acks events itself on the request's own thread: waiting there would hold back
        # the very answer the wait is for. Only a listener's thread has follow-up work to hold.
        if threading.get_ident() != self._request_thread:
            self._acks.wait_turn()
        return response
