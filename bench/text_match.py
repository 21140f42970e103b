"""What script-aware matching costs on the paths it runs on, in English, Arabic and Chinese: the
word-filter check of a submission (200 entries), the near-duplicate check of a submission against
its theme's 60 newest questions (texts already prepared, and all new), a similar-question look-up
among 500 published questions, and preparing those 500 (a refresh of the shared copy). The last
line per language is the look-up as it was before (rapidfuzz's own ``default_process``), for
comparison.

    .venv/bin/python bench/text_match.py [--runs 2000] [--json PATH]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rapidfuzz import fuzz, process, utils  # noqa: E402

from bench.common import machine, write_json  # noqa: E402
from moderator.core import similarity, text_match  # noqa: E402

# The words (the characters, in Chinese) random questions are made of.
VOCABULARY = {
    "en": "how do you handle visa delays for exchange placements funding alumni networks south "
    "cooperation programme gender balance outcomes scaling integration partners",
    "ar": "كيف تتعاملون مع تأخير التأشيرات للمشاركين في برامج التبادل تمويل شبكات الخريجين "
    "التعاون بين بلدان الجنوب التوازن بين الجنسين النتائج المستدامة",
    "zh": "你们如何处理交流人员签证延误的问题联合研究报告会在网上发布吗资金从哪里来南南合作",
}


def words(language: str) -> list[str]:
    return list(VOCABULARY[language]) if language == "zh" else VOCABULARY[language].split()


def texts(language: str, count: int, rng: random.Random) -> list[str]:
    joiner = "" if language == "zh" else " "
    size = (20, 60) if language == "zh" else (8, 30)
    vocabulary = words(language)
    return [
        joiner.join(rng.choice(vocabulary) for _ in range(rng.randint(*size))) + "?"
        for _ in range(count)
    ]


def timed(call: Callable[[], object], runs: int) -> dict[str, float]:
    took = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        took.append((time.perf_counter() - started) * 1e6)
    took.sort()
    return {
        "median_us": round(statistics.median(took), 1),
        "p99_us": round(took[int(len(took) * 0.99)], 1),
    }


def measure(language: str, runs: int) -> dict[str, dict[str, float]]:
    rng = random.Random(7)
    recent = list(enumerate(texts(language, 60, rng)))
    published = list(enumerate(texts(language, 500, rng)))
    questions = texts(language, runs, rng)
    word_filter = [f"word{n}" for n in range(199)] + words(language)[-1:]
    prepared = similarity.prepare(published)
    old_prepared = {k: utils.default_process(v) for k, v in published}
    asked = iter(range(10**9))

    def new_recent() -> None:
        similarity._prepared.cache_clear()  # every text prepared again
        similarity.best_match(questions[0], recent)

    def old_look_up() -> None:
        process.extract(
            utils.default_process(questions[next(asked) % runs]),
            old_prepared,
            scorer=fuzz.token_set_ratio,
            score_cutoff=similarity.SUGGEST_SCORE,
            limit=3,
            processor=None,
        )

    return {
        "word_filter": timed(
            lambda: text_match.filtered_word(word_filter, questions[next(asked) % runs]), runs
        ),
        "near_duplicate": timed(
            lambda: similarity.best_match(questions[next(asked) % runs], recent), runs
        ),
        "near_duplicate_cold": timed(new_recent, max(1, runs // 20)),
        "look_up": timed(
            lambda: similarity.ranked_prepared(questions[next(asked) % runs], prepared, 3), runs
        ),
        "prepare_500": timed(
            lambda: [similarity._prepare(text) for _id, text in published], max(1, runs // 100)
        ),
        "look_up_before": timed(old_look_up, runs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()
    figures: dict[str, object] = {"machine": machine(), "runs": args.runs}
    for language in VOCABULARY:
        result = measure(language, args.runs)
        figures[language] = result
        for name, times in result.items():
            print(
                f"  {language} {name:20}: median {times['median_us']} µs, p99 {times['p99_us']} µs"
            )
    write_json(args.json, figures)


if __name__ == "__main__":
    main()
