"""The contact cards: every field against the content, the bytes on the wire, and a real client (khard)."""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import vobject
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from render_context import context

from generator.content.model import Contact, ContactPhone, Language, Level, Phone, Site, Text
from generator.outputs import Files, cards
from generator.outputs.cards import bundle_path, organisation_card_path, render_language_cards

STAMP = datetime.datetime(2026, 11, 29, tzinfo=datetime.UTC)
REV = "20261129T000000Z"
SEED_PATHS = {
    "level-2": "orlando-mendez",
    "level-3": "nelson-calderon",
    "level-4": "ivan-rodriguez",
}


def parse(data: bytes) -> list[Any]:
    """Every vCard in a file, as vobject reads it back."""
    return list(vobject.readComponents(data.decode("utf-8")))


def parse_one(data: bytes) -> Any:
    found = parse(data)
    assert len(found) == 1, f"expected one card, found {len(found)}"
    return found[0]


def values(card: Any, name: str) -> list[Any]:
    """The values of every `name` property, in file order ([] when there is none)."""
    return [line.value for line in card.contents.get(name, [])]


def types(card: Any, name: str) -> list[list[str]]:
    return [line.params.get("TYPE", []) for line in card.contents.get(name, [])]


def property_names(card: Any) -> Counter[str]:
    return Counter({name: len(lines) for name, lines in card.contents.items()})


def tel_value(phone: Phone) -> str:
    return phone.national if phone.domestic_only else phone.international


def wa_me(phone: Phone) -> str:
    return "https://wa.me/" + phone.e164.removeprefix("+")


def contact_levels(site: Site) -> list[Level]:
    return [level for level in site.levels if level.contact is not None]


def contact(level: Level) -> Contact:
    assert level.contact is not None
    return level.contact


def same_text(text: str) -> Text:
    return Text((("es", text), ("en", text)))


def render_cards(site: Site, stamp: datetime.datetime) -> Files:
    """Every language's cards, from a render context (and a build cache) of their own."""
    ctx = context(site, stamp=stamp)
    files: Files = {}
    for language in site.languages:
        made = render_language_cards(ctx, language)
        assert not made.keys() & files.keys(), "two languages' cards share a path"
        files |= made
    return files


def card_path(level: Level, language: Language, site: Site) -> str:
    """cards.card_path, with the render context of `site`."""
    return cards.card_path(level, language, context(site))


@pytest.fixture(scope="module")
def files(seed_site: Site) -> dict[str, bytes]:
    return render_cards(seed_site, STAMP)


@pytest.fixture(scope="module")
def site_with_url(seed_site: Site) -> Site:
    return seed_site._replace(base_url="https://example.org/ayuda/")


# --- paths -----------------------------------------------------------------------------------------


def test_paths_of_the_seed_site(seed_site: Site, files: dict[str, bytes]) -> None:
    expected = set()
    for language in seed_site.languages:
        code = language.code
        for level in contact_levels(seed_site):
            path = card_path(level, language, seed_site)
            assert path == f"{code}/contacts/{SEED_PATHS[level.id]}.vcf"
            expected.add(path)
        assert bundle_path(language) == f"{code}/contacts/escalation.vcf"
        assert organisation_card_path(language) == f"{code}/contacts/help-desk.vcf"
        expected |= {bundle_path(language), organisation_card_path(language)}
    assert set(files) == expected


def test_a_level_without_contact_has_no_card_path(seed_site: Site) -> None:
    assert seed_site.levels[0].contact is None
    with pytest.raises(ValueError, match="no contact"):
        card_path(seed_site.levels[0], seed_site.default_language, seed_site)


def with_people(site: Site, *people: str) -> Site:
    """The seed site with its contacts renamed, in ladder order."""
    names = iter(people)
    levels = tuple(
        level._replace(contact=level.contact._replace(person=next(names))) if level.contact else level
        for level in site.levels
    )
    return site._replace(levels=levels)


def slugs(site: Site) -> list[str]:
    language = site.default_language
    return [card_path(level, language, site).split("/")[-1] for level in contact_levels(site)]


def test_slugs_fold_to_ascii(seed_site: Site) -> None:
    site = with_people(seed_site, "Łukasz Ødegård-Strauß", "  José   María  Núñez ", "Zoë O'Brien")
    assert slugs(site) == ["lukasz-odegard-strauss.vcf", "jose-maria-nunez.vcf", "zoe-o-brien.vcf"]


