"""The GraphQL layer: one strawberry schema composed from the core and every loaded plugin."""
