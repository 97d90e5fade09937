"""A site in one shipped language only, and what other languages' interface text would look like.

`single_language_content(folder, code)` writes the seed (with the docs' Christmas schedule and the
test notices, so that every kind of interface text appears) as a site whose only language is
`code`, its own texts opaque tokens ("Q17"): any word on its pages comes from the generator's
catalog for `code` or from CLDR.

`leaks(text, code)` lists the interface texts of other shipped languages found in `text`: the
pieces of their catalogs between placeholders, except those `code`'s own catalog also uses.
"""

from __future__ import annotations

import functools
import itertools
import re
import shutil
import string
from pathlib import Path

import yaml
from examples import CHRISTMAS, NOTICES, rewrite_texts, use_example, use_notices

from generator.content.ui_strings import CATALOGS

SEED = Path(__file__).resolve().parent.parent / "content"
SHIPPED = sorted(path.stem for path in CATALOGS.glob("*.yaml"))
# A piece shorter than this ("de", "à", "um") is a word every language may use.
SHORTEST_PIECE = 4


@functools.cache
def catalog(code: str) -> dict[str, str]:
    """A shipped catalog as the files give it."""
    loaded: dict[str, str] = yaml.safe_load((CATALOGS / f"{code}.yaml").read_text(encoding="utf-8"))
    return loaded


def pieces(text: str) -> list[str]:
    """A string's literal text between its placeholders, stripped of spaces and punctuation at
    the ends, braces undoubled."""
    found = []
    for literal, *_ in string.Formatter().parse(text):
        piece = literal.strip(" \u00a0\u202f:;,.·–-()\u060c\u061b\u200e")
        if len(piece) >= SHORTEST_PIECE and any(char.isalpha() for char in piece):
            found.append(piece)
    return found


@functools.cache
def foreign_pieces(code: str) -> tuple[str, ...]:
    """Every other shipped language's pieces that `code`'s own catalog does not contain."""
    own = "\n".join(catalog(code).values())
    others = itertools.chain.from_iterable(
        pieces(text) for other in SHIPPED if other != code for text in catalog(other).values()
    )
    return tuple(sorted({piece for piece in others if piece not in own}))


def leaks(text: str, code: str) -> list[str]:
    """The other languages' pieces found in `text` as whole words."""
    return [piece for piece in foreign_pieces(code) if re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", text)]


def single_language_content(folder: Path, code: str, locale: str | None = None) -> Path:
    """The seed as a site in `code` alone (in `locale`, by default the code's), its own texts
    tokens; returns the content folder."""
    content = folder / "content"
    shutil.copytree(SEED, content)
    use_example(content, CHRISTMAS)
    use_notices(content, NOTICES)
    counter = itertools.count(1)

    rewrite_texts(
        content,
        lambda text: {code: f"Q{next(counter)}"},
        lambda languages: [{"code": code, "locale": locale or code}],
    )
    shutil.rmtree(content / "strings")
    shutil.rmtree(content / "pages")
    (content / "pages" / code).mkdir(parents=True)
    for slot in ("intro", "escalation"):
        (content / "pages" / code / f"{slot}.md").write_text(f"Q{next(counter)}\n", encoding="utf-8")
    return content
