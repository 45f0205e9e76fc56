"""Pure Block Kit builders for the order card and the messages in its thread."""

from __future__ import annotations

from datetime import date

from bot.ids import Action
from bot.kit import actions, button, context, section
from bot.mrkdwn import clip, day, esc_clip, esc_name, mention_all, month, number, when
from bot.orders.refusals import status_words
from bot.text import _, n_, p_
from storage.models import ConfirmationRequest, Order, OrderStatus
from workflows.atp import Availability, Step
from workflows.catalogue import Catalogue, catalogue
from workflows.config import Config

Message = dict  # {"text": fallback, "blocks": [...]}

STATUS_EMOJI = {
    OrderStatus.AWAITING_CONFIRMATION: ":hourglass_flowing_sand:",
    OrderStatus.AWAITING_COMMITMENT: ":handshake:",
    OrderStatus.AWAITING_APPROVAL: ":scales:",
    OrderStatus.DECLINED: ":no_entry:",
    OrderStatus.COMMITTED: ":white_check_mark:",
    OrderStatus.DELIVERED: ":truck:",
    OrderStatus.CANCELLED: ":x:",
}
BEFORE_COMMITMENT = (
    OrderStatus.AWAITING_CONFIRMATION,
    OrderStatus.AWAITING_COMMITMENT,
    OrderStatus.AWAITING_APPROVAL,
    OrderStatus.DECLINED,
)
# A promise beyond what can be made: the managers' buttons on its request (value: the request id)
APPROVE_PROMISE = "order.approve_promise"
REJECT_PROMISE = "order.reject_promise"
CORRECT_ANSWER = "order.correct_answer"  # the team that answered corrects it before sales commits
# before sales commits a date: workflows.orders.CORRECTABLE
CORRECTABLE = (OrderStatus.AWAITING_CONFIRMATION, OrderStatus.AWAITING_COMMITMENT, OrderStatus.DECLINED)


def answer_summary(request: ConfirmationRequest | None) -> str:
    if request is None:
        return "—"
    if request.superseded and request.answered_at is None:
        return _("_not needed any more_")
    if request.answered_at is None and request.escalated_at is not None:
        return _(":rotating_light: *OVERDUE* · was due {deadline}", deadline=when(request.due_at))
    if request.answered_at is None:
        return _("waiting · due {deadline}", deadline=when(request.due_at))
    by, at = request.answered_by, when(request.answered_at)
    if request.team == "managers":
        answer = (
            _(":white_check_mark: approved · <@{user}> {when}", user=by, when=at)
            if request.can_do
            else _(":no_entry: rejected · <@{user}> {when}", user=by, when=at)
        )
    elif not request.can_do:
        answer = _(":no_entry: no · <@{user}> {when}", user=by, when=at)
    elif request.team == "production":
        answer = n_(
            ":white_check_mark: yes, lead time {n} day · <@{user}> {when}",
            ":white_check_mark: yes, lead time {n} days · <@{user}> {when}",
            request.lead_time_days or 0,
            user=by,
            when=at,
        )
    elif request.team == "supply":
        answer = _(
            ":white_check_mark: yes, materials arrive {date} · <@{user}> {when}",
            date=day(request.material_date),
            user=by,
            when=at,
        )
    else:
        answer = _(":white_check_mark: yes · <@{user}> {when}", user=by, when=at)
    # TRANSLATORS: an answer given after its deadline; {answer} is the whole answer line.
    return _("{answer} _(late)_", answer=answer) if request.late else answer


def card_status(order: Order, requests: dict[str, ConfirmationRequest]) -> str:
    """The order's state, naming the team(s) still owing an answer while confirmation runs."""
    if order.status == OrderStatus.AWAITING_CONFIRMATION:
        waiting = {t for t, r in requests.items() if r.answered_at is None}
        if waiting == {"production", "supply"}:
            return _("Waiting for production and supply")
        if waiting == {"production"}:
            return _("Waiting for production")
        if waiting == {"supply"}:
            return _("Waiting for supply")
    return card_status_label(order.status)


def card_status_label(status: str) -> str:
    """An order's status as the card's label shows it."""
    labels = {
        OrderStatus.AWAITING_CONFIRMATION: _("Waiting for production and supply"),
        OrderStatus.AWAITING_COMMITMENT: _("Waiting for sales to commit a date"),
        OrderStatus.AWAITING_APPROVAL: _("Awaiting manager approval"),
        OrderStatus.DECLINED: _("Declined"),
        OrderStatus.COMMITTED: _("Committed"),
        OrderStatus.DELIVERED: _("Delivered"),
        OrderStatus.CANCELLED: _("Cancelled"),
    }
    return labels.get(status, status)


