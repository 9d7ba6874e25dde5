"""Write-ups in other shapes (Markdown in any front-matter flavour, HTML exports), brought
into ours by ``postmortems import``. Uses the core only."""
