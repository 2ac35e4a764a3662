"""Sentence encoders: the protocol, the sentence-transformers loader and USE multilingual v3."""
