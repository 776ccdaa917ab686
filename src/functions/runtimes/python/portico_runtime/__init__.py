"""Portico's Python runtime client. Nothing here is meant to be imported by function code."""
