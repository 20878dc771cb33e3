import logging

import redis
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)


class ApiKeyRateThrottle(SimpleRateThrottle):
    """Every request, counted per API key (DRF answers 429 with Retry-After)."""

    scope = "api_key"

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except redis.RedisError as exc:
            # The counters live in Redis; without it the API still answers (unthrottled)
            # rather than failing every request.
            logger.warning("throttle counters unavailable: %s", exc)
            return True

    def get_cache_key(self, request, view):
        api_key = getattr(request, "auth", None)
        if api_key is None:
            return None  # unauthenticated requests are refused before they cost anything
        # The digest, not the row id: ids can be reused, a key's digest never is.
        return self.cache_format % {"scope": self.scope, "ident": api_key.digest[:32]}


class ApiKeySubmitThrottle(ApiKeyRateThrottle):
    """Job submissions and estimates, the requests that cost work, counted apart."""

    scope = "api_key_submit"

    def allow_request(self, request, view):
        if request.method != "POST" or not getattr(view, "throttle_submissions", False):
            return True
        return super().allow_request(request, view)


class InvalidApiKeyThrottle(ApiKeyRateThrottle):
    """Requests with a wrong or revoked key, counted per client address: guessing keys
    gets a 429 after a few tries. Authentication calls it (DRF's throttles run after
    authentication, which a wrong key never passes); a right key is never counted here,
    so a client behind the same address with a valid key is unaffected."""

    scope = "invalid_api_key"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
