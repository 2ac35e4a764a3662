"""The HTTP server: a JSON API and an OpenAI-compatible chat API over worker processes.

`python app.py` serves these routes beside the Gradio chat; `python -m qa.server` serves them alone.
"""

from .answerers import Answerer, InProcessAnswerer
from .application import create_app, make_answerer, serve
from .openai_api import MODEL_ID
from .pool import AnswerPool

__all__ = [
    "MODEL_ID",
    "AnswerPool",
    "Answerer",
    "InProcessAnswerer",
    "create_app",
    "make_answerer",
    "serve",
]
