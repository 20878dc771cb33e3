"""The quality gate's checks, one concern per module, run by `apps.generation.checks`.

`report` holds the rules and the report the checks share; `dictionaries` loads the
Hunspell dictionaries once per process; `words` judges whether the words exist and which
language a short field is in; `debris` finds leftovers of code, markup and templates;
`figures` holds the output's numbers to the item's data; `repetition` finds degenerate
text; `defaults` gives every kind's fields their minimums; `score` turns a report into
a 0-100 figure.
"""