def quoted(text: str, limit: int = 1500) -> str:
    """User text as a mrkdwn quote, every line of it."""
    return "\n".join(f">{line}" for line in esc_clip(text, limit).splitlines())


def cancelled_line(order: Order, reason: str) -> str:
    why = f"\n{quoted(reason)}" if reason else ""
    line = _(":x: *Cancelled* by <@{user}> {when}", user=order.cancelled_by, when=when(order.updated_at))
    return f"{line}{why}"


def product_line(order: Order, products: Catalogue | None) -> str:
    """The order's product as the card shows it: with its catalogue name, or as typed."""
    product = products.product(order.product_code) if products else None
    if product is not None:
        if product.name and product.name != product.code:
            return f"{esc_name(product.code)} · {esc_name(product.name)}"
        return esc_name(product.code)
    return esc_name(order.product)


def outside_catalogue(order: Order, products: Catalogue | None) -> dict | None:
    """The card's mark of a product typed as free text while there is a catalogue."""
    if not products or products.product(order.product_code) is not None:
        return None
    return context(_(":grey_question: This product is not in the catalogue: no monthly plan covers it."))


def quantity_line(order: Order, products: Catalogue | None) -> str:
    """The quantity with the catalogue product's unit (a product outside the catalogue has none)."""
    product = products.product(order.product_code) if products else None
    if product is None:
        return number(order.quantity)
    # TRANSLATORS: a quantity and its unit from the catalogue, e.g. "250 台", "250 pcs".
    return _("{quantity} {unit}", quantity=number(order.quantity), unit=esc_name(product.unit))


def order_card(
    order: Order,
    requests: dict[str, ConfirmationRequest],
    extra: list[dict] | None = None,
    *,
    cancel_reason: str = "",
    config: Config | None = None,
    over_plan: bool = False,
) -> Message:
    """`extra`: blocks about the order's life after commitment (bot/after_commit/blocks.py);
    `config`: its catalogue (once `[[products]]` lists products, as on the form) gives the product's
    name and unit, and marks a product typed outside it."""
    products = catalogue(config) if config is not None and config.products else None
    status = f"{STATUS_EMOJI.get(order.status, '')} {card_status(order, requests)}"
    labels = {
        "customer": _("*Customer*"),
        "product": _("*Product*"),
        "quantity": _("*Quantity*"),
        "requested": _("*Requested delivery*"),
        "status": _("*Status*"),
        "sales": _("*Sales*"),
        "specification": _("*Specification*"),
    }
    blocks = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": clip(f"{order.number} · {order.customer}", 150)},
        },
        {
            "type": "section",
            "fields": [
                {"type": "mrkdwn", "text": f"{labels['customer']}\n{esc_name(order.customer)}"},
                {"type": "mrkdwn", "text": f"{labels['product']}\n{product_line(order, products)}"},
                {"type": "mrkdwn", "text": f"{labels['quantity']}\n{quantity_line(order, products)}"},
                {"type": "mrkdwn", "text": f"{labels['requested']}\n{day(order.requested_date)}"},
                {"type": "mrkdwn", "text": f"{labels['status']}\n{status}"},
                {"type": "mrkdwn", "text": f"{labels['sales']}\n<@{order.salesperson}>"},
            ],
        },
        *([mark] if (mark := outside_catalogue(order, products)) else []),
        section(f"{labels['specification']}\n{esc_clip(order.specification, 2800)}"),
        section(
            _("*Production:* {answer}", answer=answer_summary(requests.get("production")))
            + "\n"
            + _("*Supply:* {answer}", answer=answer_summary(requests.get("supply")))
        ),
    ]
    if order.status in (OrderStatus.COMMITTED, OrderStatus.DELIVERED):
        blocks.append(
            section(
                _(
                    ":calendar: *Committed delivery: {date}* · <@{user}> {when}",
                    date=day(order.committed_date),
                    user=order.committed_by,
                    when=when(order.committed_at),
                )
            )
        )
        if over_plan:
            blocks.append(context(over_plan_line()))
    if order.status == OrderStatus.CANCELLED:
        blocks.append(section(cancelled_line(order, cancel_reason)))
    blocks.extend(extra or [])
    blocks.append(
        context(
            _(
                "Revision {revision} · registered {created} · updated {updated}",
                revision=order.revision,
                created=when(order.created_at),
                updated=when(order.updated_at),
            )
        )
    )
    if order.status in BEFORE_COMMITMENT:
        blocks.append(sales_actions(order))
    text = _(
        "{order} for {customer}: {status}",
        order=order.number,
        customer=esc_name(order.customer),
        status=card_status(order, requests).lower(),
    )
    return {"text": text, "blocks": blocks}


