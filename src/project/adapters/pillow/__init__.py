"""Images with Pillow: magic bytes, a pixel cap, and a metadata-free WebP thumbnail (S25)."""

from project.adapters.pillow.processor import PillowImageProcessor

__all__ = ["PillowImageProcessor"]
