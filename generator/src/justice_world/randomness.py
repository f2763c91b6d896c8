"""Seeded random streams and keyed permutations.

Every random draw comes from a stream named by purpose and chunk, so the world is the same whatever the
number of worker processes, and identifiers are keyed pseudo-random permutations of an enumeration: unique
by construction and carrying nothing a linker could use to recover who is who.
"""

from __future__ import annotations

import hashlib

import numpy as np

_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)


def _stream_key(name: str) -> int:
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "little")


def rng(seed: int, purpose: str, chunk: int = 0) -> np.random.Generator:
    """A generator for one purpose within one chunk of people."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, _stream_key(purpose), chunk])))


def _mix(x: np.ndarray, key: np.uint64) -> np.ndarray:
    """A 64-bit mixing function (splitmix64 finaliser) of x xor key."""
    with np.errstate(over="ignore"):
        z = (x ^ key) + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


class KeyedPermutation:
    """A pseudo-random bijection of ``range(size)`` keyed by seed and purpose (a Feistel network with
    cycle walking). ``permute(np.arange(n))`` gives n distinct values below ``size``."""

    def __init__(self, seed: int, purpose: str, size: int, rounds: int = 4) -> None:
        if size < 2:
            raise ValueError("size must be at least 2")
        self.size = size
        bits = max(2, int(size - 1).bit_length())
        bits += bits % 2
        self.half = np.uint64(bits // 2)
        self.mask = np.uint64((1 << (bits // 2)) - 1)
        key_rng = rng(seed, f"permutation:{purpose}")
        self.keys = [np.uint64(k) for k in key_rng.integers(0, 2**63, size=rounds, dtype=np.int64)]

    def _feistel(self, x: np.ndarray) -> np.ndarray:
        left = x >> self.half
        right = x & self.mask
        for key in self.keys:
            left, right = right, left ^ (_mix(right, key) & self.mask)
        return (left << self.half) | right

    def permute(self, values: np.ndarray) -> np.ndarray:
        x = np.asarray(values, dtype=np.uint64)
        if x.size and (x.max() >= self.size):
            raise ValueError(f"value out of range for a permutation of size {self.size}")
        out = self._feistel(x)
        outside = out >= np.uint64(self.size)
        while outside.any():
            out[outside] = self._feistel(out[outside])
            outside = out >= np.uint64(self.size)
        return out.astype(np.int64)


def enumerate_in_chunk(local_index: np.ndarray, chunk: int, n_chunks: int) -> np.ndarray:
    """A world-wide enumeration of records made chunk by chunk: unique across chunks and independent of
    the extract date, so identifiers stay the same in successive extracts."""
    return np.asarray(local_index, dtype=np.int64) * n_chunks + chunk


def weighted_choice(generator: np.random.Generator, weights: np.ndarray, size: int) -> np.ndarray:
    """Indices drawn with probability proportional to ``weights`` (vectorised inverse-CDF sampling)."""
    cumulative = np.cumsum(np.asarray(weights, dtype=np.float64))
    draws = generator.random(size) * cumulative[-1]
    return np.minimum(np.searchsorted(cumulative, draws, side="right"), len(cumulative) - 1)


def grouped_choice(
    generator: np.random.Generator, group_of_item: np.ndarray, weights: np.ndarray, groups: np.ndarray
) -> np.ndarray:
    """For each requested group, an item index drawn from that group's items in proportion to their
    weights. ``group_of_item`` gives each item's group (small non-negative integers)."""
    order = np.lexsort((np.arange(len(group_of_item)), group_of_item))
    sorted_groups = group_of_item[order]
    sorted_weights = np.asarray(weights, dtype=np.float64)[order]
    cumulative = np.cumsum(sorted_weights)
    n_groups = int(group_of_item.max()) + 1
    starts = np.searchsorted(sorted_groups, np.arange(n_groups), side="left")
    ends = np.searchsorted(sorted_groups, np.arange(n_groups), side="right")
    if np.any(ends[groups] <= starts[groups]):
        raise ValueError("a requested group has no items")
    base = np.where(starts > 0, cumulative[np.maximum(starts - 1, 0)], 0.0)
    total = cumulative[ends - 1] - base
    draws = base[groups] + generator.random(len(groups)) * total[groups]
    picked = np.searchsorted(cumulative, draws, side="right")
    picked = np.clip(picked, starts[groups], ends[groups] - 1)
    return order[picked]


def stable_uniform(seed: int, purpose: str, enumeration: np.ndarray, draw: int = 0) -> np.ndarray:
    """Uniform [0, 1) numbers that depend only on (seed, purpose, record, draw): the same record gets the
    same draws in every extract, whatever else the extract holds and in whatever order."""
    key = np.uint64((_stream_key(f"{seed}:{purpose}:{draw}")) & 0xFFFFFFFFFFFFFFFF)
    mixed = _mix(_mix(np.asarray(enumeration, dtype=np.uint64), key), key)
    return (mixed >> np.uint64(11)).astype(np.float64) / float(1 << 53)
