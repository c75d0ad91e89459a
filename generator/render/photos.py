"""Profile photos sized for the page: cropped to the square the header shows (the centre, as the
page's ``object-fit: cover`` does), no larger than three times its displayed size, turned upright
as the camera's orientation tag says, and written without the camera's metadata (EXIF, GPS).
A picture already smaller is never enlarged; SVG files are written as they are.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageOps

PHOTO_PIXELS = 336  # three times the 112 px the header shows: sharp on high-density screens
ENCODINGS = {  # output suffix → Pillow format and options; the same input gives the same bytes
    ".jpg": ("JPEG", {"quality": 85, "optimize": True, "progressive": True}),
    ".png": ("PNG", {"optimize": True}),
    ".webp": ("WEBP", {"quality": 85, "method": 6}),
}


def sized_photo(source: Path, output_path: str) -> bytes:
    """The bytes of the photo at ``source`` as written at ``output_path`` (its suffix says the format)."""
    suffix = Path(output_path).suffix
    if suffix == ".svg":
        return source.read_bytes()
    with Image.open(source) as image:
        image.draft("RGB", (PHOTO_PIXELS, PHOTO_PIXELS))  # JPEG: decode at a reduced scale when it can
        fitted = _square(ImageOps.exif_transpose(image), suffix)
        profile = image.info.get("icc_profile") if image.mode in ("RGB", "RGBA") else None  # a CMYK or grey
        # profile would misdescribe the RGB written (without it, browsers take the colours as sRGB)
    format_name, options = ENCODINGS[suffix]
    buffer = io.BytesIO()
    fitted.save(buffer, format_name, **options, **({"icc_profile": profile} if profile else {}))
    return buffer.getvalue()


def _square(image: Image.Image, suffix: str) -> Image.Image:
    """The centre square of ``image``, at most :data:`PHOTO_PIXELS` wide, in a mode ``suffix`` can hold."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    mode = "RGBA" if has_alpha and suffix != ".jpg" else "RGB"
    converted = image.convert(mode)
    side = min(PHOTO_PIXELS, *converted.size)
    return ImageOps.fit(converted, (side, side), Image.Resampling.LANCZOS)
