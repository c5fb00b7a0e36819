"""Where each character of a rewritten text came from in the text before it.

Folding rewrites text in stages (mojibake repaired, NFKC, odd characters replaced, lower-case),
and almost all of every stage copies characters one for one. A stage's map therefore only
records what changed (:class:`PiecewiseMap`), or, for text re-decoded from Latin-1 to UTF-8,
the re-decoded text itself (:class:`RedecodedMap`: each character came from as many input
characters as it has UTF-8 bytes). :class:`FoldMap` chains the stages and maps only the
positions asked for, so cutting a few evidence spans out of a long description costs little.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

__all__ = ["Change", "FoldMap", "PiecewiseMap", "RedecodedMap"]


class StageMap(Protocol):
    def map_sorted(self, positions: list[int]) -> list[int]:
        """Input positions of output positions given in ascending order (the end included)."""
        ...


@dataclass(frozen=True)
class Change:
    """Input ``[in_start, in_end)`` became output ``[out_start, out_start + len(local))``;
    ``local[i]`` is the input index, counted from ``in_start``, of output character i."""

    in_start: int
    in_end: int
    out_start: int
    local: tuple[int, ...]

    @property
    def out_end(self) -> int:
        return self.out_start + len(self.local)


class PiecewiseMap:
    """Output copied one for one from the input, except where a :class:`Change` says otherwise
    (changes in text order)."""

    def __init__(self, changes: Sequence[Change]) -> None:
        self.changes = tuple(changes)

    def map_sorted(self, positions: list[int]) -> list[int]:
        changes = self.changes
        mapped: list[int] = []
        done = 0  # changes that end at or before the current position
        for position in positions:
            while done < len(changes) and changes[done].out_end <= position:
                done += 1
            if done < len(changes) and changes[done].out_start <= position:
                change = changes[done]
                mapped.append(change.in_start + change.local[position - change.out_start])
            elif done:
                before = changes[done - 1]
                mapped.append(before.in_end + position - before.out_end)
            else:
                mapped.append(position)
        return mapped


class RedecodedMap:
    """Output that is the input's Latin-1 bytes decoded as UTF-8: output character i starts at
    input index len(output[:i].encode("utf-8"))."""

    def __init__(self, output: str) -> None:
        self.output = output

    def map_sorted(self, positions: list[int]) -> list[int]:
        mapped: list[int] = []
        consumed = previous = 0
        for position in positions:
            consumed += len(self.output[previous:position].encode("utf-8", "surrogatepass"))
            previous = position
            mapped.append(consumed)
        return mapped


class FoldMap:
    """Maps positions of a folded text back into the original, through every stage that
    changed something (listed from the last stage back to the first)."""

    def __init__(self, original_length: int, folded_length: int, stages: Iterable[StageMap]) -> None:
        self.original_length = original_length
        self.folded_length = folded_length
        self.stages = tuple(stages)

    def positions(self, indices: Iterable[int]) -> dict[int, int]:
        """Original index of each folded index (``folded_length`` maps to ``original_length``)."""
        wanted = sorted(set(indices))
        mapped = wanted
        for stage in self.stages:
            mapped = stage.map_sorted(mapped)
        return dict(zip(wanted, mapped, strict=True))

    def offsets(self) -> list[int]:
        """The original index of every folded character, and ``original_length`` at the end."""
        found = self.positions(range(self.folded_length + 1))
        return [found[i] for i in range(self.folded_length + 1)]

    def spans(self, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
        """The span of the original each folded ``[start, end)`` (``end > start``) came from.

        It runs from where the first character came from to the start of the character after
        the last one, or, when the last character is one of several that a single original
        character gave (㈱ -> (株)), to the end of that original character.
        """
        found = self.positions(i for start, end in spans for i in (start, end - 1, end))
        out = []
        for start, end in spans:
            last, after = found[end - 1], found[end]
            out.append((found[start], after if after > last else last + 1))
        return out

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.spans([(start, end)])[0]
