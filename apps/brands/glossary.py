"""The brand glossary's rules: what an entry is, and what makes a glossary valid.

An entry is a term in a source language (es, ru, en) and either a rendering per market
(a full locale tag: "throw" is "manta" in es-ES and "cobija" in es-MX) or "do not
translate" ("Nordic Home" stays "Nordic Home" everywhere), with a case-sensitivity flag
and notes for translators. Renderings are per full tag, not per language, because the
markets of a language are exactly where they differ.

The API serializer, the CSV import (`glossary_csv`) and the admin's inline all apply
these rules, so the three accept and refuse the same glossaries. Entries travel as plain
dicts (GLOSSARY_FIELDS) because that is how a brand version's snapshot stores them.
"""

from django.utils.translation import gettext_lazy as _

from apps.localization.locales import locale_languages, locale_resolve, locale_tags

GLOSSARY_FIELDS = ("term", "source_language", "translations", "do_not_translate",
                   "case_sensitive", "notes")

NO_TRANSLATION_MESSAGE = _("Give at least one translation, or mark the term "
                           "“do not translate”.")
TRANSLATED_DNT_MESSAGE = _("A term marked “do not translate” takes no translations.")


def unsupported_locale_message(tag) -> str:
    return str(_("Unsupported locale “%(tag)s”: use a full tag, one of %(tags)s.") % {
        "tag": tag, "tags": ", ".join(locale_tags())})


def unsupported_language_message(language) -> str:
    return str(_("Unsupported language “%(language)s”: use one of %(languages)s.") % {
        "language": language, "languages": ", ".join(locale_languages())})


def translation_locale(tag) -> str | None:
    """The full locale tag a rendering is for ("es_mx" → "es-MX"); None for anything
    else, a bare language included: it would not say which market's word it is."""
    if not isinstance(tag, str) or "-" not in tag.strip().replace("_", "-"):
        return None
    locale = locale_resolve(tag)
    return locale.tag if locale else None


def source_language_normalise(language) -> str | None:
    if not isinstance(language, str):
        return None
    language = language.strip().lower()
    return language if language in locale_languages() else None


def entry_shape_problem(*, do_not_translate: bool, translations: dict) -> str | None:
    """Why an entry's translations do not fit its do-not-translate flag, or None."""
    if do_not_translate and translations:
        return str(TRANSLATED_DNT_MESSAGE)
    if not do_not_translate and not translations:
        return str(NO_TRANSLATION_MESSAGE)
    return None


def _clash(term: str, case_sensitive: bool, other_term: str, other_case_sensitive: bool) -> bool:
    # "Apple" (case-sensitive) and "apple" (case-sensitive) match different words; any
    # other pair of terms equal but for case would match the same ones.
    if term.casefold() != other_term.casefold():
        return False
    return term == other_term or not (case_sensitive and other_case_sensitive)


def glossary_duplicates(entries: list[dict]) -> list[tuple[int, int]]:
    """(index, index of the earlier entry it repeats) for every entry whose term and
    source language are already in the glossary."""
    seen: dict[tuple[str, str], list[tuple[int, dict]]] = {}
    duplicates = []
    for index, entry in enumerate(entries):
        key = (entry["source_language"], entry["term"].casefold())
        for earlier_index, earlier in seen.get(key, []):
            if _clash(entry["term"], entry["case_sensitive"], earlier["term"],
                      earlier["case_sensitive"]):
                duplicates.append((index, earlier_index))
                break
        else:
            seen.setdefault(key, []).append((index, entry))
    return duplicates


def duplicate_entry_message(earlier_index: int) -> str:
    return str(_("This term is already in the glossary, in entry %(index)s.") % {
        "index": earlier_index})


def entry_as_dict(*, term: str, source_language: str, translations: dict,
                  do_not_translate: bool, case_sensitive: bool, notes: str) -> dict:
    """An entry as snapshots, the API and the CSV export give it: translations in the
    order of the supported locales, so equal glossaries compare equal."""
    ordered = {tag: translations[tag] for tag in locale_tags() if tag in translations}
    return {"term": term, "source_language": source_language, "translations": ordered,
            "do_not_translate": do_not_translate, "case_sensitive": case_sensitive,
            "notes": notes}
