"""The words of the review refusals (see bot/refusals.py)."""

from bot.refusals import says  # noqa: F401
from bot.text import _  # noqa: F401
