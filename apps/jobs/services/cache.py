"""The output cache: the same product, brand version, kind, locale, model and A/B variant
as an earlier succeeded item gets that item's content back, unbilled (unless `fresh`)."""

from django.conf import settings
from django.db import connection
from django.utils import timezone

from apps.core.digest import json_digest
from apps.generation.kinds import BUILTIN_KINDS, KindSpec
from apps.generation.prompts import ItemInput
from apps.jobs.models import ContentCacheEntry, JobItem

# Bump when prompts or checks change in a way that should invalidate cached outputs.
CACHE_FORMAT = 1


def cache_key(*, workspace_id: int, version_id: int, kind: str, locale: str, item: ItemInput,
              model: str, variant: int = 1, variants: int = 1) -> str:
    # Everything that shapes the output: change any of it and the cache misses. Variant 2
    # of 3 is another text than variant 1 (or than a single version): its key says so. A
    # single version keeps the key it had before variants existed.
    shape = [workspace_id, version_id, kind, locale, item.as_json(), model,
             settings.GENERATION_MAX_OUTPUT_TOKENS, CACHE_FORMAT]
    if variants > 1:
        shape.append({"variant": variant, "of": variants})
    return json_digest(shape)


def kind_cache_name(kind: KindSpec) -> str:
    """The kind as the cache key names it: a built-in by its key ("social_post:x"), a
    custom kind by its whole definition, so an edited kind never gets the old kind's text."""
    if kind.slug in BUILTIN_KINDS:
        return kind.key
    return f"{kind.slug}@{json_digest(kind.as_dict())}"


def item_cache_key(item: JobItem) -> str:
    """The key of an item's own output."""
    job = item.job
    return cache_key(workspace_id=job.workspace_id, version_id=job.brand_version_id,
                     kind=kind_cache_name(job.kind_spec), locale=item.locale,
                     item=ItemInput(**item.input), model=item.model, variant=item.variant,
                     variants=item.variants)


def cache_lookup(*, workspace_id: int, keys: set[str]) -> dict[str, ContentCacheEntry]:
    return {entry.key: entry for entry in ContentCacheEntry.objects.filter(
        workspace_id=workspace_id, key__in=keys)}


def cache_store(*, item: JobItem, content: dict, checks: dict | None, model_used: str) -> None:
    job = item.job
    key = item_cache_key(item)
    # Insert-or-ignore: the same product may finish in two jobs at once. Written as SQL
    # (PostgreSQL and SQLite share it): it runs for every item, and the ORM's insert
    # costs ten times the statement.
    field = ContentCacheEntry._meta.get_field
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {ContentCacheEntry._meta.db_table} "
            "(workspace_id, key, model, content, checks, created_at) "
            "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (workspace_id, key) DO NOTHING",
            [job.workspace_id, key, model_used,
             field("content").get_db_prep_save(content, connection),
             field("checks").get_db_prep_save(checks, connection),
             field("created_at").get_db_prep_save(timezone.now(), connection)])


def cache_forget(*, item: JobItem) -> None:
    """A person rejected the item's content: the same product in a later job must not get
    it back from the cache, unbilled and marked succeeded."""
    ContentCacheEntry.objects.filter(workspace_id=item.job.workspace_id,
                                     key=item_cache_key(item)).delete()