def over_plan_line() -> str:
    """The card's flag on an order a manager approved beyond the month's capacity target."""
    return _(":warning: *Over plan*: a manager approved this promise beyond the month's capacity target.")


def answer_button(request: ConfirmationRequest) -> dict:
    label = _("Answer for supply") if request.team == "supply" else _("Answer for production")
    return button(label, Action.ANSWER, str(request.id), "primary")


def _question(team: str) -> str:
    """The request's question as a label (the thread message's title)."""
    return (
        _("Supply: can you source the materials?") if team == "supply" else _("Production: can you make it?")
    )


def request_message(order: Order, request: ConfirmationRequest, config: Config) -> Message:
    team = request.team
    who = mention_all(getattr(config.teams, team))
    if request.superseded and request.answered_at is None:
        words = (
            _("~Supply: can you source the materials?~ Not needed any more (revision {revision}).")
            if team == "supply"
            else _("~Production: can you make it?~ Not needed any more (revision {revision}).")
        )
        text = words.format(revision=request.revision)
        return {"text": text, "blocks": [section(text)]}
    words = (
        _(
            "{who} *Supply: can you source the materials?* {order}, {quantity} × {product} "
            "for {customer}, requested {date}."
        )
        if team == "supply"
        else _(
            "{who} *Production: can you make it?* {order}, {quantity} × {product} "
            "for {customer}, requested {date}."
        )
    )
    head = words.format(
        who=who,
        order=order.number,
        quantity=number(order.quantity),
        product=esc_name(order.product),
        customer=esc_name(order.customer),
        date=day(order.requested_date),
    ).lstrip()
    if request.answered_at is None:
        blocks = [
            section(head + "\n" + _("Please answer by *{deadline}*.", deadline=when(request.due_at))),
            actions(answer_button(request)),
        ]
    else:
        blocks = [section(head), context(_("Answered: {answer}", answer=answer_summary(request)))]
    return {"text": f"{_question(team)} {order.number}", "blocks": blocks}


def approval_buttons(request: ConfirmationRequest) -> dict:
    """Approve or reject a promise beyond what can be made (managers only; checked on click)."""
    value = str(request.id)
    return actions(
        button(
            _("Approve promise"),
            APPROVE_PROMISE,
            value,
            "primary",
            confirm=_("The order is committed as proposed and the plan's buffer released for it."),
        ),
        button(_("Reject"), REJECT_PROMISE, value, "danger"),  # its form asks for the reason
    )


def _problems(proposal: dict, order: Order) -> list[str]:
    """What is wrong with the proposed promise, one whole sentence each."""
    lines = []
    if proposal.get("earliest"):
        lines.append(
            _(
                "• {date} is before the earliest feasible date, {earliest}.",
                date=day(date.fromisoformat(proposal["date"])),
                earliest=day(date.fromisoformat(proposal["earliest"])),
            )
        )
    if proposal.get("beyond_plan"):
        lines.append(
            _(
                "• {quantity} is more than the {available} left of {agreed} in the {month} plan for {line}.",
                quantity=number(order.quantity),
                available=number(max(proposal.get("available") or 0, 0)),
                agreed=number(proposal.get("agreed")),
                month=month(proposal["month"]),
                line=esc_name(order.line or ""),
            )
        )
    return lines


