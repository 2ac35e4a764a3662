"""Read a reader's article from HTML, PDF, Word or plain text, the type told from the content.

from qa.ingest import read_path
doc = read_path(Path("news.html"))   # Document(text=..., format="html", title=..., date=..., ...)
chunk_article(doc.text, doc.name)    # the text is laid out for the chunker
read_isolated(data, "news.html")     # the same, in a bounded child process (what the server does)
"""

from .document import Document
from .isolated import read_isolated, read_path_isolated
from .limits import MAX_FILE_BYTES
from .reader import SUFFIXES, read_document, read_pasted, read_path

__all__ = [
    "MAX_FILE_BYTES",
    "SUFFIXES",
    "Document",
    "read_document",
    "read_isolated",
    "read_pasted",
    "read_path",
    "read_path_isolated",
]
