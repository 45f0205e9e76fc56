"""The gate in front of every read-only answer: only those workflows.permissions.can_read admits.

Read-only answers ride on the ack, and nothing before an ack may wait on Slack. When the reader's
access is known without Slack (listed by user ID, or a member of a group whose members are
cached), the answer or the refusal goes on the ack as before. When it hangs on a user group not
cached, the command is acknowledged empty, the groups are asked after the ack, and the answer or
the refusal follows on the command's response_url (still only for the person who asked).
"""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import Ack, Respond

from bot.common_refusals import cannot_read
from bot.directory import CachedDirectory, NotCached
from bot.kit import section
from bot.services import Services
from workflows.permissions import can_read

Answer = Callable[..., object]  # takes the reply's fields (text, blocks), like ack(**reply)


def reader_ack(svc: Services, ack: Ack, respond: Respond, *, user: str) -> Answer | None:
    """How to send this reader's answer (ack or respond), or None once they have been refused."""
    try:
        allowed = can_read(svc.config, CachedDirectory(svc.directory), user)
    except NotCached:
        ack()
        allowed = can_read(svc.config, svc.directory, user)  # after the ack: may ask Slack
        send: Answer = lambda **reply: _respond(respond, reply)  # noqa: E731
    else:
        send = ack
    if allowed:
        return send
    refusal = cannot_read()
    send(text=refusal, blocks=[section(refusal)])
    return None


def _respond(respond: Respond, reply: dict) -> None:
    respond(
        text=reply.get("text") or "",
        blocks=reply.get("blocks"),
        response_type="ephemeral",
        replace_original=False,
    )
