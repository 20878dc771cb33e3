"""The quality score: 100 for content that passed every check with room to spare, less
for each failure by how bad it is for a reader, less for what came close to failing.

A failed check always leaves the score below the pass mark of 50, because such content
is not published as it is; what no check failed but came close (a rare word or two, a
phrase said twice) costs a little, so a workspace's threshold can ask for more.
"""

from apps.generation.quality.report import CheckFailure

# What each failure costs: debris and gibberish are unpublishable, a length or a missing
# required term is a matter of fitting the brand.
PENALTIES = {
    "gibberish": 60, "debris": 60, "placeholder": 60, "language": 60, "repetition": 55,
    "figure": 55, "price": 55, "echo": 55, "markdown": 55, "banned_term": 55,
    "length": 55, "required_term": 51, "distinct": 51, "quality": 0,
}
FAILED_CEILING = 49
PER_UNKNOWN_WORD = 4  # a word the dictionary does not know, under the failing bar
PER_REPEATED_PHRASE = 3


def quality_score(failures: tuple[CheckFailure, ...], *, unknown_words: int,
                  repeated_phrases: int) -> int:
    score = 100
    for failure in failures:
        score -= PENALTIES.get(failure.check, 55)
    score -= min(unknown_words * PER_UNKNOWN_WORD, 30)
    score -= min(repeated_phrases * PER_REPEATED_PHRASE, 15)
    if failures:
        score = min(score, FAILED_CEILING)
    return max(0, min(100, score))
