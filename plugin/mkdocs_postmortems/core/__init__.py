"""Reading post-mortems and the knowledge base: front matter, Markdown, dates, the model,
settings, deadlines. Imports nothing above it, and never MkDocs."""
