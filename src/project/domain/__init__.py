"""The domain: the model (pure) and the use-case services (model + ports)."""