def test_slugs_fall_back_to_the_level_id(seed_site: Site) -> None:
    # No Latin letters left; two people with the same slug (both fall back, whatever their order);
    # and a name that would take the bundle's file.
    site = with_people(seed_site, "李小龙", "Ana Pérez", "Ana Perez")
    assert slugs(site) == ["level-2.vcf", "level-3.vcf", "level-4.vcf"]
    site = with_people(seed_site, "Escalation", "Help Desk", "Level 2")
    assert slugs(site) == ["level-2.vcf", "level-3.vcf", "level-4.vcf"]


def test_slugs_are_short(seed_site: Site) -> None:
    site = with_people(seed_site, "A" * 200, "Orlando Méndez", "Iván Rodríguez")
    assert len(slugs(site)[0]) <= 64 + len(".vcf")


def test_paths_are_accepted_by_the_writer(files: dict[str, bytes]) -> None:
    from generator.writer import merge

    assert merge(files) == files


# --- fields ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["es", "en"])
def test_person_cards_carry_the_content(site_with_url: Site, code: str) -> None:
    site = site_with_url
    language = next(lang for lang in site.languages if lang.code == code)
    strings = site.strings[code]
    rendered = render_cards(site, STAMP)
    for level in contact_levels(site):
        person = contact(level)
        card = parse_one(rendered[card_path(level, language, site)])
        assert card.version.value == "3.0"
        assert card.fn.value == person.person
        given, family = person.person.rsplit(" ", 1)
        assert (card.n.value.given, card.n.value.family) == (given, family)
        assert card.org.value == [site.organisation]
        assert card.title.value == level.name[code]
        assert values(card, "email") == list(person.emails)
        assert types(card, "email") == [["INTERNET", "WORK"]] * len(person.emails)
        assert values(card, "tel") == [tel_value(p.phone) for p in person.phones]
        assert types(card, "tel") == [
            ["CELL", "VOICE", "WORK"] if p.phone.mobile else ["WORK", "VOICE"] for p in person.phones
        ]
        whatsapp = [wa_me(p.phone) for p in person.phones if p.whatsapp]
        assert values(card, "url") == [*whatsapp, f"https://example.org/ayuda/{code}/"]
        assert values(card, "x-socialprofile") == whatsapp
        assert types(card, "x-socialprofile") == [["whatsapp"]] * len(whatsapp)
        note = strings["card_note"].format(title=level.title[code], name=level.name[code])
        assert card.note.value == note
        assert card.categories.value == [site.organisation, strings["card_category"]]
        assert card.rev.value == REV
        assert card.uid.value


def test_seed_contacts_in_both_languages(files: dict[str, bytes]) -> None:
    """The seed's own numbers and addresses, written out, in case the model and cards agree wrongly."""
    expected = {
        "orlando-mendez": (
            ["supervisor.mesadeayuda@certicamara.com", "orlando.mendez@certicamara.com"],
            [],
        ),
        "nelson-calderon": (
            ["coordinador.mesadeayuda@certicamara.com", "nelson.calderon@certicamara.com"],
            ["+57 318 7174937"],
        ),
        "ivan-rodriguez": (["ivan.rodriguez@certicamara.com"], ["+57 322 2197967"]),
    }
    for code in ("es", "en"):
        for slug, (emails, phones) in expected.items():
            card = parse_one(files[f"{code}/contacts/{slug}.vcf"])
            assert values(card, "email") == emails
            assert values(card, "tel") == phones
    nelson = parse_one(files["es/contacts/nelson-calderon.vcf"])
    assert values(nelson, "x-socialprofile") == ["https://wa.me/573187174937"]
    assert values(nelson, "url") == ["https://wa.me/573187174937"]  # no base_url in the seed
    assert parse_one(files["en/contacts/nelson-calderon.vcf"]).title.value == (
        "Customer support service coordination"
    )


