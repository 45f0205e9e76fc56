"""(being written) Renderers for the review's queued messages, see bot/render.py."""

RENDERERS: dict = {}
