"""The Japanese font every PDF names: is it installed? (the PDFs refuse without it, and /readyz
reports it). Asked of fontconfig, cached 60 s."""
from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

JAPANESE_FONT = "IPAexGothic"
FONT_FILES = (
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
)
_FONT_CACHE_SECONDS = 60.0
_font_cache: dict[str | None, tuple[float, bool]] = {}


def japanese_font_available() -> bool:
    """Whether fontconfig finds the Japanese font the print stylesheet names (cached 60 s)."""
    key = os.environ.get("FONTCONFIG_FILE")
    cached = _font_cache.get(key)
    if cached and time.monotonic() - cached[0] < _FONT_CACHE_SECONDS:
        return cached[1]
    found = _ask_fontconfig()
    _font_cache[key] = (time.monotonic(), found)
    return found


def forget_font_check() -> None:
    """Forget the cached answer (after installing a font, or in tests)."""
    _font_cache.clear()


def _ask_fontconfig() -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list is None:  # no fontconfig tools: look for the Debian package's files
        return any(Path(path).is_file() for path in FONT_FILES)
    try:
        listed = subprocess.run([fc_list, ":lang=ja", "family"], capture_output=True, text=True,
                                timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return any(JAPANESE_FONT in line.split(",") for line in listed.splitlines())
