"""The documented maximum of every part of a brand template, checked by the brand API
before anything is stored (a 10 MB voice used to be stored, versioned three times and
sent with every prompt; 2,000 examples made every estimate fail).

Lists and maps are counted before their entries are validated. Plain constants, no
Django: anything may import them.
"""

NAME_MAX_CHARS = 200  # the model's own column
VOICE_MAX_CHARS = 5000
AUDIENCE_MAX_CHARS = 2000
LOCALE_NOTES_MAX_CHARS = 5000

# do, don't, banned and required terms; a locale's banned terms.
TERMS_MAX = 200
TERM_MAX_CHARS = 200

LOCALE_OVERRIDES_MAX = 20
LENGTH_BOUNDS_MAX = 20

# Examples reach every prompt of every job of the brand, so they are few and small.
EXAMPLES_MAX = 10
EXAMPLE_JSON_MAX_CHARS = 10_000  # the product and the output, each as JSON
EXAMPLE_JSON_MAX_DEPTH = 5

# The glossary. Only the entries whose terms occur in an item reach its prompt, so it may
# be larger than the examples; every entry is matched against every item's text.
GLOSSARY_MAX_ENTRIES = 500
GLOSSARY_TERM_MAX_CHARS = 200  # a term and each of its renderings
GLOSSARY_NOTES_MAX_CHARS = 500

# Custom kinds (apps.brands.custom_kinds): a kind a workspace defines in the admin. Every
# field is an answer the model writes for every item, so they are few; a list field's
# entries are bounded like Google's 15 headlines, with room to spare.
CUSTOM_KIND_FIELDS_MAX = 20
CUSTOM_KIND_ENTRIES_MAX = 50
CUSTOM_KIND_INSTRUCTIONS_MAX_CHARS = 4000
CUSTOM_KIND_FIELD_NAME_MAX_CHARS = 40
CUSTOM_KIND_FIELD_LABEL_MAX_CHARS = 100
# What one answer can hold, in characters per output token: the floor of the languages we
# write (Cyrillic and Spanish spend more tokens per character than English).
CHARS_PER_OUTPUT_TOKEN = 3
