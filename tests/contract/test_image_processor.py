"""The ImageProcessor contract: real images in, a bare WebP thumbnail or InvalidImage out (S25).

Every image is drawn with Pillow here; the hostile ones (a 30000x30000 PNG, an icon hiding a
huge PNG, a WebP header announcing a huge canvas) are assembled byte by byte, cheaply.
"""

from __future__ import annotations

import io
import resource
import struct
import time
import tracemalloc
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageCms

from project.adapters.pillow import PillowImageProcessor
from project.domain.model.errors import InvalidImage
from project.ports.fetching import ImageProcessor

BOX = {"max_width": 64, "max_height": 48}
MiB = 1024 * 1024


@pytest.fixture(params=["pillow"])
def processor(request: pytest.FixtureRequest) -> ImageProcessor:
    return PillowImageProcessor()


def encoded(image: Image.Image, image_format: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format=image_format, **options)
    return out.getvalue()


def gradient(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    image = Image.linear_gradient("L").resize(size)
    return image.convert(mode)


def webp_chunks(data: bytes) -> list[bytes]:
    """The fourcc of every RIFF chunk of a WebP file."""
    assert data[:4] == b"RIFF"
    assert data[8:12] == b"WEBP"
    chunks, offset = [], 12
    while offset + 8 <= len(data):
        fourcc, size = (
            data[offset : offset + 4],
            int.from_bytes(data[offset + 4 : offset + 8], "little"),
        )
        chunks.append(fourcc)
        offset += 8 + size + (size & 1)
    return chunks


def assert_bare_webp_within_box(data: bytes) -> Image.Image:
    assert set(webp_chunks(data)) <= {b"VP8 ", b"VP8L", b"VP8X", b"ALPH"}
    image = Image.open(io.BytesIO(data))
    assert image.format == "WEBP"
    assert image.width <= BOX["max_width"]
    assert image.height <= BOX["max_height"]
    assert not image.getexif()
    assert not {"exif", "icc_profile", "xmp"} & set(image.info)
    image.load()
    return image


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    return (
        struct.pack(">I", len(payload))
        + kind
        + payload
        + struct.pack(">I", zlib.crc32(kind + payload))
    )


def blank_png(width: int, height: int, *, color_type: int = 0, bit_depth: int = 1) -> bytes:
    """A valid all-zero PNG, compressed row by row so building it never holds the pixels."""
    channels = {0: 1, 2: 3, 6: 4}[color_type]
    row = b"\x00" * (1 + (width * channels * bit_depth + 7) // 8)
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def icon_around(png: bytes) -> bytes:
    """An ICO whose directory claims one 16x16 image, stored as `png`."""
    directory = struct.pack("<BBBBHHII", 16, 16, 0, 0, 1, 32, len(png), 6 + 16)
    return struct.pack("<HHH", 0, 1, 1) + directory + png


@pytest.fixture(scope="module")
def huge_png() -> bytes:
    return blank_png(30_000, 30_000)  # 900 Mpx: about 110 KB on the wire


@pytest.fixture(scope="module")
def icon_hiding_a_big_png() -> bytes:
    return icon_around(blank_png(6_000, 6_000, color_type=6, bit_depth=8))  # 576 MB as RGBA


class MemoryWatch:
    """Python allocations (tracemalloc) and the process's resident peak while a block runs."""

    def __init__(self) -> None:
        self.python_peak = 0
        self.rss_growth = 0
        self.seconds = 0.0

    def __enter__(self) -> MemoryWatch:
        self._rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        self._started = time.perf_counter()
        tracemalloc.start()
        return self

    def __exit__(self, *exc: object) -> None:
        _, self.python_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        self.seconds = time.perf_counter() - self._started
        self.rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - self._rss


@pytest.fixture
def memory() -> MemoryWatch:
    return MemoryWatch()


# --- Accepted images ----------------------------------------------------------------------


async def test_a_png_keeps_its_transparency(processor: ImageProcessor) -> None:
    image = gradient((300, 200), "RGBA")
    image.putalpha(128)

    thumbnail = assert_bare_webp_within_box(await processor.thumbnail(encoded(image, "PNG"), **BOX))

    assert thumbnail.size == (64, 43)
    assert thumbnail.mode == "RGBA"


async def test_a_jpeg_loses_its_exif_and_icc_profile_but_keeps_its_orientation(
    processor: ImageProcessor,
) -> None:
    exif = Image.Exif()
    exif[0x010F] = "Nosy Camera Maker"
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display
    exif[0x8825] = {2: (48.0, 24.0, 0.0)}  # GPS latitude
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encoded(gradient((120, 60)), "JPEG", exif=exif.tobytes(), icc_profile=icc)
    assert Image.open(io.BytesIO(data)).getexif()[0x010F] == "Nosy Camera Maker"

    result = await processor.thumbnail(data, **BOX)

    thumbnail = assert_bare_webp_within_box(result)
    assert thumbnail.width < thumbnail.height  # stored landscape, shown portrait
    assert b"Nosy Camera Maker" not in result


async def test_an_animated_gif_gives_its_first_frame(processor: ImageProcessor) -> None:
    frames = [Image.new("P", (90, 60), colour) for colour in (1, 2, 3)]
    palette = [255, 255, 255, 220, 20, 20, 20, 200, 20, 20, 20, 220] + [0] * 756
    for frame in frames:
        frame.putpalette(palette)
    data = encoded(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)
    assert getattr(Image.open(io.BytesIO(data)), "n_frames", 1) == 3

    thumbnail = assert_bare_webp_within_box(await processor.thumbnail(data, **BOX))

    red, green, blue = thumbnail.convert("RGB").getpixel((10, 10))  # type: ignore[misc]
    assert (red > 180, green < 60, blue < 60) == (True, True, True)


@pytest.mark.parametrize(
    ("image_format", "options"),
    [
        pytest.param("WEBP", {"quality": 90}, id="webp"),
        pytest.param("WEBP", {"lossless": True, "exif": b"Exif\x00\x00MM\x00*"}, id="webp-exif"),
        pytest.param("BMP", {}, id="bmp"),
        pytest.param("ICO", {"sizes": [(16, 16), (32, 32), (48, 48)]}, id="ico"),
        pytest.param("PNG", {}, id="png-palette"),
    ],
)
async def test_other_raster_formats_become_webp(
    processor: ImageProcessor, image_format: str, options: dict[str, object]
) -> None:
    image = gradient((96, 96))
    if image_format == "PNG":
        image = image.convert("P")

    assert_bare_webp_within_box(
        await processor.thumbnail(encoded(image, image_format, **options), **BOX)
    )


async def test_small_images_are_never_enlarged(processor: ImageProcessor) -> None:
    thumbnail = assert_bare_webp_within_box(
        await processor.thumbnail(encoded(gradient((20, 10)), "PNG"), **BOX)
    )

    assert thumbnail.size == (20, 10)


# --- Refused images -----------------------------------------------------------------------


async def test_a_decompression_bomb_is_refused_without_decoding(
    processor: ImageProcessor, huge_png: bytes, memory: MemoryWatch
) -> None:
    with memory, pytest.raises(InvalidImage, match="too many pixels"):
        await processor.thumbnail(huge_png, **BOX)

    assert memory.python_peak < 50 * MiB
    assert memory.rss_growth < 50 * MiB
    assert memory.seconds < 2


async def test_an_icon_hiding_a_huge_png_is_refused_before_decoding(
    processor: ImageProcessor, icon_hiding_a_big_png: bytes, memory: MemoryWatch
) -> None:
    with memory, pytest.raises(InvalidImage, match="too many pixels"):
        await processor.thumbnail(icon_hiding_a_big_png, **BOX)

    assert memory.python_peak < 50 * MiB
    assert memory.rss_growth < 50 * MiB


async def test_a_webp_header_announcing_a_huge_canvas_is_refused(
    processor: ImageProcessor,
) -> None:
    width, height = 8_000, 8_000  # 64 Mpx: under Pillow's own limit, over ours
    payload = (
        b"\x00\x00\x00\x00" + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    )
    body = b"WEBP" + b"VP8X" + len(payload).to_bytes(4, "little") + payload
    data = b"RIFF" + len(body).to_bytes(4, "little") + body

    with pytest.raises(InvalidImage, match="too many pixels"):
        await processor.thumbnail(data, **BOX)


async def test_the_pixel_cap_is_the_processor_s_own() -> None:
    data = encoded(gradient((200, 200)), "PNG")
    assert await PillowImageProcessor().thumbnail(data, **BOX)

    with pytest.raises(InvalidImage, match="too many pixels"):
        await PillowImageProcessor(max_pixels=10_000).thumbnail(data, **BOX)


async def test_too_many_bytes_are_refused_before_reading() -> None:
    data = encoded(gradient((200, 200)), "BMP")

    with pytest.raises(InvalidImage, match="larger than 1000 bytes"):
        await PillowImageProcessor(max_input_bytes=1000).thumbnail(data, **BOX)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", id="svg"
        ),
        pytest.param(b"<?xml version='1.0'?>\n<svg width='10' height='10'/>", id="svg-xml"),
        pytest.param(b"  <!DOCTYPE html><html><body>not an image</body></html>", id="html"),
    ],
)
async def test_svg_and_markup_are_refused(processor: ImageProcessor, data: bytes) -> None:
    with pytest.raises(InvalidImage, match="SVG and other markup are not accepted"):
        await processor.thumbnail(data, **BOX)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"just some text pretending to be a picture", id="text"),
        pytest.param(b"", id="empty"),
        pytest.param(b"II*\x00" + b"\x00" * 64, id="tiff"),
        pytest.param(b"\x00\x00\x02\x00\x01\x00" + b"\x00" * 64, id="cursor"),
        pytest.param(b"%PDF-1.4\n", id="pdf"),
    ],
)
async def test_anything_else_is_refused(processor: ImageProcessor, data: bytes) -> None:
    with pytest.raises(InvalidImage, match="not a PNG, JPEG, GIF, WebP, BMP or ICO image"):
        await processor.thumbnail(data, **BOX)


