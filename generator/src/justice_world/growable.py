"""A column store that grows by appending numpy arrays and allows in-place updates of earlier rows."""

from __future__ import annotations

import numpy as np


class Columns:
    """Named numpy columns of equal length with amortised O(1) appends."""

    def __init__(self, dtypes: dict[str, type | np.dtype], capacity: int = 1024) -> None:
        self._data = {name: np.zeros(capacity, dtype=dtype) for name, dtype in dtypes.items()}
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def append(self, **columns: np.ndarray) -> np.ndarray:
        """Append rows (every column must be given); returns the indices of the new rows."""
        if set(columns) != set(self._data):
            missing = set(self._data) ^ set(columns)
            raise KeyError(f"append needs exactly the declared columns; differing: {sorted(missing)}")
        n = len(next(iter(columns.values())))
        needed = self._size + n
        capacity = len(next(iter(self._data.values())))
        if needed > capacity:
            new_capacity = max(needed, capacity * 2)
            for name, array in self._data.items():
                grown = np.zeros(new_capacity, dtype=array.dtype)
                grown[: self._size] = array[: self._size]
                self._data[name] = grown
        for name, values in columns.items():
            self._data[name][self._size : needed] = values
        indices = np.arange(self._size, needed)
        self._size = needed
        return indices

    def __getitem__(self, name: str) -> np.ndarray:
        """A writable view of the filled part of a column."""
        return self._data[name][: self._size]

    def freeze(self) -> dict[str, np.ndarray]:
        return {name: array[: self._size].copy() for name, array in self._data.items()}
