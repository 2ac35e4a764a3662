"""From ranked passages to an answer: question typing, follow-ups, sentence, phrase, article facts."""
