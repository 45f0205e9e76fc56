"""(being written) Listeners for review."""

from slack_bolt import App

from bot.services import Services


def register(app: App, svc: Services) -> None:
    """Wire this feature's commands, actions and views."""
