"""The limits of one item of a job, for both ways in: the JSON API (ItemInputSerializer)
and the CSV import (csv_io), which checks them again so that a spreadsheet user gets
each problem by row and column instead of by item index.

Plain constants, no Django: anything may import them. The number of attributes per item
is a setting (ITEM_MAX_ATTRIBUTES), read at request time, so it is not here.
"""

SKU_MAX_CHARS = 100
NAME_MAX_CHARS = 300
BRIEF_MAX_CHARS = 5000

KEYWORDS_MAX = 30
KEYWORD_MAX_CHARS = 100

IMAGE_URLS_MAX = 10
IMAGE_URL_MAX_CHARS = 2000

# The translated message for a too-long attribute spells these two numbers out.
ATTRIBUTE_NAME_MAX_CHARS = 100
ATTRIBUTE_VALUE_MAX_CHARS = 1000  # the value as JSON
# How deep the attributes object may nest ({"size": {"value": 3, "unit": "cm"}} is 2).
ATTRIBUTES_MAX_DEPTH = 4

# A price has at most 14 digits, 4 of them after the decimal point.
PRICE_MAX_DIGITS = 14
PRICE_DECIMAL_PLACES = 4
PRICE_MAX_INTEGER_DIGITS = PRICE_MAX_DIGITS - PRICE_DECIMAL_PLACES

# A/B variants of one item in one locale: each is written (and billed) like an item.
VARIANTS_MAX = 5
# A campaign brief (the marketing kinds): its texts, and the products it promotes.
CAMPAIGN_MAX_CHARS = 300
AUDIENCE_MAX_CHARS = 1000
OFFER_MAX_CHARS = 500
TONE_OVERRIDE_MAX_CHARS = 500
LANDING_URL_MAX_CHARS = 2000
BRIEF_PRODUCTS_MAX = 20

# A reviewer's note on a rejection; it goes into the rewrite's prompt, so it is kept short.
REVIEW_NOTE_MAX_CHARS = 1000
