"""The domain model: entities, value objects, policies and errors.

Imports only the standard library and msgspec (checked by import-linter).
"""
