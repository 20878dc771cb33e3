"""Content negotiation of the API: which renderer answers a request.

Apart from rest_framework.views on purpose: DRF's APIView reads the negotiation class
from settings when it is defined, so this module must not import it.
"""

from itertools import groupby

from django.utils.http import parse_header_parameters
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.utils.mediatypes import media_type_matches, order_by_precedence


def _accept_quality(token: str) -> float:
    try:
        return float(parse_header_parameters(token)[1].get("q", 1))
    except ValueError:
        return 0.0  # an unreadable q is no preference for that type


class FormatOrAcceptNegotiation(DefaultContentNegotiation):
    """Picks the renderer: `?format=` first, then `Accept` by q-value, then specificity.

    `?format=csv` names a renderer of the view by its format, for links and spreadsheet
    imports that cannot set headers; a format the view lacks is ignored, as it always was
    (DRF's own URL_FORMAT_OVERRIDE would answer it with a 404). DRF ranks Accept by
    specificity alone, so `text/csv, application/json;q=0.5` got JSON; here the
    preferred q-value wins, a browser's `*/*;q=0.8` still reaches JSON, and q=0 refuses.
    """

    def select_renderer(self, request, renderers, format_suffix=None):
        wanted = request.query_params.get("format")
        for renderer in renderers:
            if wanted and renderer.format == wanted:
                return renderer, renderer.media_type
        ranked = sorted(self.get_accept_list(request), key=_accept_quality, reverse=True)
        for quality, tokens in groupby(ranked, key=_accept_quality):
            if quality <= 0:
                break
            for media_types in order_by_precedence(tokens):
                for renderer in renderers:
                    if any(media_type_matches(renderer.media_type, media_type)
                           for media_type in media_types):
                        return renderer, renderer.media_type
        raise exceptions.NotAcceptable(available_renderers=renderers)


class CsvStreamRenderer(BaseRenderer):
    """Makes `text/csv` negotiable. A CSV view streams its own StreamingHttpResponse (so
    30,000 rows never sit in memory) and errors are JSON, so DRF never renders with it."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"


class GoogleAdsCsvRenderer(CsvStreamRenderer):
    """Makes Google Ads Editor's CSV negotiable: `?format=google-ads-csv`, or `Accept:
    text/csv; profile=google-ads-editor`. Listed before plain CSV: its profile parameter
    keeps a plain `Accept: text/csv` from matching it, but a plain renderer listed first
    would match the profiled Accept."""

    media_type = "text/csv; profile=google-ads-editor"
    format = "google-ads-csv"


class CsvExportMixin:
    """A view whose GET streams CSV when `Accept: text/csv` or `?format=csv` asks for it
    (`request.accepted_renderer.format == "csv"`), and JSON otherwise. Its other methods
    (OPTIONS) answer JSON only, since only the GET body has a CSV form."""

    renderer_classes = [JSONRenderer, CsvStreamRenderer]

    def get_renderers(self):
        renderers = super().get_renderers()
        if self.request.method in ("GET", "HEAD"):
            return renderers
        return [renderer for renderer in renderers if not isinstance(renderer, CsvStreamRenderer)]
