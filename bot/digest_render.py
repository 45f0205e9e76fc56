"""(being written) Renderers for the digest's queued messages, see bot/render.py."""

RENDERERS: dict = {}
