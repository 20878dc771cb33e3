from django import forms
from django.contrib import admin

from apps.generation.catalog import catalog_get
from apps.generation.models import ModelPrice
from apps.generation.services import model_price_set


@admin.register(ModelPrice)
class ModelPriceAdmin(admin.ModelAdmin):
    list_display = ("model", "input_usd_per_mtok", "output_usd_per_mtok", "context_tokens",
                    "source", "updated_at")
    readonly_fields = ("source", "updated_at")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "model":
            return forms.ChoiceField(choices=[(key, key) for key in catalog_get()],
                                     label=db_field.verbose_name)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        model_price_set(model=obj.model, input_usd_per_mtok=obj.input_usd_per_mtok,
                        output_usd_per_mtok=obj.output_usd_per_mtok,
                        context_tokens=obj.context_tokens)
