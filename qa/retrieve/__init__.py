"""Retrieval: the retriever over a loaded index and the fusion of its signals."""
