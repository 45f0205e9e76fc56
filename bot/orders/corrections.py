"""The "Correct answer" button (issue 12 §4): before sales commits, the team that answered opens
its answer, prefilled, and saves a correction (workflows.orders.correct_answer)."""

from __future__ import annotations

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.forms import open_modal
from bot.orders import blocks as ob
from bot.orders.actions import parse_id, refuse
from bot.orders.modals import production_modal, supply_modal
from bot.services import Services
from workflows import orders
from workflows.permissions import Refusal


def register(app: App, svc: Services) -> None:
    @app.action(ob.CORRECT_ANSWER)
    def correct(ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond) -> None:
        ack()
        user = body["user"]["id"]
        try:
            request_id = parse_id(action.get("value", ""))
            with svc.session(read_only=True) as session:
                request, order = orders.check_can_correct(
                    session, svc.context(), actor=user, request_id=request_id
                )
                form = production_modal if request.team == "production" else supply_modal
                view = form(order, request.id, answered=request)
        except Refusal as refusal:
            refuse(respond, refusal, svc)
            return
        open_modal(svc, client, respond, user=user, trigger_id=body["trigger_id"], view=view)