async def test_a_truncated_jpeg_is_refused(processor: ImageProcessor) -> None:
    data = encoded(gradient((300, 300)), "JPEG", quality=95)

    with pytest.raises(InvalidImage, match="JPEG image is corrupt or truncated"):
        await processor.thumbnail(data[: len(data) // 2], **BOX)


async def test_a_png_with_a_damaged_chunk_is_refused(processor: ImageProcessor) -> None:
    data = bytearray(encoded(gradient((64, 64)), "PNG"))
    data[-20] ^= 0xFF  # inside the last IDAT: its CRC no longer matches

    with pytest.raises(InvalidImage, match="corrupt"):
        await processor.thumbnail(bytes(data), **BOX)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"\x89PNG\r\n\x1a\n" + b"\xff\xd8\xff\xe0 a JPEG inside", id="png-magic"),
        pytest.param(b"GIF89a" + b"\x00" * 3, id="gif-header-only"),
        pytest.param(b"RIFF\x10\x00\x00\x00WEBPVP8 ", id="webp-header-only"),
        pytest.param(b"\x00\x00\x01\x00\xff\xff", id="ico-without-entries"),
        pytest.param(b"BM" + b"\xff" * 60, id="bmp-garbage"),
    ],
)
async def test_mislabelled_bytes_are_refused(processor: ImageProcessor, data: bytes) -> None:
    with pytest.raises(InvalidImage):
        await processor.thumbnail(data, **BOX)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    magic=st.sampled_from(
        [
            b"",
            b"\x89PNG\r\n\x1a\n",
            b"\xff\xd8\xff",
            b"GIF89a",
            b"BM",
            b"\x00\x00\x01\x00",
            b"RIFF\x00\x01\x00\x00WEBPVP8L",
            b"RIFF\x00\x01\x00\x00WEBPVP8X",
        ]
    ),
    rest=st.binary(max_size=512),
)
async def test_any_bytes_give_a_webp_or_invalid_image(magic: bytes, rest: bytes) -> None:
    try:
        result = await PillowImageProcessor().thumbnail(magic + rest, **BOX)
    except InvalidImage:
        return
    assert_bare_webp_within_box(result)
