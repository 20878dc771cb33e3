"""The content locales the service writes in, and what the prompt needs to know of each."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ContentLocale:
    tag: str
    language: str  # ISO 639-1
    english_name: str  # used inside prompts, which are written in English
    native_name: str
    writing_notes: str
    # How to address the reader, by register, in the prompt's words.
    address: dict[str, str] | None = None


CONTENT_LOCALES: dict[str, ContentLocale] = {
    "es": ContentLocale(
        tag="es", language="es", english_name="Spanish", native_name="español",
        writing_notes=(
            "Write natively in Spanish, not as a translation. Use opening ¿ and ¡ marks "
            "where Spanish requires them."
        ),
        address={"informal": 'Address the reader as "tú".',
                 "formal": 'Address the reader as "usted".'},
    ),
    "ru": ContentLocale(
        tag="ru", language="ru", english_name="Russian", native_name="русский",
        writing_notes=(
            "Write natively in Russian, not as a translation. Use « » quotation marks and "
            "the em dash (—) as Russian typography requires."
        ),
        address={"informal": 'Address the reader as "ты".',
                 "formal": 'Address the reader as "вы" (lower case).'},
    ),
    "en": ContentLocale(
        tag="en", language="en", english_name="English", native_name="English",
        writing_notes="Write natively in English.",
    ),
}


def locale_get(tag: str) -> ContentLocale | None:
    return CONTENT_LOCALES.get(tag)


def locale_tags() -> list[str]:
    return list(CONTENT_LOCALES)
