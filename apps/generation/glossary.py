"""The brand glossary in generation: which entries an item needs, what its prompt says of
them, and whether the content honours them.

An item's prompt carries only the entries whose source terms occur in the item's own
text, with the rendering for the target market ("throw" → "manta" in es-ES, "cobija" in
es-MX) or "keep as is": the user message stays small, and the system message, the same
for every item of a job, never changes with the glossary (prompt caching).

Terms are found with the output checks' matcher (apps.generation.checks: words folded
and reduced to their Snowball stems, so "throws" is "throw" and "мантой" is "манта"),
stemmed in the entry's source language. A case-sensitive entry also needs each word in
the term's case as far as the letters agree: "Apple" matches "Apples", never "apple" or
"APPLE".

The check (`GlossaryCheck.failures`) judges the content an item got:
- a do-not-translate term it must carry appears verbatim (same letters; same case too if
  the entry is case-sensitive);
- a rendered term it must carry appears in the rendering's words, in any inflection;
- a term the glossary renders otherwise never appears untranslated, outside the
  customer's own text quoted as given (the product's name, SKU and keywords, the brand's
  name) and the kept terms (a kept "Nordic Home throw" holds "throw").
Which terms the content must carry is the caller's choice: localized content carries
every term of its source; generated content only the do-not-translate terms of the
product's name, with `renderings_required=False` (a description need not mention every
word of the brief, but "Nordic Home" in a product called "Nordic Home throw" should not
come out as "Hogar Nórdico").
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from apps.generation.checks import (
    WORD_RE,
    _find,
    _term_keys,
    _without_phrases,
    _Words,
    _words,
)
from apps.generation.quality.report import CheckFailure
from apps.localization.locales import ContentLocale


@dataclass(frozen=True)
class GlossaryHit:
    """An entry an item needs, resolved for its target market."""

    term: str
    source_language: str
    rendering: str | None  # None: do not translate, keep the term exactly as written
    case_sensitive: bool
    notes: str

    @property
    def keeps_term(self) -> bool:
        return self.rendering is None or self.rendering.casefold() == self.term.casefold()


def item_texts(item) -> tuple[str, ...]:
    """The customer's text of an item (an ItemInput): where its glossary terms are."""
    texts = [item.name, item.brief, *item.keywords]
    texts += [value for value in _flat_strings(item.attributes)]
    return tuple(text for text in texts if text)


def _flat_strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for inner in value.values() for text in _flat_strings(inner)]
    if isinstance(value, list | tuple):
        return [text for inner in value for text in _flat_strings(inner)]
    return []


def _same_case(term: str, found: str) -> bool:
    """Each word written with the same letters in the same case as far as the two share
    them: "Apples" is "Apple", "apple" and "APPLE" are not."""
    term_words, found_words = WORD_RE.findall(term), WORD_RE.findall(found)
    if len(term_words) != len(found_words):
        return False
    for t, f in zip(term_words, found_words, strict=True):
        shared = 0
        while shared < min(len(t), len(f)) and t[shared].casefold() == f[shared].casefold():
            shared += 1
        if t[:shared] != f[:shared]:
            return False
    return True


def term_occurs(term: str, *, language: str, case_sensitive: bool,
                texts: Iterable[str]) -> list[str]:
    """Where the term occurs in the texts, inflection-tolerant, as written there."""
    return _occurrences(_term_keys(term, language), term, case_sensitive,
                        [_words(text, language) for text in texts])


def _occurrences(keys: tuple[frozenset[str], ...], term: str, case_sensitive: bool,
                 tokenized: list[_Words]) -> list[str]:
    found = []
    for words in tokenized:
        for form in _find(keys, words):
            if not case_sensitive or _same_case(term, form):
                found.append(form)
    return found


def glossary_hits(glossary: list[dict] | None, *, locale: ContentLocale,
                  texts: Iterable[str]) -> tuple[GlossaryHit, ...]:
    """The entries whose terms occur in the texts and that say something for the
    locale: do-not-translate ones, and those with a rendering for its market."""
    texts = tuple(texts)
    # The texts are split into words once per source language, and an entry is looked
    # for only when each of its words is somewhere in them: 500 entries cost
    # milliseconds, not a third of a second per prompt.
    tokenized: dict[str, list[_Words]] = {}
    present: dict[str, frozenset[str]] = {}
    hits = []
    for entry in glossary or ():
        if entry["do_not_translate"]:
            rendering = None
        else:
            rendering = entry["translations"].get(locale.tag)
            if rendering is None:
                continue  # the glossary says nothing of this market
        language = entry["source_language"]
        if language not in tokenized:
            tokenized[language] = [_words(text, language) for text in texts]
            present[language] = frozenset(key for words in tokenized[language]
                                          for word in words.words for key in word.keys)
        keys = _term_keys(entry["term"], language)
        if not keys or not all(word_keys & present[language] for word_keys in keys):
            continue
        if _occurrences(keys, entry["term"], entry["case_sensitive"], tokenized[language]):
            hits.append(GlossaryHit(term=entry["term"], source_language=language,
                                    rendering=rendering, case_sensitive=entry["case_sensitive"],
                                    notes=entry["notes"]))
    return tuple(hits)


