"""The schedules docs/content.md shows as examples, used as test content: what the docs promise is
what the tests build.

`use_example(content, title)` replaces the seed's business schedule (which every business-hours
channel names) with the example headed `### Example: <title>`, keeping the id `business`.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "content.md"
CHRISTMAS = "Christmas in Bogotá"
SUMMER = "summer hours in Madrid"


def example(title: str) -> str:
    """The YAML of the schedule under the docs' heading `### Example: <title>`."""
    text = DOCS.read_text(encoding="utf-8")
    match = re.search(rf"### Example: {re.escape(title)}\n.*?```yaml\n(.*?)```", text, re.DOTALL)
    assert match, f"docs/content.md has no example {title!r}"
    return match.group(1)


def use_example(content: Path, title: str) -> None:
    """Make the content folder's business schedule the docs' example."""
    schedule = re.sub(r"(?m)^  - id: [a-z-]+$", "  - id: business", example(title), count=1)
    path = content / "hours.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: business\n")
    end = text.index("  - id: always\n")
    path.write_text(text[:start] + schedule + "\n" + text[end:], encoding="utf-8")
