"""What an answer is worth: parsed against its kind's schema, then checked against the
brand's rules for the item. Shared by the online pipeline and the batch fold."""

from dataclasses import dataclass
from decimal import Decimal

from apps.generation.checks import CheckReport, CheckRules, content_check
from apps.generation.client import LLMResult
from apps.generation.prompts import ItemInput, brand_override
from apps.generation.schemas import CONTENT_FIELDS, OutputInvalid
from apps.jobs.domain import Attempt
from apps.jobs.models import GenerationAttempt
from apps.localization.locales import locale_get

Outcome = GenerationAttempt.Outcome


def check_rules_for(*, brand: dict, kind: str, locale: str, item: ItemInput) -> CheckRules:
    """The brand's rules for one item, as the output checks take them."""
    content_locale = locale_get(locale)
    override = brand_override(brand, content_locale)
    required = list(brand.get("required_terms") or [])
    if brand.get("keywords_policy") == "required":
        required += item.keywords
    bounds = {field: (None, limit) for field, limit in CONTENT_FIELDS[kind].items()}
    for field, bound in (brand.get("length_bounds") or {}).items():
        if field in bounds:
            bounds[field] = (bound.get("min"), bound.get("max") or bounds[field][1])
    return CheckRules(
        language=content_locale.language,
        banned_terms=tuple(dict.fromkeys([*(brand.get("banned_terms") or []),
                                          *(override.get("banned_terms") or [])])),
        required_terms=tuple(dict.fromkeys(required)),
        length_bounds=bounds,
        known_phrases=(item.name, item.sku, brand["name"], *item.keywords),
        prices=(Decimal(item.price),) if item.price is not None else (),
    )


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
