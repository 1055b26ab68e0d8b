"""Citations as HTML: a source's title linked only when its URL is plain http(s)."""

from __future__ import annotations

import re
from html import escape
from urllib.parse import urlsplit

from equivmetrics._packs.model import Source

__all__ = ["source_html", "source_items"]

_UNSAFE_URL = re.compile(r"[\x00-\x20\x7f\"'<>\\`]")


def source_items(sources: tuple[Source, ...]) -> str:
    """The sources as the items of a card's list of sources."""
    return "".join(f"<li><small>{source_html(s)}</small></li>" for s in sources)


def source_html(source: Source) -> str:
    """One citation as escaped HTML, linked only when its URL is plain http(s)."""
    title = escape(source.title)
    url = _safe_url(source.url)
    if url:
        title = f'<a href="{escape(url)}" rel="noopener noreferrer external">{title}</a>'
    text = f"{escape(source.publisher)}, {title}" if source.publisher else title
    if source.edition:
        text += f" ({escape(source.edition)})"
    return text


def _safe_url(url: str) -> str:
    """``url`` when it is a plain http(s) URL with a host, else ``''`` (the link is dropped)."""
    if not url or len(url) > 2048 or _UNSAFE_URL.search(url):
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    return url
