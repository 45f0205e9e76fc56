"""Jinja2 text templates (bot/templates/*.j2) for the wording of messages; Block Kit stays in Python.

Sandboxed, so a template edited by a non-developer cannot reach Python internals. Autoescape is
off because the output is Slack mrkdwn, not HTML: every user-provided value must go through the
`esc` filter in the template, which escapes `&`, `<` and `>` so nobody gets pinged by a note.
Words come from the catalogs through Jinja2's i18n extension: `{{ _("Due {deadline}", deadline=x) }}`,
`n_`, `p_`, filled like bot.text's functions (named placeholders, in the language being built).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from bot.mrkdwn import esc, number
from bot.text import _, n_, np_, p_

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=False,
        undefined=StrictUndefined,  # a typo in a template fails loudly in tests, not silently in Slack
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        extensions=["jinja2.ext.i18n"],
    )
    # old-style callables: ours fill named placeholders with str.format, as in Python code
    env.install_gettext_callables(gettext=_, ngettext=n_, newstyle=False, pgettext=p_, npgettext=np_)
    env.globals.update(n_=n_, p_=p_)
    env.filters["esc"] = esc
    env.filters["number"] = number
    return env


def render(name: str, **values: object) -> str:
    return environment().get_template(name).render(**values).strip()
