"""Input patterns that more than one app checks, defined once so that the JSON API, the
CSV import and the brand settings accept and refuse exactly the same values.

Patterns are anchored (``^…$``) because they are also published in the OpenAPI schema,
where an unanchored pattern means "contains"; match them with ``fullmatch``.
"""

import re

from django.utils.translation import gettext_lazy as _

# An ISO 4217 alphabetic code: EUR, USD, RUB. Case matters: "eur" is refused, not fixed.
CURRENCY_CODE_RE = re.compile(r"^[A-Z]{3}$")
CURRENCY_CODE_MESSAGE = _("Use a three-letter ISO 4217 code such as EUR.")
