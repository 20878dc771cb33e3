"""Domain errors raised by services; the API's one exception handler maps them.

Each error carries a stable machine `code` and a translated `message`; `fields`
names the input fields at fault (dotted paths such as ``items.3.image_urls``).
"""

from django.utils.translation import gettext_lazy as _


class ServiceError(Exception):
    code = "error"
    default_message = _("The request could not be completed.")

    def __init__(self, message=None, *, code: str | None = None, fields: dict | None = None,
                 extra: dict | None = None):
        self.message = message if message is not None else self.default_message
        if code:
            self.code = code
        self.fields = fields or {}
        self.extra = extra or {}
        super().__init__(str(self.message))


class InvalidInput(ServiceError):
    code = "invalid"
    default_message = _("The request has invalid fields.")


class NotFound(ServiceError):
    code = "not_found"
    default_message = _("Not found.")


class Conflict(ServiceError):
    code = "conflict"
    default_message = _("The request conflicts with the current state.")


class BudgetExceeded(ServiceError):
    code = "budget_exceeded"
    default_message = _("This would pass the workspace's monthly budget.")
