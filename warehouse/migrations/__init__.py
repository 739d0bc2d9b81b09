"""Versioned SQL migrations (NNN_words.sql), applied in order by warehouse.db.migrate."""
