"""Wire schemas: strict msgspec Structs in, Structs built from domain objects out."""
