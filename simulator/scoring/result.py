"""What the scorer returns: a score, level and evidence per rubric item, plus the overall."""

from __future__ import annotations

from dataclasses import dataclass

Span = tuple[int, int]


@dataclass(frozen=True)
class ItemScore:
    """One criterion or flag: graded score, rubric level, and the words that produced it."""

    score: float  # 0..1, rounded to 4 places
    level: int
    label: str
    evidence: tuple[Span, ...]  # [start, end) character spans in the response, merged, sorted
    feedback: str

    def to_json(self, *, with_level: bool = True) -> dict:
        """The CLI shape: score, (level), evidence as [start, end] pairs."""
        shaped: dict = {"score": self.score}
        if with_level:
            shaped["level"] = self.level
        shaped["evidence"] = [[start, end] for start, end in self.evidence]
        return shaped

    def quotes(self, response: str) -> list[str]:
        """The evidence as the trainee's own words."""
        return [response[start:end] for start, end in self.evidence]


@dataclass(frozen=True)
class ScoreResult:
    """The scored response: every criterion and flag of the rubric, overall and confidence."""

    criteria: dict[str, ItemScore]
    flags: dict[str, ItemScore]
    overall: float
    confidence: float
    repeats: int | None = None  # index of the earlier answer of the attempt this one repeats

    def measures(self) -> dict[str, float]:
        """Every criterion id, flag id, "overall" and "flagged" (the strongest flag) mapped to its
        score (for branch conditions)."""
        found = {item_id: item.score for item_id, item in self.criteria.items()}
        found.update({item_id: item.score for item_id, item in self.flags.items()})
        found["overall"] = self.overall
        found["flagged"] = max((item.score for item in self.flags.values()), default=0.0)
        return found

    def to_json(self) -> dict:
        """The JSON-lines shape of `simulator score --jsonl` (without the id)."""
        return {
            "criteria": {cid: item.to_json() for cid, item in self.criteria.items()},
            "flags": {fid: item.to_json(with_level=False) for fid, item in self.flags.items()},
            "overall": self.overall,
            "confidence": self.confidence,
            **({"repeats": self.repeats} if self.repeats is not None else {}),
        }
