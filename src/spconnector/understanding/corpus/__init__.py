"""The labelled corpus: a reproducible generator (generate.py, templates per language) and
hand-written natural messages. Split `blind` is built from templates training never sees."""