def glossary_prompt_lines(hits: tuple[GlossaryHit, ...]) -> list[str]:
    """The user message's glossary lines (unescaped: the prompt builder escapes them)."""
    if not hits:
        return []
    lines = ["Brand glossary for the terms in this item; follow it in every field:"]
    for hit in hits:
        if hit.rendering is None:
            line = f'- "{hit.term}": keep exactly as written, never translate it.'
        elif hit.keeps_term:
            line = f'- "{hit.term}": keep as is.'
        else:
            line = f'- "{hit.term}": write "{hit.rendering}" (inflected as the sentence needs).'
        if hit.notes:
            line += f" Note: {' '.join(hit.notes.split())}"
        lines.append(line)
    return lines


def _verbatim_pattern(term: str, case_sensitive: bool) -> re.Pattern:
    flags = 0 if case_sensitive else re.IGNORECASE
    return re.compile(rf"(?<!\w){re.escape(term)}(?!\w)", flags)


@dataclass(frozen=True)
class GlossaryCheck:
    """The glossary's rules for one item's content (see the module's docstring)."""

    hits: tuple[GlossaryHit, ...]
    required: frozenset[str]  # terms of `hits` the content must carry
    language: str  # the target's: "es", "ru" or "en"
    locale_tag: str
    quoted: tuple[str, ...] = ()  # the customer's text, quoted as given

    @property
    def kept_terms(self) -> tuple[str, ...]:
        """Do-not-translate terms: the brand's own words, whatever the language around."""
        return tuple(hit.term for hit in self.hits if hit.rendering is None)

    def failures(self, strings: list[tuple[str, str]]) -> list[CheckFailure]:
        texts = [text for _name, text in strings]
        failures = []
        for hit in self.hits:
            if hit.term in self.required:
                failures += _missing(hit, texts, self.language, self.locale_tag)
            if not hit.keeps_term:
                # A kept term may hold a rendered one ("Nordic Home throw" kept whole).
                failures += _untranslated(hit, strings, (*self.quoted, *self.kept_terms),
                                          self.locale_tag)
        return failures


def _missing(hit: GlossaryHit, texts: list[str], language: str,
             locale_tag: str) -> list[CheckFailure]:
    if hit.rendering is None:
        pattern = _verbatim_pattern(hit.term, hit.case_sensitive)
        if any(pattern.search(text) for text in texts):
            return []
        return [CheckFailure(
            "glossary", None,
            f"the brand glossary keeps '{hit.term}' exactly as written, never translated, "
            f"and the content does not have '{hit.term}'; write it as given")]
    if term_occurs(hit.rendering, language=language, case_sensitive=hit.case_sensitive,
                   texts=texts):
        return []
    return [CheckFailure(
        "glossary", None,
        f"the brand glossary renders '{hit.term}' as '{hit.rendering}' in {locale_tag}, and "
        f"the content does not use '{hit.rendering}'; use it for '{hit.term}'")]


def _untranslated(hit: GlossaryHit, strings: list[tuple[str, str]], quoted: tuple[str, ...],
                  locale_tag: str) -> list[CheckFailure]:
    # A rendering that contains the term ("throw" → "throw blanket") is no evidence.
    if term_occurs(hit.term, language=hit.source_language, case_sensitive=False,
                   texts=[hit.rendering]):
        return []
    failures = []
    for name, text in strings:
        found = term_occurs(hit.term, language=hit.source_language,
                            case_sensitive=hit.case_sensitive,
                            texts=[_without_phrases(text, quoted)])
        if found:
            failures.append(CheckFailure(
                "glossary", name,
                f"field '{name}' leaves '{found[0]}' untranslated; the brand glossary "
                f"renders '{hit.term}' as '{hit.rendering}' in {locale_tag}"))
    return failures


def glossary_check_for(glossary: list[dict] | None, *, locale: ContentLocale,
                       source_texts: Iterable[str], required_texts: Iterable[str],
                       quoted: tuple[str, ...] = (),
                       renderings_required: bool = True) -> GlossaryCheck | None:
    """The check for content written from `source_texts`, which must carry the terms
    found in `required_texts` (only the do-not-translate ones unless
    `renderings_required`); None when no entry applies."""
    hits = glossary_hits(glossary, locale=locale, texts=source_texts)
    if not hits:
        return None
    required_texts = tuple(required_texts)
    required = frozenset(hit.term for hit in hits if (
        renderings_required or hit.rendering is None) and term_occurs(
        hit.term, language=hit.source_language, case_sensitive=hit.case_sensitive,
        texts=required_texts))
    return GlossaryCheck(hits=hits, required=required, language=locale.language,
                         locale_tag=locale.tag, quoted=quoted)
