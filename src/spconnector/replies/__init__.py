"""Buyer replies: sandboxed templates per action and language, with tone and Amazon-compliance
lint. A reply that fails the lint is never sent; the case is escalated with the findings."""

from spconnector.replies.findings import Finding
from spconnector.replies.language import SUPPORTED_LANGUAGES, language_for
from spconnector.replies.lint import MESSAGING_MAX_CHARS, lint
from spconnector.replies.models import RenderedReply, ReplyContext
from spconnector.replies.render import ReplyRenderError, render_reply, template_names

__all__ = [
    "MESSAGING_MAX_CHARS",
    "SUPPORTED_LANGUAGES",
    "Finding",
    "RenderedReply",
    "ReplyContext",
    "ReplyRenderError",
    "language_for",
    "lint",
    "render_reply",
    "template_names",
]