def approval_message(order: Order, request: ConfirmationRequest, proposal: dict, config: Config) -> Message:
    """The managers' request in the thread: the promise, what is wrong with it, the reason."""
    promised = day(date.fromisoformat(proposal["date"]))
    fallback = _("{order}: a promise beyond the plan needs a manager", order=order.number)
    if request.superseded and request.answered_at is None:
        text = _(
            "~Approve the promise of {order} for {date}?~ Not needed any more.",
            order=order.number,
            date=promised,
        )
        return {"text": fallback, "blocks": [section(text)]}
    head = _(
        "{managers} *Approve a promise beyond the plan?* <@{user}> wants to commit {order} "
        "({quantity} × {product} for {customer}) for *{date}*.",
        managers=mention_all(config.teams.managers),
        user=proposal["by"],
        order=order.number,
        quantity=number(order.quantity),
        product=esc_name(order.product),
        customer=esc_name(order.customer),
        date=promised,
    ).lstrip()
    reason = _("Reason given by sales:") + "\n" + quoted(proposal.get("reason") or "")
    body = "\n".join([head, *_problems(proposal, order), reason])
    if request.answered_at is None:
        ask = _("Please decide by *{deadline}*.", deadline=when(request.due_at))
        return {"text": fallback, "blocks": [section(f"{body}\n{ask}"), approval_buttons(request)]}
    return {"text": fallback, "blocks": [section(body), context(answer_summary(request))]}


def approval_echo(order: Order, request: ConfirmationRequest, proposal: dict) -> Message:
    """The managers' decision, told in the thread to the salesperson who asked."""
    promised = day(date.fromisoformat(proposal["date"]))
    if request.can_do:
        text = _(
            ":white_check_mark: <@{manager}> approved the promise of {order} for *{date}*. "
            "<@{user}>, please confirm it with the customer.",
            manager=request.answered_by,
            order=order.number,
            date=promised,
            user=proposal["by"],
        )
        fallback = _("{order}: promise approved", order=order.number)
    else:
        text = _(
            ":no_entry: <@{manager}> rejected the promise of {order} for *{date}*. <@{user}>, commit "
            "another date with *Confirm delivery date* above.",
            manager=request.answered_by,
            order=order.number,
            date=promised,
            user=proposal["by"],
        )
        text += "\n" + quoted(request.notes or "")
        fallback = _("{order}: promise rejected", order=order.number)
    return {"text": fallback, "blocks": [section(text)]}


def answer_echo(order: Order, request: ConfirmationRequest, *, available: str | None = None) -> Message:
    """`available`: what the plan has left in the requested month for the order's line, with the
    figures at the time of the answer (month_available words it)."""
    notes = f"\n>{esc_clip(request.notes, 1500)}" if request.notes else ""
    summary = answer_summary(request)
    if request.team == "supply":
        text = _("*Supply* answered for {order}: {answer}", order=order.number, answer=summary)
        fallback = _("Supply answered for {order}", order=order.number)
    else:
        text = _("*Production* answered for {order}: {answer}", order=order.number, answer=summary)
        fallback = _("Production answered for {order}", order=order.number)
    return {
        "text": fallback,
        "blocks": [
            section(text + notes),
            *([context(available)] if available else []),
            *([correct_actions(request)] if correctable(order, request) else []),
        ],
    }


def correctable(order: Order, request: ConfirmationRequest) -> bool:
    """Whether the team's answer may still be corrected (checked again on click)."""
    return (
        request.team in ("production", "supply")
        and request.answered_at is not None
        and order.status in CORRECTABLE
        and order.revision == request.revision
    )


def correct_actions(request: ConfirmationRequest) -> dict:
    return actions(button(p_("button", "Correct answer"), CORRECT_ANSWER, str(request.id)))


def answer_words(team: str, data: dict) -> str:
    """An answer as plain data (workflows.orders.answer_data), in a few words."""
    if not data.get("can_do"):
        return p_("answer", "no")
    if team == "production":
        days = data.get("lead_time_days") or 0
        return n_("yes, lead time {n} day", "yes, lead time {n} days", days)
    arrival = data.get("material_date")
    return _("yes, materials arrive {date}", date=day(date.fromisoformat(arrival)) if arrival else "—")


