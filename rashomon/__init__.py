"""Rashomon: many reports of armed conflict in, one sourced event record per incident out."""

__version__ = "0.1.0"
