"""CSV in and out of jobs: a job's items from an uploaded file (`reading`), its results
as a stream (`writing`)."""

from apps.jobs.csv_io.reading import CsvCellError, CsvInvalid, items_from_csv, price_normalise
from apps.jobs.csv_io.writing import items_csv_columns, items_csv_rows

__all__ = ["CsvCellError", "CsvInvalid", "items_csv_columns", "items_csv_rows",
           "items_from_csv", "price_normalise"]
