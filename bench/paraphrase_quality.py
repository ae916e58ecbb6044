"""Benchmark: how well the /debrief paraphrase reviewer finds what a sales coach would find.

Reviews every paraphrase in ``tests/data/paraphrases.yaml`` (labelled by hand, with a
frozen 25% test split that the rules are never tuned on) and prints, for the train and
the test split: precision, recall and F1 per finding, micro-F1 over all findings, the
share of good paraphrases with no false alarm, and the slowest review (best of a few
runs per paraphrase), beside a baseline run in the same process: splitting the same
text into words, the least any review must do.

    python bench/paraphrase_quality.py
    python bench/paraphrase_quality.py --show-misses    # each wrong call, to study (train only)

Goals on the test split: micro-F1 >= 0.90, >= 90% of good paraphrases with no false
alarm, every review under 5 ms. tests/coaching/test_paraphrase_quality.py holds the
first two in CI.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.coaching.paraphrase import Review, Rules, review
from bot.config import Coaching
from bot.services.paraphrases import TEXT_MAX

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "paraphrases.yaml"
#: The findings the set is labelled with.
LABELS = (
    "solution_talk",
    "no_problem",
    "we_talk",
    "no_impact",
    "no_why_now",
    "jargon",
    "too_long",
    "no_customer_problem",
)
GOAL_MICRO_F1 = 0.90
GOAL_GOOD_CLEAN = 0.90
GOAL_SLOWEST_MS = 5.0


@dataclass(frozen=True)
class Item:
    id: str
    split: str
    industry: str
    text: str
    findings: frozenset[str]


@dataclass(frozen=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def plus(self, tp: int, fp: int, fn: int) -> Counts:
        return Counts(self.tp + tp, self.fp + fp, self.fn + fn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Figures:
    split: str
    items: int
    per_kind: dict[str, Counts]
    micro: Counts
    good: int
    good_clean: int
    slowest_ms: float
    slowest_baseline_ms: float
    misses: list[tuple[Item, frozenset[str]]]

    @property
    def good_clean_share(self) -> float:
        return self.good_clean / self.good if self.good else 1.0


def load(path: Path = DATA) -> tuple[Rules, list[Item]]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    rules = Rules.from_config(Coaching(product_names=list(data.get("product_names", []))))
    items = [
        Item(
            id=str(raw["id"]),
            split=str(raw["split"]),
            industry=str(raw["industry"]),
            text=str(raw["text"]),
            findings=frozenset(str(kind) for kind in raw["findings"]),
        )
        for raw in data["items"]
    ]
    return rules, items


def _best_ms(run: Callable[[str], object], text: str, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        run(text)
        best = min(best, time.perf_counter() - started)
    return best * 1000


def _baseline(text: str) -> object:
    return text.split()


def evaluate(rules: Rules, items: Iterable[Item], split: str, *, repeats: int = 5) -> Figures:
    per_kind = {label: Counts() for label in LABELS}
    micro = Counts()
    good = good_clean = 0
    slowest = slowest_baseline = 0.0
    misses: list[tuple[Item, frozenset[str]]] = []
    chosen = [item for item in items if item.split == split]
    for item in chosen:
        result: Review = review(item.text, rules)
        found = frozenset(kind.value for kind in result.kinds)
        for label in LABELS:
            tp = int(label in found and label in item.findings)
            fp = int(label in found and label not in item.findings)
            fn = int(label not in found and label in item.findings)
            per_kind[label] = per_kind[label].plus(tp, fp, fn)
            micro = micro.plus(tp, fp, fn)
        if not item.findings:
            good += 1
            good_clean += not found
        if found != item.findings:
            misses.append((item, found))
        slowest = max(slowest, _best_ms(lambda text: review(text, rules), item.text, repeats))
        slowest_baseline = max(slowest_baseline, _best_ms(_baseline, item.text, repeats))
    return Figures(
        split, len(chosen), per_kind, micro, good, good_clean, slowest, slowest_baseline, misses
    )


def report(figures: Figures) -> list[str]:
    lines = [f"== {figures.split} split: {figures.items} paraphrases, {figures.good} good =="]
    lines.append(f"{'finding':<22}{'P':>6}{'R':>6}{'F1':>6}{'TP':>5}{'FP':>5}{'FN':>5}")
    for label, c in figures.per_kind.items():
        lines.append(
            f"{label:<22}{c.precision:6.2f}{c.recall:6.2f}{c.f1:6.2f}{c.tp:5}{c.fp:5}{c.fn:5}"
        )
    m = figures.micro
    ratio = figures.slowest_ms / figures.slowest_baseline_ms if figures.slowest_baseline_ms else 0
    lines += [
        f"micro: P {m.precision:.3f}  R {m.recall:.3f}  F1 {m.f1:.3f}  (goal >= {GOAL_MICRO_F1})",
        f"good paraphrases with no false alarm: {figures.good_clean}/{figures.good} = "
        f"{figures.good_clean_share:.0%}  (goal >= {GOAL_GOOD_CLEAN:.0%})",
        f"slowest review: {figures.slowest_ms:.3f} ms (goal < {GOAL_SLOWEST_MS} ms); baseline "
        f"(split into words) {figures.slowest_baseline_ms:.4f} ms; ratio x{ratio:.0f}",
    ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-misses", action="store_true", help="list wrong calls (train)")
    args = parser.parse_args()
    rules, items = load()
    longest = " ".join(item.text for item in items)[:TEXT_MAX]
    ms, baseline = (
        _best_ms(lambda t: review(t, rules), longest, 20),
        _best_ms(_baseline, longest, 20),
    )
    print(
        f"longest accepted paraphrase ({TEXT_MAX:,} characters, far past too long): "
        f"{ms:.3f} ms; baseline {baseline:.4f} ms; ratio x{ms / baseline:.0f}",
        end="\n\n",
    )
    for split in ("train", "test"):
        figures = evaluate(rules, items, split)
        print("\n".join(report(figures)), end="\n\n")
        if args.show_misses and split == "train":
            for item, found in figures.misses:
                extra = sorted(found - item.findings)
                missed = sorted(item.findings - found)
                print(f"{item.id} +{extra} -{missed}: {item.text[:150]}")
            print()


if __name__ == "__main__":
    main()
