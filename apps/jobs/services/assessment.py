"""What an answer is worth: parsed against its kind's schema, then checked against the
brand's rules for the item and the quality gate (every check, and the 0-100 score that
`CheckReport.as_dict()` carries to the item's `quality`). Shared by the online pipeline
and the batch fold.

An A/B variant is also checked against its siblings (the same job, product and locale,
other variant numbers) as they are stored when it is assessed: variants run
concurrently, so two written at the same moment are each checked against what the other
had stored by then, not against each other's unsaved answer."""

import dataclasses
from dataclasses import dataclass
from decimal import Decimal

from apps.accounts.models import DEFAULT_QUALITY_THRESHOLD
from apps.generation.checks import CheckReport, CheckRules, SourceData, content_check
from apps.generation.client import LLMResult
from apps.generation.counting import grapheme_count
from apps.generation.glossary import glossary_check_for, item_texts
from apps.generation.kinds import KindSpec, kind_resolve
from apps.generation.localize_checks import LocalizationCheck
from apps.generation.prompts import ItemInput, brand_override, source_texts
from apps.generation.quality.defaults import field_bounds, sentence_fields
from apps.generation.schemas import OutputInvalid
from apps.generation.similarity import SiblingContent
from apps.jobs.domain import Attempt
from apps.jobs.models import GenerationAttempt, JobItem
from apps.localization.locales import locale_get

Outcome = GenerationAttempt.Outcome


def check_rules_for(*, brand: dict, kind: "str | KindSpec", locale: str, item: ItemInput,
                    quality_threshold: int | None = None) -> CheckRules:
    """The brand's rules for one item, as the output checks take them: the kind's
    minimums under the brand's length bounds, the item's data for the figures, and the
    workspace's quality threshold (the default one when not given)."""
    content_locale = locale_get(locale)
    kind = kind_resolve(kind)
    override = brand_override(brand, content_locale)
    required = list(brand.get("required_terms") or [])
    if brand.get("keywords_policy") == "required":
        required += item.keywords
    bounds, min_words = field_bounds(kind, brand.get("length_bounds"))
    if item.source_locale:
        return _localized_rules(brand=brand, kind=kind, locale=content_locale, item=item,
                                override=override, required=required, bounds=bounds,
                                min_words=min_words, quality_threshold=quality_threshold)
    # Generated content must keep the do-not-translate terms of the product's name and
    # never leave a rendered term untranslated (apps.generation.glossary).
    glossary = glossary_check_for(brand.get("glossary"), locale=content_locale,
                                  source_texts=item_texts(item), required_texts=(item.name,),
                                  quoted=(item.name, item.sku, brand["name"], *item.keywords),
                                  renderings_required=False)
    return CheckRules(
        language=content_locale.language,
        banned_terms=tuple(dict.fromkeys([*(brand.get("banned_terms") or []),
                                          *(override.get("banned_terms") or [])])),
        required_terms=tuple(dict.fromkeys(required)),
        length_bounds=bounds,
        known_phrases=(item.name, item.sku, brand["name"], *item.keywords,
                       *_brief_phrases(item), *(glossary.kept_terms if glossary else ())),
        prices=tuple(Decimal(price) for price in item.prices),
        min_words=min_words,
        sentence_fields=sentence_fields(kind),
        source=_source_data(item, content_locale),
        min_quality=(DEFAULT_QUALITY_THRESHOLD if quality_threshold is None
                     else quality_threshold),
        glossary=glossary,
        # The kind's own rules: how its limits count, hashtags, distinct entries.
        counting={spec.name: spec.counting for spec in kind.fields
                  if spec.counting != "graphemes"},
        max_hashtags={spec.name: spec.max_hashtags for spec in kind.fields
                      if spec.max_hashtags is not None},
        distinct_fields=kind.distinct_fields,
        keyword_entries=_keyword_entries(kind, item),
    )


def _localized_rules(*, brand: dict, kind: KindSpec, locale, item: ItemInput, override: dict,
                     required: list[str], bounds, min_words,
                     quality_threshold: int | None) -> CheckRules:
    """The rules of content localized from `item.source`: the kind's own rules as for
    generated content, and instead of the checks against product data (prices, figures of
    the data, echoes of the brief) the localization's: every source figure in the
    target's format and none added, the length of each field against its source's, and
    every glossary term of the source rendered (do-not-translate ones verbatim)."""
    quoted = (item.name, item.sku, brand["name"])
    field_texts = source_texts(dataclasses.replace(item, name=""))
    glossary = glossary_check_for(brand.get("glossary"), locale=locale,
                                  source_texts=source_texts(item), required_texts=field_texts,
                                  quoted=quoted, renderings_required=True)
    return CheckRules(
        language=locale.language,
        banned_terms=tuple(dict.fromkeys([*(brand.get("banned_terms") or []),
                                          *(override.get("banned_terms") or [])])),
        required_terms=tuple(dict.fromkeys(required)),
        length_bounds=bounds,
        known_phrases=(*[text for text in quoted if text],
                       *(glossary.kept_terms if glossary else ())),
        min_words=min_words,
        sentence_fields=sentence_fields(kind),
        min_quality=(DEFAULT_QUALITY_THRESHOLD if quality_threshold is None
                     else quality_threshold),
        localization=LocalizationCheck(source=item.source,
                                       source_locale=locale_get(item.source_locale),
                                       target_locale=locale, glossary=glossary),
        counting={spec.name: spec.counting for spec in kind.fields
                  if spec.counting != "graphemes"},
        max_hashtags={spec.name: spec.max_hashtags for spec in kind.fields
                      if spec.max_hashtags is not None},
        distinct_fields=kind.distinct_fields,
    )


