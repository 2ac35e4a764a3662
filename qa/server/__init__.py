"""The HTTP server: a JSON API and an OpenAI-compatible chat API over worker processes.

`python app.py` serves these routes beside the Gradio chat; `python -m qa.server` serves them alone.
"""

from .answerers import Answerer, AnswerFailed, InProcessAnswerer, Overloaded, Unavailable
from .application import create_app, make_answerer, serve
from .pool import AnswerPool
from .settings import MODEL_ID, ServerSettings

__all__ = [
    "MODEL_ID",
    "AnswerFailed",
    "AnswerPool",
    "Answerer",
    "InProcessAnswerer",
    "Overloaded",
    "ServerSettings",
    "Unavailable",
    "create_app",
    "make_answerer",
    "serve",
]
