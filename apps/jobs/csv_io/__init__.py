"""CSV in and out of jobs: a job's items from an uploaded file (`reading`), its results
as a stream (`writing`), a google_rsa job's ads for Google Ads Editor (`google_ads`)."""

from apps.jobs.csv_io.google_ads import google_ads_csv_rows
from apps.jobs.csv_io.reading import CsvCellError, CsvInvalid, items_from_csv, price_normalise
from apps.jobs.csv_io.writing import items_csv_columns, items_csv_rows

__all__ = ["CsvCellError", "CsvInvalid", "google_ads_csv_rows", "items_csv_columns",
           "items_csv_rows",
           "items_from_csv", "price_normalise"]
