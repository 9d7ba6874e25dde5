"""Blameless post-mortems in git: a validated knowledge base, a CI gate and an MkDocs site.

The core (parsing, rules, deadlines, the knowledge base and the Markdown of the index pages)
never imports MkDocs, so it outlives any one site generator; ``plugin`` is the adapter.
"""

__version__ = "0.1.0"
