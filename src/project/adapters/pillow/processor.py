"""The ImageProcessor port on Pillow: prove bytes are a raster image, return a bare WebP."""

from __future__ import annotations

import asyncio
import io
import struct

from PIL import Image, ImageFile, ImageOps

from project.adapters.pillow._formats import declared_sizes, looks_like_markup, sniff
from project.domain.model.errors import InvalidImage

MiB = 1024 * 1024
ACCEPTED = "PNG, JPEG, GIF, WebP, BMP or ICO"
_ALPHA_MODES = frozenset({"RGBA", "RGBa", "LA", "La", "PA"})


class PillowImageProcessor:
    """Checks and re-encodes images in a worker thread (S25).

    The pixel cap is this processor's own and is checked from the headers before anything
    is decoded; Pillow's process-wide `Image.MAX_IMAGE_PIXELS` stays a second net.
    """

    def __init__(
        self, *, max_pixels: int = 25_000_000, max_input_bytes: int = 10 * MiB, quality: int = 80
    ) -> None:
        if max_pixels < 1 or max_input_bytes < 1 or not 0 <= quality <= 100:
            raise ValueError("max_pixels and max_input_bytes must be positive, quality 0-100")
        self._max_pixels = max_pixels
        self._max_input_bytes = max_input_bytes
        self._quality = quality

    async def thumbnail(self, data: bytes, *, max_width: int, max_height: int) -> bytes:
        if max_width < 1 or max_height < 1:
            raise ValueError("a thumbnail needs a positive width and height")
        return await asyncio.to_thread(self._thumbnail_now, data, (max_width, max_height))

    def _thumbnail_now(self, data: bytes, box: tuple[int, int]) -> bytes:
        image_format = self._check_bytes(data)
        try:
            with Image.open(io.BytesIO(data), formats=[image_format]) as probe:
                self._check_size(probe.size)
                probe.verify()
            with Image.open(io.BytesIO(data), formats=[image_format]) as image:
                self._check_size(image.size)
                return self._encode(_fitted(image, box))
        except InvalidImage:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise InvalidImage("The image has too many pixels.") from error
        except Exception as error:  # Pillow reports bad data with many exception types
            raise InvalidImage(f"The {image_format} image is corrupt or truncated.") from error

    def _check_bytes(self, data: bytes) -> str:
        if len(data) > self._max_input_bytes:
            raise InvalidImage(f"The image is larger than {self._max_input_bytes} bytes.")
        image_format = sniff(data)
        if image_format is None:
            if looks_like_markup(data):
                raise InvalidImage(f"SVG and other markup are not accepted, only {ACCEPTED}.")
            raise InvalidImage(f"The data is not a {ACCEPTED} image.")
        try:
            sizes = declared_sizes(data, image_format)
        except (struct.error, ValueError) as error:
            raise InvalidImage(f"The {image_format} header is corrupt.") from error
        for size in sizes:
            self._check_size(size)
        return image_format

    def _check_size(self, size: tuple[int, int]) -> None:
        width, height = size
        if width < 1 or height < 1:
            raise InvalidImage("The image has no pixels.")
        if width * height > self._max_pixels:
            raise InvalidImage(
                f"The image has too many pixels ({width}x{height}; at most {self._max_pixels})."
            )

    def _encode(self, image: Image.Image) -> bytes:
        # A fresh image carries no info dictionary: no EXIF, ICC profile or XMP to save.
        bare = Image.new(image.mode, image.size)
        bare.paste(image)
        out = io.BytesIO()
        bare.save(out, format="WEBP", quality=self._quality, method=4)
        return out.getvalue()


def _fitted(image: ImageFile.ImageFile, box: tuple[int, int]) -> Image.Image:
    """The first frame, upright, in RGB(A), shrunk to fit `box` (never enlarged).

    Works in place where it can: a full-size copy of a capped image is still large.
    """
    if image.format == "JPEG":
        side = 2 * max(box)  # decode at a reduced scale; either orientation still fits
        image.draft(None, (side, side))
    image.load()
    _make_upright(image)
    fitted: Image.Image = image
    if "transparency" in image.info or image.mode not in ("RGB", "RGBA"):
        has_alpha = image.mode in _ALPHA_MODES or "transparency" in image.info
        fitted = image.convert("RGBA" if has_alpha else "RGB")
    fitted.thumbnail(box, Image.Resampling.LANCZOS)
    return fitted


def _make_upright(image: Image.Image) -> None:
    """Apply the EXIF orientation before the EXIF goes; a broken EXIF block is ignored."""
    try:
        ImageOps.exif_transpose(image, in_place=True)
    except Exception:  # the pixels decoded; only the orientation tag is unreadable
        return
