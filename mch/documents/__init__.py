"""Documents in official Vietnamese layouts (no models, not an installed app)."""
