"""The content kinds: one registry of every kind's fields, limits and instructions.

A kind is plain data (`KindSpec`): its fields (`FieldSpec`: text or list, characters as
the platform counts them, entries for a list, a floor of words, written as sentences or
not), the instructions the system message gives, the output size that estimates and
routing expect, the channels it is written for (a social post is for X, Instagram,
LinkedIn or Facebook), and kind-wide rules (Google's headlines are pairwise distinct and
some carry the keywords). Schemas, prompts, checks, the review desk, the exports and the
kinds endpoint all read it from here; nothing else lists a kind's fields.

`KindSpec.as_dict()` / `KindSpec.from_dict()` round-trip a kind through JSON, so a kind a
workspace defines itself can be built from its admin rows and pinned on a job the way a
brand version is, and a running job never sees a later edit.

The channel of a `social_post` is a job-level choice (`kind_get("social_post", "x")`): it
changes the system message (the limit, the tone of the network), which must be the same
for every item of a job for prompt caching, so it cannot vary per item.
"""

import dataclasses
from dataclasses import dataclass

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

COUNTINGS = ("graphemes", "x")
# An answer longer than this is not a field any platform takes.
FIELD_MAX_CHARS = 100_000


@dataclass(frozen=True)
class FieldSpec:
    """One field of a kind's output; a list field's limits bound each entry."""

    name: str
    label: str
    max_chars: int
    min_chars: int = 1
    min_words: int = 1
    is_list: bool = False
    min_entries: int = 1  # lists only
    max_entries: int = 1
    sentence: bool = False  # written as sentences: one not ending like a sentence was cut
    required: bool = True  # an optional field may be answered empty
    counting: str = "graphemes"  # or "x": X's weighted count
    max_hashtags: int | None = None
    # A platform's own limit (over it the asset is rejected), stated in the prompt;
    # False for a sanity cap of ours.
    platform_limit: bool = True

    def as_dict(self) -> dict:
        return {**dataclasses.asdict(self), "label": str(self.label)}

    @classmethod
    def from_dict(cls, data: dict) -> "FieldSpec":
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in names})


@dataclass(frozen=True)
class ChannelSpec:
    """A network a kind writes for: what it changes in the kind (the limits of one field,
    an instruction)."""

    slug: str
    label: str
    instructions: str
    field: str
    max_chars: int
    counting: str = "graphemes"
    max_hashtags: int | None = None

    def as_dict(self) -> dict:
        return {**dataclasses.asdict(self), "label": str(self.label)}


