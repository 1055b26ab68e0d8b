"""Citations and the two roles of equivalents: what a result needs of a pack at a warm start.

A conversion answered from the warm-start file carries its steps' sources and is offered for
a role; both live here, apart from the rest of a pack's records (:mod:`.model`, which
re-exports them), so that a warm start does not build the classes of every pack record.
"""

from __future__ import annotations

from typing import Literal, get_args

import attrs

__all__ = ["ROLES", "Role", "Source", "citation_dict", "source_dict"]

#: The two families of equivalents (docs/concepts.md).
Role = Literal["feel_good", "action"]
ROLES: tuple[Role, ...] = get_args(Role)


@attrs.frozen
class Source:
    """A citation: what the number comes from, precisely enough for a reader to check it."""

    key: str
    title: str
    publisher: str = ""
    url: str = ""
    edition: str = ""
    note: str = ""

    def cite(self) -> str:
        """A one-line citation such as ``"BLS, Employer Costs ... (June 2025)"``."""
        text = f"{self.publisher}, {self.title}" if self.publisher else self.title
        if self.edition:
            text += f" ({self.edition})"
        return text


def citation_dict(source: Source) -> dict[str, str]:
    """A citation as compact JSON: ``{"citation": one line, "url": link or ""}``."""
    return {"citation": source.cite(), "url": source.url}


def source_dict(source: Source | None) -> dict[str, str] | None:
    """A citation as JSON-ready data (``None`` stays ``None``)."""
    if source is None:
        return None
    return {
        "key": source.key,
        "title": source.title,
        "publisher": source.publisher,
        "url": source.url,
        "edition": source.edition,
    }