@pytest.mark.parametrize("code", ["es", "en"])
def test_organisation_card_carries_every_channel(site_with_url: Site, code: str) -> None:
    site = site_with_url
    language = next(lang for lang in site.languages if lang.code == code)
    strings = site.strings[code]
    card = parse_one(render_cards(site, STAMP)[organisation_card_path(language)])
    assert card.fn.value == f"{site.organisation} – {site.title[code]}"
    assert card.n.value == vobject.vcard.Name()
    assert card.org.value == [site.organisation]
    assert values(card, "x-abshowas") == ["COMPANY"]
    assert values(card, "tel") == [
        "+57 601 7442727",
        "01 8000 181531",  # domestic-only: as dialled in Colombia, never +57 1 8000…
        "+57 318 4872656",
        "+57 316 8731648",
    ]
    assert types(card, "tel") == [["WORK", "VOICE"]] * 2 + [["CELL", "WORK"]] * 2
    assert values(card, "email") == ["mesadeayuda@certicamara.com"]
    whatsapp = ["https://wa.me/573184872656", "https://wa.me/573168731648"]
    assert values(card, "x-socialprofile") == whatsapp
    assert values(card, "url") == [
        *whatsapp,
        "https://certicamara.service-now.com/csm",
        f"https://example.org/ayuda/{code}/",
    ]
    first = site.levels[0]
    assert card.note.value == strings["card_note_first"].format(
        title=first.title[code], name=first.name[code]
    )
    assert card.categories.value == [site.organisation, strings["card_category"]]
    assert card.rev.value == REV
    # Every channel's value is on it, whatever the kind.
    text = "\n".join(str(line.value) for line in card.getChildren())
    for channel in site.channels:
        phone = channel.phone
        assert (tel_value(phone) if phone else str(channel.value)) in text, channel.id


def test_first_level_with_a_contact_gets_the_first_note(seed_site: Site) -> None:
    first = seed_site.levels[0]
    person = Contact("Ana Gómez", ("ana@example.org",), ())
    site = seed_site._replace(levels=(first._replace(contact=person),))
    language = site.default_language
    rendered = render_cards(site, STAMP)
    card = parse_one(rendered[card_path(site.levels[0], language, site)])
    strings = site.strings["es"]
    expected = strings["card_note_first"].format(title=first.title["es"], name=first.name["es"])
    assert card.note.value == expected
    # No level is left to the help desk: its card describes the site instead.
    organisation = parse_one(rendered[organisation_card_path(language)])
    assert organisation.note.value == strings["card_note_first"].format(
        title=site.title["es"], name=site.organisation
    )


def test_landline_and_domestic_only_contact_phones(seed_site: Site) -> None:
    landline = Phone("+576017442727", "(601) 7442727", "+57 601 7442727", False, False)
    toll_free = Phone("+5718000181531", "01 8000 181531", "+57 1 8000181531", True, False)
    level = seed_site.levels[1]
    phones = (ContactPhone(landline, False), ContactPhone(toll_free, False))
    level = level._replace(contact=contact(level)._replace(phones=phones))
    site = seed_site._replace(levels=(seed_site.levels[0], level))
    card = parse_one(render_cards(site, STAMP)[card_path(level, site.default_language, site)])
    assert values(card, "tel") == ["+57 601 7442727", "01 8000 181531"]
    assert types(card, "tel") == [["WORK", "VOICE"]] * 2


@pytest.mark.parametrize(
    "base_url", ["https://example.org/ayuda/", "https://example.org/ayuda", "https://example.org"]
)
def test_cards_link_the_help_page_under_any_base_path(seed_site: Site, base_url: str) -> None:
    site = seed_site._replace(base_url=base_url)
    files = render_cards(site, STAMP)
    for language in site.languages:
        card = parse_one(files[f"{language.code}/contacts/ivan-rodriguez.vcf"])
        assert values(card, "url") == [base_url.rstrip("/") + f"/{language.code}/"]


def test_no_help_page_url_without_base_url(files: dict[str, bytes]) -> None:
    card = parse_one(files["es/contacts/ivan-rodriguez.vcf"])
    assert values(card, "url") == []


# --- bytes -----------------------------------------------------------------------------------------


def test_raw_bytes(files: dict[str, bytes]) -> None:
    for path, data in files.items():
        assert not data.startswith(b"\xef\xbb\xbf"), path
        data.decode("utf-8")  # strict: raises on anything else
        assert data.startswith(b"BEGIN:VCARD\r\nVERSION:3.0\r\n"), path
        assert data.endswith(b"END:VCARD\r\n"), path
        assert data.count(b"\n") == data.count(b"\r\n") == data.count(b"\r"), f"{path}: CRLF only"
        for line in data.split(b"\r\n"):
            assert len(line) <= 75, f"{path}: {line!r}"
    assert b"\r\nX-ABShowAs:COMPANY\r\n" in files["es/contacts/help-desk.vcf"]
    assert b"X-ABShowAs" not in files["es/contacts/nelson-calderon.vcf"]


def test_folding_counts_octets_not_characters(seed_site: Site) -> None:
    # 40 emoji are 45 characters with "NOTE:" but 165 octets: vobject alone leaves that unfolded.
    name = "😀" * 40 + " Ñandú"
    site = with_people(seed_site, name, "Nelson Calderón", "Iván Rodríguez")
    rendered = render_cards(site, STAMP)
    data = rendered[card_path(site.levels[1], site.default_language, site)]
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    assert b"\r\n " in data
    assert parse_one(data).fn.value == name