def answer_corrected(
    order: Order, request: ConfirmationRequest, params: dict, *, available: str | None = None
) -> Message:
    """The thread's line about a corrected answer: who, the old and the new answer, and (while
    sales is to commit) the recomputed earliest date."""
    before, after = params.get("before") or {}, params.get("after") or {}
    facts = {
        "user": params.get("by"),
        "order": order.number,
        "before": answer_words(request.team, before),
        "after": answer_words(request.team, after),
    }
    if request.team == "supply":
        text = _(":pencil2: <@{user}> corrected supply's answer for {order}: {before} → *{after}*", **facts)
        fallback = _("Supply corrected its answer for {order}", order=order.number)
    else:
        text = _(
            ":pencil2: <@{user}> corrected production's answer for {order}: {before} → *{after}*", **facts
        )
        fallback = _("Production corrected its answer for {order}", order=order.number)
    if after.get("notes") and after.get("notes") != before.get("notes"):
        text += f"\n>{esc_clip(after['notes'], 1500)}"
    lines = [section(text)]
    if params.get("feasible"):
        feasible = date.fromisoformat(params["feasible"])
        lines.append(context(_("Earliest feasible delivery is now {date}.", date=day(feasible))))
    if available:
        lines.append(context(available))
    return {"text": fallback, "blocks": lines}  # the answer's own message keeps the button


def order_value(order: Order, revision: int | None = None) -> str:
    return f"{order.id}:{order.revision if revision is None else revision}"


def _left(value: int | None) -> str:
    return number(max(value or 0, 0))


def _plan_step(step: Step, line: str, first: bool) -> str:
    """One month looked at, as a whole clause; the first names the line."""
    if step.agreed is None:
        return _("no approved plan for {month}", month=month(step.month))
    if first:
        return _(
            "{month} plan for {line}: {available} of {agreed} left",
            month=month(step.month),
            line=esc_name(line),
            available=_left(step.available),
            agreed=number(step.agreed),
        )
    return _(
        "{month}: {available} of {agreed} left",
        month=month(step.month),
        available=_left(step.available),
        agreed=number(step.agreed),
    )


def plan_reasoning(line: str | None, steps: list[Step] | tuple[Step, ...], earliest: date) -> str | None:
    """Why the earliest date is what it is, in one line, from atp.Earliest's steps (data), e.g.
    "January 2027 plan for GBX-100: 100 of 900 left; February 2027: 900 left → earliest …".
    None for a product on no line (the plan never moves its date)."""
    if line is None or not steps:
        return None
    # TRANSLATORS: between the months of the plan's reasoning; Chinese uses "；".
    clauses = p_("list", "; ").join(_plan_step(step, line, i == 0) for i, step in enumerate(steps))
    return _(":bar_chart: {reasoning} → earliest {date}", reasoning=clauses, date=day(earliest))


def month_available(line: str | None, found: Availability | None) -> str | None:
    """What the plan has left for the order's line in the requested month (the commit form)."""
    if line is None or found is None:
        return None
    if not found.planned:
        return _(
            "No approved plan for {line} in {month}: the plan does not limit it.",
            line=esc_name(line),
            month=month(found.month),
        )
    return _(
        "Available for {line} in {month}: {available} of {agreed} agreed.",
        line=esc_name(line),
        month=month(found.month),
        available=_left(found.available),
        agreed=number(found.agreed),
    )


def steps_of(params: dict) -> list[Step]:
    """The reasoning's steps back from a message's plain data (workflows.orders.earliest_params)."""
    return [Step(month=s["month"], agreed=s.get("agreed"), available=s.get("available")) for s in params]


def commit_prompt(
    order: Order, revision: int, feasible: date | None, *, reasoning: str | None = None
) -> Message:
    if order.status == OrderStatus.COMMITTED:
        text = _(
            ":white_check_mark: <@{user}> committed {order} to the customer for *{date}*.",
            user=order.committed_by,
            order=order.number,
            date=day(order.committed_date),
        )
        return {"text": text, "blocks": [section(text)]}
    if order.status != OrderStatus.AWAITING_COMMITMENT or order.revision != revision:
        text = _(
            "~Confirm a delivery date for {order}~ ({status}).",
            order=order.number,
            status=status_words(order.status),
        )
        return {"text": text, "blocks": [section(text)]}
    text = _(
        "<@{user}> production and supply both said yes to {order}. "
        "Earliest feasible delivery: *{feasible}* (requested {requested}). "
        "Please confirm a delivery date with the customer.",
        user=order.salesperson,
        order=order.number,
        feasible=day(feasible),
        requested=day(order.requested_date),
    )
    return {
        "text": _("{order}: confirm a delivery date", order=order.number),
        "blocks": [
            section(text),
            *([context(reasoning)] if reasoning else []),
            actions(
                button(_("Confirm delivery date"), Action.COMMIT, order_value(order, revision), "primary")
            ),
        ],
    }


