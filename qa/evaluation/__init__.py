"""Measuring quality: question sets, SQuAD-style public sets, the BM25 baseline."""
