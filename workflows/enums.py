"""Names shared by the rules and the Slack surface: the teams and every kind of queued message.

Both are StrEnums, so they are stored as their plain values; an unknown value fails where it is
made (`MessageKind("typo")` raises), not when the message is delivered.
"""

from enum import StrEnum


class Team(StrEnum):
    SALES = "sales"
    PRODUCTION = "production"
    SUPPLY = "supply"
    MANAGERS = "managers"


# The team keys as plain strings (stored, compared and sent to SQL as such), in one place:
TEAMS = tuple(team.value for team in Team)
DEPARTMENTS = (Team.SALES.value, Team.PRODUCTION.value, Team.SUPPLY.value)  # the three that act on orders
ANSWERING_TEAMS = (Team.PRODUCTION.value, Team.SUPPLY.value)  # confirm a custom order


class MessageKind(StrEnum):
    """Every message the outbox carries; each has exactly one renderer (bot/messages.py)."""

    # an order's card and thread
    ORDER_CARD = "order_card"
    REQUEST = "request"
    ANSWER_ECHO = "answer_echo"
    ANSWER_CORRECTED = "answer_corrected"
    COMMIT_PROMPT = "commit_prompt"
    DECLINED_PROMPT = "declined_prompt"
    COMMITTED = "committed"
    REVISED = "revised"
    CANCELLED = "cancelled"
    # the confirmation clock
    REMINDER = "reminder"
    REMINDER_DM = "reminder_dm"
    ESCALATION = "escalation"
    # after commitment
    AFTER_COMMIT = "after_commit"
    MATERIALS_ARRIVED = "materials_arrived"
    DELIVERED = "delivered"
    MATERIALS_LATE = "materials_late"
    PROBLEM = "problem"
    CHANGE = "change"
    CHANGE_REMINDER = "change_reminder"
    CHANGE_REMINDER_DM = "change_reminder_dm"
    CHANGE_ESCALATION = "change_escalation"
    CHANGE_RETURNED = "change_returned"
    CHANGE_APPROVAL = "change_approval"
    CHANGE_APPLIED = "change_applied"
    CHANGE_REJECTED = "change_rejected"
    MATERIAL_SLIP = "material_slip"
    # the monthly review
    REVIEW_AGENDA = "review_agenda"
    REVIEW_MINUTES = "review_minutes"
    REVIEW_REMINDER = "review_reminder"
    REVIEW_REMINDER_DM = "review_reminder_dm"
    FOLLOWUP = "followup"  # in the agenda's thread, edited when done
    FOLLOWUP_REMINDER = "followup_reminder"  # a DM to the owner
    FOLLOWUP_ESCALATION = "followup_escalation"  # in the agenda's thread, to managers
    FOLLOWUP_ESCALATION_DM = "followup_escalation_dm"
    # the daily digest
    DIGEST = "digest"
    DIGEST_DM = "digest_dm"


class Act(StrEnum):
    """What a person tries to do, for the permission rules and the words of their refusals."""

    ANSWER = "answer"
    COMMIT = "commit"
    REVISE = "revise"
    CANCEL = "cancel"
    RECORD_MATERIALS = "record_materials"
    RECORD_DELIVERY = "record_delivery"
    RESOLVE_PROBLEM = "resolve_problem"
    CHANGE_ORDER = "change_order"
    ACKNOWLEDGE_CHANGE = "acknowledge_change"