def sales_actions(order: Order, revision: int | None = None, *, urge_revise: bool = False) -> dict:
    """Revise or cancel an order before its date is committed (sales only; checked on click)."""
    value = order_value(order, revision)
    return actions(
        button(_("Revise order"), Action.REVISE, value, "primary" if urge_revise else None),
        button(_("Cancel order"), Action.CANCEL, value, "danger"),  # its form asks for the reason
    )


def _decline_reason(request: ConfirmationRequest) -> str:
    reason = esc_clip(request.notes, 1000) or _("no reason given")
    if request.team == "supply":
        return _("• *Supply* (<@{user}>): {reason}", user=request.answered_by, reason=reason)
    return _("• *Production* (<@{user}>): {reason}", user=request.answered_by, reason=reason)


def declined_prompt(order: Order, revision: int, requests: dict[str, ConfirmationRequest]) -> Message:
    reasons = "\n".join(_decline_reason(r) for r in requests.values() if r.can_do is False)
    head = _(
        "{order} cannot go ahead as registered (revision {revision}).", order=order.number, revision=revision
    )
    head = f"{head}\n{reasons}"
    if order.status != OrderStatus.DECLINED or order.revision != revision:
        if order.revision == revision and order.status != OrderStatus.CANCELLED:  # a "no" corrected
            outcome = _("_The answer was corrected: the order goes ahead._")
            fallback = _("{order} goes ahead after a corrected answer", order=order.number)
        elif order.status == OrderStatus.CANCELLED:
            outcome = _("_The order was cancelled._")
            fallback = _("{order} was cancelled", order=order.number)
        else:
            outcome = _("_The order was revised (now revision {revision})._", revision=order.revision)
            fallback = _(
                "{order} was revised (now revision {revision})", order=order.number, revision=order.revision
            )
        return {"text": fallback, "blocks": [section(f"{head}\n{outcome}")]}
    ask = _("Revise the order (both teams are asked again) or cancel it.")
    return {
        "text": _("{order} was declined", order=order.number),
        "blocks": [
            section(f"<@{order.salesperson}> {head}\n{ask}"),
            sales_actions(order, revision, urge_revise=True),
        ],
    }


def committed_notice(order: Order, config: Config) -> Message:
    teams = mention_all(config.teams.production + config.teams.supply)
    text = _(
        "{teams} {order} is committed to {customer} for *{date}*: {quantity} × {product}. "
        "Please plan for it.",
        teams=teams,
        order=order.number,
        customer=esc_name(order.customer),
        date=day(order.committed_date),
        quantity=number(order.quantity),
        product=esc_name(order.product),
    ).lstrip()
    if order.commit_notes:
        text += f"\n>{esc_clip(order.commit_notes, 1200)}"  # two teams' mentions share it
    fallback = _("{order} committed for {date}", order=order.number, date=day(order.committed_date))
    return {"text": fallback, "blocks": [section(text)]}


def _change_line(name: str, before: str, after: str) -> str:
    words = {
        "customer": _("• customer: {before} → {after}"),
        "product": _("• product: {before} → {after}"),
        "quantity": _("• quantity: {before} → {after}"),
        "requested_date": _("• requested date: {before} → {after}"),
        "specification": _("• specification: {before} → {after}"),
    }.get(name) or f"• {name}: {{before}} → {{after}}"
    return words.format(before=before, after=after)


def revised_notice(order: Order, before: dict, after: dict) -> Message:
    changes = [
        _change_line(name, esc_clip(str(before[name]), 300), esc_clip(str(after[name]), 300))
        for name in after
        if before.get(name) != after[name]
    ]
    body = "\n".join(changes) or _("• no field changed")
    text = _(
        "<@{user}> revised {order} (now revision {revision}):",
        user=order.salesperson,
        order=order.number,
        revision=order.revision,
    )
    return {"text": _("{order} revised", order=order.number), "blocks": [section(f"{text}\n{body}")]}


def cancelled_notice(order: Order, reason: str) -> Message:
    why = f"\n{quoted(reason)}" if reason else ""
    text = _(
        ":x: <@{user}> cancelled {order}. Nobody needs to act on it any more.",
        user=order.cancelled_by,
        order=order.number,
    )
    text += why
    if order.cancelled_by != order.salesperson:  # the order's salesperson tells the customer
        text += "\n" + _(
            "<@{user}>, your order was cancelled by someone else: please tell the customer.",
            user=order.salesperson,
        )
    return {"text": _("{order} cancelled", order=order.number), "blocks": [section(text)]}
