from django.db import models


class AttemptRollup(models.Model):
    """Totals of the model calls up to attempt `through_id`, per model and outcome, so a
    metrics scrape sums only the calls made since (not the whole attempts table)."""

    model = models.CharField(max_length=64)
    outcome = models.CharField(max_length=32)
    calls = models.BigIntegerField(default=0)
    input_tokens = models.BigIntegerField(default=0)
    output_tokens = models.BigIntegerField(default=0)
    cost_usd = models.DecimalField(max_digits=18, decimal_places=8, default=0)
    through_id = models.BigIntegerField(default=0)  # the same on every row

    class Meta:
        constraints = [models.UniqueConstraint(fields=["model", "outcome"],
                                               name="attempt_rollup_unique")]

    def __str__(self):
        return f"{self.model}/{self.outcome}: {self.calls} calls"
