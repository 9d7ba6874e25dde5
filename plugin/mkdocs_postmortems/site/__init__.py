"""Generator-neutral page building: post-mortem pages, index pages, the catalogue, their
templates and assets. Uses the core; never imports MkDocs."""
