import django_filters

from apps.jobs.models import JobItem


class JobItemFilter(django_filters.FilterSet):
    """`?status=failed&status=needs_review&review=pending&locale=ru-RU&sku=LAMP-1` on a
    job's items."""

    status = django_filters.MultipleChoiceFilter(choices=JobItem.Status.choices)
    review = django_filters.MultipleChoiceFilter(choices=JobItem.Review.choices)
    locale = django_filters.CharFilter()
    sku = django_filters.CharFilter()

    class Meta:
        model = JobItem
        fields = ["status", "review", "locale", "sku"]