@dataclass(frozen=True)
class KindSpec:
    slug: str
    label: str
    instructions: str
    fields: tuple[FieldSpec, ...]
    expected_output_tokens: int
    # The networks the kind is written for; a job of the kind must choose one.
    channels: tuple[ChannelSpec, ...] = ()
    channel: str = ""  # the chosen one, once chosen
    # List fields whose entries must not repeat or reword one another.
    distinct_fields: tuple[str, ...] = ()
    # When the item has keywords, at least this many entries of this field carry one.
    keyword_field: str = ""
    keyword_min_entries: int = 0
    # Whether the system message lists the field limits (the two original kinds keep
    # their prompts as they were: their limits are sanity caps, not a platform's).
    states_limits: bool = True

    @property
    def field_names(self) -> list[str]:
        return [spec.name for spec in self.fields]

    @property
    def key(self) -> str:
        """The kind and its channel as one string ("social_post:x"): the cache's key and
        the preview's choice."""
        return f"{self.slug}:{self.channel}" if self.channel else self.slug

    def field(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)

    def channel_slugs(self) -> list[str]:
        return [channel.slug for channel in self.channels]

    def for_channel(self, slug: str) -> "KindSpec":
        """The kind as written for one of its channels; KeyError for another."""
        channel = next((c for c in self.channels if c.slug == slug), None)
        if channel is None:
            raise KeyError(slug)
        fields = tuple(
            dataclasses.replace(spec, max_chars=channel.max_chars, counting=channel.counting,
                                max_hashtags=channel.max_hashtags)
            if spec.name == channel.field else spec
            for spec in self.fields)
        return dataclasses.replace(
            self, fields=fields, channel=slug,
            instructions=f"{self.instructions} {channel.instructions}")

    def as_dict(self) -> dict:
        """The kind as JSON (for pinning on a job); `from_dict` reads it back."""
        return {
            "slug": self.slug, "label": str(self.label), "instructions": self.instructions,
            "fields": [spec.as_dict() for spec in self.fields],
            "expected_output_tokens": self.expected_output_tokens,
            "channels": [channel.as_dict() for channel in self.channels],
            "channel": self.channel, "distinct_fields": list(self.distinct_fields),
            "keyword_field": self.keyword_field,
            "keyword_min_entries": self.keyword_min_entries,
            "states_limits": self.states_limits,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "KindSpec":
        return cls(
            slug=data["slug"], label=data["label"], instructions=data["instructions"],
            fields=tuple(FieldSpec.from_dict(spec) for spec in data["fields"]),
            expected_output_tokens=int(data["expected_output_tokens"]),
            channels=tuple(ChannelSpec(**channel) for channel in data.get("channels") or ()),
            channel=data.get("channel", ""),
            distinct_fields=tuple(data.get("distinct_fields") or ()),
            keyword_field=data.get("keyword_field", ""),
            keyword_min_entries=int(data.get("keyword_min_entries", 0)),
            states_limits=bool(data.get("states_limits", True)),
        )


def _text(name, label, max_chars, min_chars, min_words, **options) -> FieldSpec:
    return FieldSpec(name=name, label=label, max_chars=max_chars, min_chars=min_chars,
                     min_words=min_words, **options)


def _list(name, label, max_chars, min_chars, min_words, entries, **options) -> FieldSpec:
    return FieldSpec(name=name, label=label, max_chars=max_chars, min_chars=min_chars,
                     min_words=min_words, is_list=True, min_entries=entries[0],
                     max_entries=entries[1], **options)


# Google asks for at least this many headlines with a keyword when keywords are given
# (its ad strength rates "add popular keywords to your headlines"); two is the floor we
# enforce, since three headlines are the minimum of an ad.
RSA_KEYWORD_HEADLINES = 2
# Meta shows about 125 characters of primary text before "See more": that is the
# instruction; 500 is our hard cap (Meta takes more, but nobody reads it in a feed).
META_PRIMARY_TEXT_RECOMMENDED = 125
META_PRIMARY_TEXT_MAX = 500
# Facebook's own limit of a post.
FACEBOOK_POST_MAX = 63_206

PRODUCT_DESCRIPTION = KindSpec(
    slug="product_description", label=_("Product description"),
    instructions=(
        "Write a product description for an online shop: a title, a short description "
        "of one or two sentences, a full description of two or three paragraphs, three "
        "to six bullet points with concrete benefits, and a meta description for search "
        "engines of at most 160 characters."),
    fields=(
        _text("title", _("Title"), 150, 10, 2, platform_limit=False),
        _text("short_description", _("Short description"), 400, 40, 6, sentence=True,
              platform_limit=False),
        _text("description", _("Description"), 3000, 200, 30, sentence=True,
              platform_limit=False),
        _list("bullets", _("Bullets"), 250, 12, 3, (3, 6), platform_limit=False),
        _text("meta_description", _("Meta description"), 200, 50, 7, platform_limit=False),
    ),
    expected_output_tokens=450, states_limits=False,
)

MARKETING_COPY = KindSpec(
    slug="marketing_copy", label=_("Marketing copy"),
    instructions=(
        "Write marketing copy for a campaign: a headline, a body of one to three short "
        "paragraphs, and a call to action."),
    fields=(
        _text("headline", _("Headline"), 150, 10, 2, platform_limit=False),
        _text("body", _("Body"), 2000, 60, 10, sentence=True, platform_limit=False),
        _text("call_to_action", _("Call to action"), 100, 4, 1, platform_limit=False),
    ),
    expected_output_tokens=250, states_limits=False,
)

GOOGLE_RSA = KindSpec(
    slug="google_rsa", label=_("Google responsive search ad"),
    instructions=(
        "Write the assets of a Google Ads responsive search ad. Google mixes them freely, so "
        "every headline must make sense on its own and next to any other: between 3 and 15 "
        "headlines of at most 30 characters each, all different in meaning (never the same "
        "words reordered or reworded), covering the product, its benefits, the offer and a "
        "call to action; between 2 and 4 descriptions of at most 90 characters each, each "
        "a complete sentence; and two display-path parts of at most 15 characters each, "
        "one or two words that say where the link leads, with no spaces (use a hyphen). "
        f"When keywords are given, at least {RSA_KEYWORD_HEADLINES} headlines contain one "
        "of them exactly. No exclamation mark in headlines."),
    fields=(
        _list("headlines", _("Headlines"), 30, 3, 1, (3, 15)),
        _list("descriptions", _("Descriptions"), 90, 20, 4, (2, 4)),
        _text("path1", _("Path 1"), 15, 2, 1),
        _text("path2", _("Path 2"), 15, 2, 1),
    ),
    expected_output_tokens=330, distinct_fields=("headlines",),
    keyword_field="headlines", keyword_min_entries=RSA_KEYWORD_HEADLINES,
)

META_AD = KindSpec(
    slug="meta_ad", label=_("Meta ad"),
    instructions=(
        "Write a Meta (Facebook and Instagram) feed ad: primary text whose first "
        f"{META_PRIMARY_TEXT_RECOMMENDED} characters carry the message on their own, since "
        "the feed cuts the rest behind \"See more\" (stay under it when you can), a headline "
        "of at most 40 characters shown under the image, and a description of at most 30 "
        "characters that supports the headline."),
    fields=(
        _text("primary_text", _("Primary text"), META_PRIMARY_TEXT_MAX, 30, 5),
        _text("headline", _("Headline"), 40, 5, 1),
        _text("description", _("Description"), 30, 5, 1),
    ),
    expected_output_tokens=160,
)

EMAIL = KindSpec(
    slug="email", label=_("Email"),
    instructions=(
        "Write a marketing email: a subject line of at most 60 characters that makes the "
        "reader open it without shouting (no capitals-only words, no spam words), a "
        "preheader of at most 100 characters that adds to the subject instead of repeating "
        "it, a body of two to four short paragraphs in plain text, and the text of the "
        "call-to-action button, at most 40 characters, starting with a verb."),
    fields=(
        _text("subject", _("Subject"), 60, 10, 2),
        _text("preheader", _("Preheader"), 100, 20, 4),
        _text("body", _("Body"), 5000, 200, 30, sentence=True),
        _text("call_to_action", _("Call to action"), 40, 4, 1),
    ),
    expected_output_tokens=480,
)

SOCIAL_POST = KindSpec(
    slug="social_post", label=_("Social media post"),
    instructions=(
        "Write one social media post as its text, hashtags included, ready to publish."),
    fields=(_text("text", _("Text"), 280, 20, 4, counting="x"),),
    channels=(
        ChannelSpec(
            slug="x", label=_("X (Twitter)"), field="text", max_chars=280, counting="x",
            instructions=(
                "It is for X: at most 280 characters as X counts them (an emoji counts as "
                "2, a link as 23), one idea, at most two hashtags.")),
        ChannelSpec(
            slug="instagram", label=_("Instagram"), field="text", max_chars=2200,
            max_hashtags=30,
            instructions=(
                "It is an Instagram caption: at most 2,200 characters, the hook in the first "
                "line, and at most 30 hashtags, grouped at the end.")),
        ChannelSpec(
            slug="linkedin", label=_("LinkedIn"), field="text", max_chars=3000,
            instructions=(
                "It is a LinkedIn post: at most 3,000 characters, professional and concrete, "
                "short paragraphs, at most three hashtags at the end.")),
        ChannelSpec(
            slug="facebook", label=_("Facebook"), field="text", max_chars=FACEBOOK_POST_MAX,
            instructions=(
                "It is a Facebook post: at most 63,206 characters, but short posts do best, "
                "so keep it under 400 characters, friendly, with at most three hashtags.")),
    ),
    expected_output_tokens=200,
)

CATEGORY_PAGE = KindSpec(
    slug="category_page", label=_("Category page"),
    instructions=(
        "Write the text of a category page of an online shop, for search engines and "
        "people: an H1 heading of at most 70 characters naming the category, an intro of "
        "one or two sentences shown above the products, a body of two to four paragraphs "
        "shown below them (what the category holds, how to choose, care or use), a meta "
        "title of at most 60 characters and a meta description of at most 160 characters "
        "that invites the click. Use the keywords where they read naturally."),
    fields=(
        _text("h1", _("H1 heading"), 70, 5, 1),
        _text("intro", _("Intro"), 600, 60, 10, sentence=True),
        _text("body", _("Body"), 5000, 300, 45, sentence=True),
        _text("meta_title", _("Meta title"), 60, 15, 2),
        _text("meta_description", _("Meta description"), 160, 70, 10),
    ),
    expected_output_tokens=700,
)

BUILTIN_KINDS: dict[str, KindSpec] = {spec.slug: spec for spec in (
    PRODUCT_DESCRIPTION, MARKETING_COPY, GOOGLE_RSA, META_AD, EMAIL, SOCIAL_POST,
    CATEGORY_PAGE)}

# `localize` adapts existing content of another kind (its "source kind") into other
# locales: its fields, limits and checks are the source kind's, its instructions say how to
# adapt. It is no entry of BUILTIN_KINDS (it has no fields of its own), but a job's kind.
LOCALIZE = "localize"
LOCALIZE_LABEL = _("Localization of existing content")
DEFAULT_SOURCE_KIND = "product_description"
LOCALIZE_INSTRUCTIONS = (
    "Localize existing content for another market: the source content, written for "
    "another locale, is given in the user message. Adapt it for the target market as a "
    "native copywriter of that market would write it, not word for word: its idiom, form "
    "of address, punctuation and the way it writes numbers, prices, units and dates. Keep "
    "its meaning, its claims and every figure it gives (prices, sizes, counts, "
    "percentages, model numbers), written as the target market writes numbers; never "
    "convert a unit, never add a figure or a claim the source does not make. Keep the "
    "source's length roughly. Answer with the same fields as the source, each adapted "
    "from the source's field of the same name. The content is of this kind: ")

# For Job.kind's choices (labels lazy: translated when shown).
KIND_CHOICES = [(spec.slug, spec.label) for spec in BUILTIN_KINDS.values()] + [
    (LOCALIZE, LOCALIZE_LABEL)]


class UnknownKind(KeyError):
    """No such kind, or a channel the kind does not have (or lacks one it needs)."""


def localize_kind(source: KindSpec) -> KindSpec:
    """The `localize` kind for content of the kind `source`: the source's fields, limits
    and rules, the localization instructions; its key ("localize:social_post:x") names the
    source kind, so cached outputs of two source kinds never mix."""
    return dataclasses.replace(
        source, slug=LOCALIZE, label=LOCALIZE_LABEL, channels=(), channel=source.key,
        instructions=LOCALIZE_INSTRUCTIONS + source.instructions)


def kind_get(slug: str, channel: str = "") -> KindSpec:
    """The built-in kind `slug`, written for `channel` when it has channels; for
    `localize`, `channel` is the source kind's key (product_description by default)."""
    if slug == LOCALIZE:
        source = kind_resolve(channel or DEFAULT_SOURCE_KIND)
        if source.slug == LOCALIZE:
            raise UnknownKind(f"{slug}:{channel}")
        return localize_kind(source)
    spec = BUILTIN_KINDS.get(slug)
    if spec is None:
        raise UnknownKind(slug)
    if not spec.channels:
        if channel:
            raise UnknownKind(f"{slug}:{channel}")
        return spec
    try:
        return spec.for_channel(channel)
    except KeyError:
        raise UnknownKind(f"{slug}:{channel}") from None


def kind_resolve(kind: "str | KindSpec") -> KindSpec:
    """A kind given as a spec, a slug or a key ("social_post:x")."""
    if isinstance(kind, KindSpec):
        return kind
    slug, _sep, channel = kind.partition(":")
    return kind_get(slug, channel)


def _key_label(spec: KindSpec, channel: ChannelSpec | None):
    return format_lazy("{} · {}", spec.label, channel.label) if channel else spec.label


# Every built-in kind as (key, label), a social post once per channel: the admin's preview.
KIND_KEY_CHOICES = [
    (f"{spec.slug}:{channel.slug}" if channel else spec.slug, _key_label(spec, channel))
    for spec in BUILTIN_KINDS.values() for channel in (spec.channels or (None,))]


def expected_output_tokens(kind: "str | KindSpec") -> int:
    """What an item of the kind is expected to write, for estimates and routing: the
    kind's own figure unless GENERATION_EXPECTED_OUTPUT_TOKENS overrides it."""
    from django.conf import settings  # read at call time, never at import

    spec = kind_resolve(kind)
    overrides = getattr(settings, "GENERATION_EXPECTED_OUTPUT_TOKENS", {}) or {}
    return int(overrides.get(spec.key) or overrides.get(spec.slug)
               or spec.expected_output_tokens)
