"""Formats other tools read and write: CI reports of the findings."""
