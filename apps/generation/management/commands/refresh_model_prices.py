from django.core.management.base import BaseCommand

from apps.generation.services import model_prices_refresh


class Command(BaseCommand):
    help = "Refresh the model catalog's prices from each route's OpenAI-compatible /models listing."

    def handle(self, *args, **options):
        for model, price in model_prices_refresh().items():
            if price is None:
                self.stdout.write(f"{model}: the listing publishes no price; unchanged")
            else:
                self.stdout.write(f"{model}: input ${price.input_usd_per_mtok}/M, "
                                  f"output ${price.output_usd_per_mtok}/M, "
                                  f"context {price.context_tokens or '-'}")