def test_the_bundle_holds_every_card(seed_site: Site, files: dict[str, bytes]) -> None:
    for language in seed_site.languages:
        organisation = files[organisation_card_path(language)]
        people = [files[card_path(level, language, seed_site)] for level in contact_levels(seed_site)]
        bundle = files[bundle_path(language)]
        # The help desk first: Outlook desktop imports only the first card of a file.
        assert bundle == organisation + b"".join(people)
        parsed = parse(bundle)
        assert [card.uid.value for card in parsed] == [
            parse_one(data).uid.value for data in [organisation, *people]
        ]


def test_rendering_is_deterministic(seed_site: Site, files: dict[str, bytes]) -> None:
    assert render_cards(seed_site, STAMP) == files
    later = render_cards(seed_site, STAMP + datetime.timedelta(days=3, hours=5))
    for path, data in files.items():
        assert data.replace(REV.encode(), b"20261202T050000Z") == later[path], path


def test_rev_is_utc_and_needs_an_aware_stamp(seed_site: Site) -> None:
    bogota = datetime.timezone(datetime.timedelta(hours=-5))
    local = render_cards(seed_site, datetime.datetime(2026, 11, 28, 19, tzinfo=bogota))
    assert local == render_cards(seed_site, STAMP)
    with pytest.raises(ValueError, match="time zone"):
        render_cards(seed_site, datetime.datetime(2026, 11, 29))


def test_uids_are_stable_and_distinct(seed_site: Site, files: dict[str, bytes]) -> None:
    uids = {path: parse_one(data).uid.value for path, data in files.items() if "escalation" not in path}
    assert len(set(uids.values())) == len(uids) == 8
    # Pinned: a changed UID makes every address book that imported the card hold it twice.
    assert uids["es/contacts/help-desk.vcf"] == "16ed9b82-a2b4-5f30-b313-6c9a8e8fe40a"
    assert uids["en/contacts/orlando-mendez.vcf"] == "e7dccaa8-d214-52d6-82bd-84a2325994a8"
    # The UID follows the role: a new person at level 2 replaces the old one's card.
    site = with_people(seed_site, "Ana Gómez", "Nelson Calderón", "Iván Rodríguez")
    renamed = parse_one(render_cards(site, STAMP)["en/contacts/ana-gomez.vcf"])
    assert renamed.uid.value == uids["en/contacts/orlando-mendez.vcf"]


# --- arbitrary text --------------------------------------------------------------------------------

TRICKY = st.sampled_from(
    [
        "a, b; c\\d",
        "Ana\r\nTEL:123",
        "x\nEMAIL:evil@example.org",
        "x\rURL:https://evil.example",
        "END:VCARD\r\nBEGIN:VCARD\r\nFN:Mallory",
        ":;,\\n\\",
        "  spaced  ",
        "Nelson 😀👩🏽‍💻 Calderón",
        "\u2028\x85\x0b\x0c\x1c\x00",
        "ñ" * 100,
    ]
)
# Surrogates are excluded: they cannot be written as UTF-8 at all.
ANY_TEXT = st.one_of(TRICKY, st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=80))


def unchanged(text: str) -> str:
    """What "comes back unchanged" means: vCard text has one kind of line break, the escaped \\n.

    vobject writes CR LF, lone CR and LF inside a value all as \\n and reads that back as LF, so a
    value is compared after turning its CR LF and lone CR into LF. Nothing else may change.
    """
    return text.replace("\r\n", "\n").replace("\r", "\n")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(person=ANY_TEXT, role=ANY_TEXT, organisation=ANY_TEXT, note=ANY_TEXT)
