"""Adapters from site generators to the core, the rules and the site: the MkDocs plugin."""
