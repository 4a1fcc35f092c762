"""shop's views, one module per concern (catalogue, cart, checkout, payment, webhook, account…)."""
