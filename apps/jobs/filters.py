import django_filters
from django import forms

from apps.jobs.limits import VARIANTS_MAX
from apps.jobs.models import JobItem


class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField  # "1.5" is a 400, not a filter that matches nothing


class JobItemFilter(django_filters.FilterSet):
    """`?status=failed&status=needs_review&review=pending&locale=ru-RU&sku=LAMP-1&variant=2`
    on a job's items."""

    status = django_filters.MultipleChoiceFilter(choices=JobItem.Status.choices)
    review = django_filters.MultipleChoiceFilter(choices=JobItem.Review.choices)
    locale = django_filters.CharFilter()
    sku = django_filters.CharFilter()
    variant = IntegerFilter(min_value=1, max_value=VARIANTS_MAX)

    class Meta:
        model = JobItem
        fields = ["status", "review", "locale", "sku", "variant"]