def test_arbitrary_text_survives_and_injects_nothing(
    seed_site: Site, files: dict[str, bytes], person: str, role: str, organisation: str, note: str
) -> None:
    level = seed_site.levels[2]  # Nelson: emails, a mobile and WhatsApp
    changed = level._replace(name=same_text(role), contact=contact(level)._replace(person=person))
    # The note is the UI string; braces are doubled so that str.format leaves them as written.
    template = note.replace("{", "{{").replace("}", "}}") + " {title} / {name}"
    strings: Mapping[str, Mapping[str, str]] = {
        code: {**texts, "card_note": template} for code, texts in seed_site.strings.items()
    }
    levels = (*seed_site.levels[:2], changed, *seed_site.levels[3:])
    site = seed_site._replace(organisation=organisation, levels=levels, strings=strings)
    rendered = render_cards(site, STAMP)
    assert len(rendered) == len(files)
    for language in site.languages:
        code = language.code
        path = card_path(changed, language, site)
        data = rendered[path]
        assert all(len(line) <= 75 for line in data.split(b"\r\n"))
        card = parse_one(data)
        seed_card = parse_one(files[f"{code}/contacts/nelson-calderon.vcf"])
        assert property_names(card) == property_names(seed_card), "a property was added or lost"
        assert card.fn.value == unchanged(person)
        given_name, family = cards.split_name(person)
        assert (card.n.value.given, card.n.value.family) == (unchanged(given_name), unchanged(family))
        assert card.title.value == unchanged(role)
        assert card.org.value == [unchanged(organisation)]
        title = level.title[code]
        assert card.note.value == unchanged(f"{note} {title} / {role}")
        category = site.strings[code]["card_category"]
        assert card.categories.value == [unchanged(organisation), category]
        assert values(card, "email") == list(contact(level).emails)
        assert values(card, "tel") == ["+57 318 7174937"]

        org_card = parse_one(rendered[organisation_card_path(language)])
        seed_org = parse_one(files[f"{code}/contacts/help-desk.vcf"])
        assert property_names(org_card) == property_names(seed_org)
        assert org_card.fn.value == unchanged(f"{organisation} – {site.title[code]}")
        assert org_card.org.value == [unchanged(organisation)]
        assert len(parse(rendered[bundle_path(language)])) == 1 + len(contact_levels(site))


# --- a real client ---------------------------------------------------------------------------------


def khard_command() -> str | None:
    """The khard beside this interpreter (the virtualenv's), else the one on PATH."""
    beside = Path(sys.executable).parent / "khard"
    if beside.is_file():
        return str(beside)
    return shutil.which("khard")


def run_khard(khard: str, config: Path, action: str) -> list[list[str]]:
    """khard's tab-separated rows for `action` (email, phone); [] when it finds none."""
    arguments = ["--remove-first-line"] if action == "email" else []
    result = subprocess.run(
        [khard, "-c", str(config), action, "--parsable", *arguments],
        capture_output=True,
        text=True,
        encoding="utf-8",
        stdin=subprocess.DEVNULL,  # never wait on a prompt
        timeout=60,
        check=False,
    )
    # khard warns on stderr about each card it cannot read or skips (no UID): there must be none.
    assert result.stderr == ""
    # khard 0.22 exits 1 when it finds nothing to list, printing nothing with --parsable.
    assert (result.returncode, bool(result.stdout)) in ((0, True), (1, False)), result
    return [line.split("\t") for line in result.stdout.splitlines()]


def single_cards(site: Site) -> list[tuple[str, list[str], list[str]]]:
    """(path, emails, phones as written) of every file that holds one card, with the content's values."""
    found = []
    for language in site.languages:
        for level in contact_levels(site):
            person = contact(level)
            phones = [tel_value(p.phone) for p in person.phones]
            found.append((card_path(level, language, site), list(person.emails), phones))
        emails = [str(c.value) for c in site.channels if c.kind == "email"]
        phones = [tel_value(c.phone) for c in site.channels if c.phone]
        found.append((organisation_card_path(language), emails, phones))
    return found


def test_khard_reads_every_single_card(seed_site: Site, files: dict[str, bytes], tmp_path: Path) -> None:
    khard = khard_command()
    if khard is None:
        if os.environ.get("CI") == "true":
            pytest.fail("khard is missing; CI must install the dev dependencies")
        pytest.skip("khard is not installed")
    checked = 0
    for path, emails, phones in single_cards(seed_site):
        book = tmp_path / path.replace("/", "_")
        book.mkdir()
        (book / "card.vcf").write_bytes(files[path])
        config = book.with_suffix(".conf")
        config.write_text(
            f"[general]\ndebug = no\ndefault_action = list\n[addressbooks]\n[[test]]\npath = {book}\n",
            encoding="utf-8",
        )
        name = parse_one(files[path]).fn.value
        listed_emails = run_khard(khard, config, "email")
        assert sorted(row[0] for row in listed_emails) == sorted(emails), path
        assert {row[1] for row in listed_emails} == {name}
        listed_phones = run_khard(khard, config, "phone")
        assert sorted(row[0] for row in listed_phones) == sorted(phones), path
        assert {row[1] for row in listed_phones} <= {name}
        checked += 1
    assert checked == 8
