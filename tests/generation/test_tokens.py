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
    text = "Описание товара. " * 300

    assert count_tokens(text) == count_tokens(text) > 300
