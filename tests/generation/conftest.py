import uuid

import pytest
import redis
from django.conf import settings


@pytest.fixture
def redis_client():
    """A plain connection to the suite's real Redis."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    yield client
    client.close()


@pytest.fixture
def prefix():
    """A key prefix of the test's own, so tests never share limiter or breaker state."""
    return f"test:{uuid.uuid4().hex}"