def _keyword_entries(kind: KindSpec, item: ItemInput):
    """(field, minimum, keywords) when the kind wants keywords in a list's entries and the
    item has keywords that fit an entry; None otherwise."""
    if not kind.keyword_field or not item.keywords:
        return None
    limit = kind.field(kind.keyword_field).max_chars
    fitting = tuple(keyword for keyword in item.keywords if grapheme_count(keyword) <= limit)
    return (kind.keyword_field, kind.keyword_min_entries, fitting) if fitting else None


def _brief_phrases(item: ItemInput) -> list[str]:
    """The brief's names, quoted as given (a promoted product's name, the campaign's)."""
    return [text for text in (item.campaign, *(p.get("name", "") for p in item.products))
            if text]


def item_check_rules(item: JobItem) -> CheckRules:
    """The rules an item's content is checked with, wherever the content came from (the
    model online or in a batch, or a person's edit): one place, so an edit passes or
    fails exactly as the same text from the model would. Needs `job__brand_version` and
    `job__workspace` (select them with the item)."""
    job = item.job
    rules = check_rules_for(brand=job.brand_version.snapshot, kind=job.kind_spec,
                            locale=item.locale, item=ItemInput(**item.input),
                            quality_threshold=job.workspace.quality_threshold)
    return rules_with_siblings(rules, item)


def rules_with_siblings(rules: CheckRules, item: JobItem) -> CheckRules:
    """`rules` with the item's sibling variants as stored now (none for a single variant)."""
    return dataclasses.replace(rules, siblings=item_siblings(item))


def item_siblings(item: JobItem) -> tuple[SiblingContent, ...]:
    """The stored content of the item's other A/B variants (same job, product and locale),
    in variant order; empty for an item without variants (and no query is made)."""
    if item.variants <= 1:
        return ()
    rows = (JobItem.objects.filter(job_id=item.job_id, position=item.position,
                                   locale=item.locale, content__isnull=False)
            .exclude(pk=item.pk).order_by("variant").values_list("variant", "content"))
    return tuple(SiblingContent(variant, content) for variant, content in rows
                 if isinstance(content, dict))


def sibling_openings(siblings: tuple[SiblingContent, ...],
                     field_names: list[str]) -> tuple[str, ...]:
    """Each sibling's first text field in the kind's order (a headline, a title): what
    the prompt asks the model not to reuse. A few words each, so the prompt stays small.
    The kind's order, since a stored content's keys come back in jsonb's order."""
    openings = []
    for sibling in siblings:
        first = next((sibling.content[name] for name in field_names
                      if isinstance(sibling.content.get(name), str)
                      and sibling.content[name].strip()), None)
        if first is not None:
            openings.append(first.strip())
    return tuple(openings)


def _source_data(item: ItemInput, content_locale) -> SourceData:
    """What the content may quote: the data as the model saw it (figures in the market's
    format) and as the customer sent it (the raw figures, the attribute keys)."""
    shown = item.data_block(content_locale)
    texts = [item.name, item.sku, *item.keywords, item.offer, item.campaign, item.audience,
             item.landing_url]
    for product in item.products:
        texts += [str(value) for value in product.values()]
    for key, value in item.attributes.items():
        texts += [str(key), _flat(value), *_converted(str(key), value)]
    for key, value in (shown.get("attributes") or {}).items():
        texts += [str(key), _flat(value)]
    if item.price is not None:
        texts.append(item.price)
    if "price" in shown:
        texts.append(shown["price"])
    texts += [product["price"] for product in shown.get("products") or [] if "price" in product]
    return SourceData(texts=tuple(texts), brief=item.brief)


# A metric figure restated in the next unit is the same figure ("3 500 ml" = "3,5 l").
CONVERSIONS = {"ml": (Decimal("0.001"),), "l": (Decimal(1000),), "g": (Decimal("0.001"),),
               "kg": (Decimal(1000),), "mm": (Decimal("0.1"),),
               "cm": (Decimal(10), Decimal("0.01")), "m": (Decimal(100),)}


def _converted(key: str, value) -> list[str]:
    factors = CONVERSIONS.get(key.rpartition("_")[2].lower())
    if not factors or isinstance(value, bool):
        return []
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return []
    return [str((number * factor).normalize()) for factor in factors]


def _flat(value) -> str:
    if isinstance(value, dict):
        return " ".join(_flat(v) for v in value.values())
    if isinstance(value, list | tuple):
        return " ".join(_flat(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class Verdict:
    """An answer's content (None: not valid output), its check report, the attempt to
    bill, and the feedback for a rewrite."""

    content: dict | None
    report: CheckReport | None
    attempt: Attempt
    feedback: str = ""

    @property
    def passed(self) -> bool:
        return self.content is not None and self.report.passed


def answer_assess(*, result: LLMResult, schema, rules: CheckRules) -> Verdict:
    try:
        content = schema.parse(result.text)
    except OutputInvalid as exc:
        return Verdict(None, None, _attempt(result, Outcome.INVALID_OUTPUT, error=exc.reason),
                       f"{exc.reason}.")
    report = content_check(content, rules)
    checks = report.as_dict()
    if not report.passed:
        return Verdict(content, report, _attempt(result, Outcome.CHECK_FAILED, checks=checks,
                                                 error=report.feedback()), report.feedback())
    return Verdict(content, report, _attempt(result, Outcome.OK, checks=checks))


def _attempt(result: LLMResult, outcome: str, *, error: str = "",
             checks: dict | None = None) -> Attempt:
    return Attempt(outcome=outcome, usage=result.usage, latency_ms=result.latency_ms,
                   provider_model=result.provider_model, error=error, checks=checks)
