"""The brand's colours: what an organisation's accent becomes on the page, readable in both modes.

The accent colours the header (behind the organisation's name and the language links), the
favicon and the escalation ladder's step numbers. Each of these carries text, so each must reach
WCAG AA's 4.5:1 against the text on it:

- the header writes white on the accent, or, for a light accent, dark text; when neither reaches
  4.5:1 (a middle tone), the header takes a darker shade of the accent, with white text;
- the steps sit on the page: in light mode a white number on the accent, or a darker shade of it;
  in dark mode a dark number on the accent, or a lighter shade of it.

A shade keeps the accent's hue and saturation and moves its lightness only as far as it must.
Contrast is WCAG 2.x's ratio of relative luminances.
"""

from __future__ import annotations

import colorsys
from typing import NamedTuple

AA_TEXT = 4.5
# The page's own colours (templates/assets/style.css), against which the accent is checked.
WHITE = "#ffffff"
DARK_TEXT = "#1b1f24"
LIGHT_BACKGROUND = "#ffffff"
DARK_BACKGROUND = "#0f1419"


def _channels(colour: str) -> tuple[float, float, float]:
    """'#rrggbb' → red, green and blue from 0 to 1."""
    return (int(colour[1:3], 16) / 255, int(colour[3:5], 16) / 255, int(colour[5:7], 16) / 255)


def _hex(red: float, green: float, blue: float) -> str:
    return "#" + "".join(f"{round(channel * 255):02x}" for channel in (red, green, blue))


def luminance(colour: str) -> float:
    """WCAG's relative luminance of '#rrggbb', from 0 (black) to 1 (white)."""

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in _channels(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one: str, other: str) -> float:
    """WCAG's contrast ratio of two colours, from 1 to 21."""
    lighter, darker = sorted((luminance(one), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def shade(colour: str, against: str, minimum: float = AA_TEXT) -> str:
    """`colour` itself if it reaches `minimum` against `against`; else the shade of it nearest in
    lightness that does, darker against a light colour and lighter against a dark one."""
    if contrast(colour, against) >= minimum:
        return colour
    hue, lightness, saturation = colorsys.rgb_to_hls(*_channels(colour))
    darker = luminance(against) > 0.18
    # Bisect the lightness between the colour's own and black (or white), which always passes.
    near, far = lightness, (0.0 if darker else 1.0)
    for _ in range(24):
        middle = (near + far) / 2
        if contrast(_hex(*colorsys.hls_to_rgb(hue, middle, saturation)), against) >= minimum:
            far = middle
        else:
            near = middle
    found = _hex(*colorsys.hls_to_rgb(hue, far, saturation))
    # Rounding to 8-bit channels may land a hair under the line: step on until it is over.
    while contrast(found, against) < minimum:
        far = far - 0.002 if darker else far + 0.002
        found = _hex(*colorsys.hls_to_rgb(hue, far, saturation))
    return found


class Palette(NamedTuple):
    """The colours the page, the favicon and the manifest take from the accent."""

    accent: str  # as the content gives it
    header: str  # the header's background, in both modes (the organisation's bar)
    on_header: str  # the header's text
    steps_light: str  # the ladder's step circles on the light page, a white number on them
    steps_dark: str  # the same on the dark page, a dark number on them

    @property
    def adjusted(self) -> tuple[str, ...]:
        """What the light page shows other than the accent itself, in words, for the warning.
        (Dark mode always derives its own shade; docs/content.md says so.)"""
        changes = []
        if self.header != self.accent:
            changes.append(f"the header uses {self.header} ({contrast(self.header, self.on_header):.1f}:1)")
        elif self.on_header != WHITE:
            changes.append(f"the header writes its text in dark {self.on_header}")
        if self.steps_light != self.accent:
            changes.append(
                f"the escalation steps use {self.steps_light} "
                f"({contrast(self.steps_light, LIGHT_BACKGROUND):.1f}:1)"
            )
        return tuple(changes)


def palette(accent: str) -> Palette:
    """The accessible colours derived from `accent` ('#rrggbb')."""
    if contrast(accent, WHITE) >= AA_TEXT:
        header, on_header = accent, WHITE
    elif contrast(accent, DARK_TEXT) >= AA_TEXT:
        header, on_header = accent, DARK_TEXT
    else:
        header, on_header = shade(accent, WHITE), WHITE
    return Palette(
        accent=accent,
        header=header,
        on_header=on_header,
        steps_light=shade(accent, LIGHT_BACKGROUND),
        steps_dark=shade(accent, DARK_BACKGROUND),
    )


def warning(palette: Palette) -> str | None:
    """The line the build prints when the light page cannot show the accent as given."""
    if not palette.adjusted:
        return None
    ratio = contrast(palette.accent, WHITE)
    return (
        f"brand.accent {palette.accent} in site.yaml has a contrast of {ratio:.1f}:1 with white "
        f"(WCAG AA asks {AA_TEXT}:1 for text): {'; '.join(palette.adjusted)}"
    )
