"""Prefect flows: short compositions over ``tasks/`` that read like a table of contents."""
