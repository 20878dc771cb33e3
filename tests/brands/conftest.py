"""The brand tests' shared glossary: as sent to the API, as stored, and as CSV."""

GLOSSARY = [
    {"term": "Nordic Home", "source_language": "en", "do_not_translate": True,
     "case_sensitive": True, "notes": "Our name."},
    {"term": "throw", "source_language": "en",
     "translations": {"es-MX": "cobija", "es-ES": "manta", "ru-RU": "плед"},
     "notes": "A blanket for the sofa, not the verb."},
]
STORED = [
    {"term": "Nordic Home", "source_language": "en", "translations": {},
     "do_not_translate": True, "case_sensitive": True, "notes": "Our name."},
    {"term": "throw", "source_language": "en",
     "translations": {"es-ES": "manta", "es-MX": "cobija", "ru-RU": "плед"},
     "do_not_translate": False, "case_sensitive": False,
     "notes": "A blanket for the sofa, not the verb."},
]
CSV_FILE = (
    "term,source_language,language,translation,note,do_not_translate,case_sensitive\r\n"
    "Nordic Home,en,,,Our name.,yes,yes\r\n"
    "throw,en,es-ES,manta,\"A blanket for the sofa, not the verb.\",no,no\r\n"
    "throw,en,es-MX,cobija,\"A blanket for the sofa, not the verb.\",no,no\r\n"
    "throw,en,ru-RU,плед,\"A blanket for the sofa, not the verb.\",no,no\r\n"
)
