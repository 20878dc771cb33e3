"""Job writes, one module per concern (HackSoft's "services as a package"):

- `planning`: the brand version, routing and pricing every item, cache hits, estimates;
- `submission`: writing a job and its items, idempotency keys;
- `dispatch` and `batch`: sending items to their queues or a provider's Batch API;
- `pipeline`: generating one item (claim, pace, call, assess, rewrite);
- `lifecycle`: cancel, retry, resume;
- `review`: a person's edit, approval or rejection of an item's content, and its revisions;
- `recovery`: re-sending what Redis lost or a dead worker dropped;
and the lower modules they share: `ledger` (the only writer of item and job state,
attempts and bills), `assessment`, `budget`, `cache`, `sending` and `events`.

Callers import from here; the modules import each other only downwards (the import
contract in pyproject.toml checks it).
"""

from apps.jobs.services.batch import batches_poll, items_batch_submit
from apps.jobs.services.dispatch import job_dispatch
from apps.jobs.services.leases import lease_keeper_start
from apps.jobs.services.lifecycle import job_cancel, job_resume, job_retry
from apps.jobs.services.pipeline import item_generate
from apps.jobs.services.planning import JobEstimate, ModelEstimate, job_estimate, job_plan
from apps.jobs.services.recovery import Recovery, recovery_sweep
from apps.jobs.services.review import item_approve, item_edit, item_reject, item_revisions
from apps.jobs.services.submission import (
    Submitted,
    idempotency_key_clean,
    job_submit,
    job_submit_idempotent,
    submission_hash,
)

__all__ = [
    "JobEstimate",
    "ModelEstimate",
    "Recovery",
    "Submitted",
    "batches_poll",
    "idempotency_key_clean",
    "item_approve",
    "item_edit",
    "item_generate",
    "item_reject",
    "item_revisions",
    "items_batch_submit",
    "job_cancel",
    "job_dispatch",
    "job_estimate",
    "job_plan",
    "job_resume",
    "job_retry",
    "job_submit",
    "job_submit_idempotent",
    "lease_keeper_start",
    "recovery_sweep",
    "submission_hash",
]
