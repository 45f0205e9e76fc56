"""The words of refusals shared by every feature: team membership, reading, stale buttons and forms."""

from bot.refusals import says  # noqa: F401
from bot.text import _  # noqa: F401
