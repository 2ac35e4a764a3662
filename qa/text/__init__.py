"""Text handling: normalizing, words and character pairs, highlighting, English questions."""
