"""Every action_id, callback_id and block_id the bot uses, in one place."""

import re
from enum import StrEnum


class Action(StrEnum):
    ANSWER = "request.answer"  # value: request id
    COMMIT = "order.commit"  # value: "<order id>:<revision>"
    REVISE = "order.revise"  # value: "<order id>:<revision>"
    CANCEL = "order.cancel"  # value: "<order id>:<revision>"
    OPEN_THREAD = "order.open_thread"  # link button; Slack still sends an action we acknowledge


class View(StrEnum):
    NEW_ORDER = "order.new"
    REVISE_ORDER = "order.revise"
    PRODUCTION_ANSWER = "request.production"
    SUPPLY_ANSWER = "request.supply"
    COMMIT = "order.commit"
    CANCEL_ORDER = "order.cancel.form"


class Field(StrEnum):
    """Input block ids; each input's action_id is `value`."""

    CUSTOMER = "customer"
    PRODUCT = "product"
    QUANTITY = "quantity"
    REQUESTED_DATE = "requested_date"
    SPECIFICATION = "specification"
    CAN_DO = "can_do"
    LEAD_TIME_DAYS = "lead_time_days"
    MATERIAL_DATE = "material_date"
    COMMITTED_DATE = "committed_date"
    NOTES = "notes"
    REASON = "reason"


INPUT_ACTION = "value"


class AfterCommit(StrEnum):
    """After commitment: buttons (A_*), modals (V_*), input block ids (F_*; input action_id is `value`)."""

    A_MATERIALS = "after.materials"  # value: order id
    A_DELIVERED = "after.delivered"  # value: order id
    A_RAISE = "after.raise"  # value: order id
    A_RESOLVE = "after.resolve"  # value: problem id
    A_CHANGE = "after.change"  # value: order id
    A_ACKNOWLEDGE = "after.acknowledge"  # value: change ack id (opens that team's answer form)
    A_REVISE_CHANGE = "after.change.revise"  # value: change id
    A_WITHDRAW_CHANGE = "after.change.withdraw"  # value: change id
    A_SLIP = "after.slip"  # value: order id
    V_MATERIALS = "after.materials.form"
    V_DELIVERED = "after.delivered.form"
    V_PROBLEM = "after.problem.form"
    V_CHANGE = "after.change.form"
    V_CHANGE_PRODUCTION = "after.change.production.form"
    V_CHANGE_SUPPLY = "after.change.supply.form"
    V_REJECT_CHANGE = "after.change.reject.form"
    V_SLIP = "after.slip.form"
    F_ARRIVED_DATE = "arrived_date"
    F_DELIVERED_DATE = "delivered_date"
    F_PROBLEM = "problem"
    F_TEAM = "team"
    F_QUANTITY = "quantity"
    F_DELIVERY_DATE = "delivery_date"
    F_REASON = "reason"
    F_NOTES = "notes"
    F_ORIGIN = "origin"
    F_OVERRIDE = "override_reason"
    F_MATERIAL_DATE = "material_date"


def acknowledge_action(team: str) -> str:
    """Each team's Acknowledge button has its own id: Slack refuses two equal ids in one block."""
    return f"{AfterCommit.A_ACKNOWLEDGE}.{team}"


# Every team's button, and the bare id that buttons posted before the per-team ids still carry.
ACKNOWLEDGE_ACTIONS = re.compile(rf"^{re.escape(AfterCommit.A_ACKNOWLEDGE)}(\.[a-z_]+)?$")
