"""What the index knows about each of its articles: an id, where it came from, its header facts."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from ..ingest.shape import clean_url

ID_CHARS = 12
PASTED = "粘贴的文本"


def article_id(sha256: str) -> str:
    """An article's id: the start of its content hash, so the same content always gets the same id."""
    return sha256[:ID_CHARS]


@dataclass(frozen=True)
class Article:
    """One indexed article (its text and passages live in the index files)."""

    id: str
    title: str
    name: str  # the file name it was read from, or PASTED
    format: str  # html | pdf | docx | text
    sha256: str
    size: int
    passages: int
    date: str | None = None
    author: str | None = None
    site: str | None = None
    added_at: str = ""
    path: str | None = None  # a file given to `build-index`, relative to the index; re-read when it changes
    url: str | None = None  # a web page's own address (indexes written before it have none)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        """A record as stored; an address that is not a sane http(s) one (a hand-edited index) reads as None."""
        known = {f.name for f in fields(cls)}
        record = {k: v for k, v in data.items() if k in known}
        record["url"] = clean_url(record.get("url")) if isinstance(record.get("url"), str) else None
        return cls(**record)

    def public(self) -> dict[str, Any]:
        """What listings show (no local paths, no hash)."""
        return {
            "id": self.id,
            "title": self.title,
            "date": self.date,
            "author": self.author,
            "site": self.site,
            "url": self.url,
            "passages": self.passages,
            "name": self.name,
            "format": self.format,
            "added_at": self.added_at,
        }
