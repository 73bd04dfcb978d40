"""Markdown written by users, rendered to sanitized HTML."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup
from mdit_py_plugins.footnote import footnote_plugin

# Raw HTML in Markdown is shown as text, not interpreted; nh3 then removes anything
# unsafe that Markdown itself could produce (javascript: links and the like).
_md = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    .enable(["table", "strikethrough"])
    .use(footnote_plugin)  # footnotes of imported Word drafts: "[^1]" and "[^1]: text"
)

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "del", "s", "code", "pre", "blockquote", "ul", "ol", "li",
    "table", "thead", "tbody", "tr", "th", "td", "a", "h3", "h4", "h5", "h6", "hr", "sup",
    "section",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id", "class"},
    "sup": {"class"},
    "section": {"class"},
    "hr": {"class"},
    "p": {"id"},
    "li": {"id"},
    "table": {"id"},
    "th": {"style"},
    "td": {"style"},
    "ol": {"start"},
}


def render_markdown(text: str, anchor_prefix: str | None = None) -> Markup:
    """Render ``text`` to safe HTML. With ``anchor_prefix`` each paragraph, list item and
    table gets a stable id (``{prefix}-p1``, ``-p2``...) so people can link to it."""
    tokens = _md.parse(text or "")
    if anchor_prefix:
        n = 0
        for token in tokens:
            top_block = token.type in ("paragraph_open", "table_open") and token.level == 0
            top_item = token.type == "list_item_open" and token.level == 1
            if top_block or top_item:
                n += 1
                token.attrSet("id", f"{anchor_prefix}-p{n}")
    # Footnote ids carry the section's prefix: several sections share a page.
    html = _md.renderer.render(tokens, _md.options, {"docId": anchor_prefix or "n"})
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        filter_style_properties={"text-align"},
    )
    # Safe: sanitized by nh3 just above (bandit B704 and ruff S704 justified).
    return Markup(cleaned)  # noqa: S704  # nosec B704


def markdown_to_text(text: str) -> str:
    """Plain text of Markdown, for search and for comparing drafts."""
    tokens = _md.parse(text or "")
    parts: list[str] = []
    for token in tokens:
        if token.type == "inline" and token.content:
            parts.append(token.content)
    return "\n".join(parts)
