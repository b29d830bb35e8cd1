"""How alike a typed word and every name of a table are, all names at once.

The score is rapidfuzz's `fuzz.ratio`, which elyguide used before: 100 * 2 * LCS / (m + n),
where LCS is the length of the longest common subsequence of the two words. It is computed
here, in pure Python, for a whole table in one pass: each name is a lane of bits in one
integer, and the LCS of the query with every name advances a letter at a time by the
bit-parallel algorithm of Allison and Dix (as Hyyrö, "Bit-parallel LCS-length computation
revisited", 2004, writes it): a handful of big-integer operations per letter. A batch of
typos is as fast as with the C extension, and a typo lookup no longer pays for importing it
(a quarter of the lookup's time).

>>> names = NameSet(["kuopio", "kuortane", "oulu"])
>>> names.search("kuopoi", 70.0)
[('kuopio', 83.33333333333334, 0)]
"""

from __future__ import annotations

IMPRECISION = 0.00001  # rapidfuzz widens a distance cutoff by this much (NormSim_to_NormDist)


class NameSet:
    """A table's names packed for search. A name of n letters takes a lane of the smallest
    power of two above n bits (at least 8); lanes of one width lie together, each group
    aligned to its width, so that one pass of shifts and masks counts every lane's bits.
    Names of MAX_LANE letters or more (none so far) are compared one by one."""

    MAX_LANE = 64  # a lane's count of ones must fit below a byte's top bit

    def __init__(self, names: list[str]):
        self.names = list(names)
        # Shortest first: the names a query's length can reach are then the lanes below a bit.
        packed = sorted((i for i, name in enumerate(self.names) if len(name) < self.MAX_LANE), key=lambda i: len(self.names[i]))
        self.unpacked = [i for i, name in enumerate(self.names) if len(name) >= self.MAX_LANE]
        self.order = packed  # lane -> name index
        self.lengths = [len(self.names[i]) for i in packed]
        self.groups: list[tuple[int, int, int]] = []  # (width, first byte, lanes), in order of width
        starts, self.ends = [], []  # each lane's first bit, and the bit after it
        offset = 0
        for index in packed:
            width = _lane_width(len(self.names[index]))
            if not self.groups or self.groups[-1][0] != width:
                offset = -(-offset // width) * width  # align the group to its width
                self.groups.append((width, offset // 8, 0))
            self.groups[-1] = (width, self.groups[-1][1], self.groups[-1][2] + 1)
            starts.append(offset)
            offset += width
            self.ends.append(offset)
        # Each letter's mask (where it stands in every name) and the lanes' own bits, set in
        # bytes: OR-ing bits one by one into integers this size would cost milliseconds.
        letters: dict[str, bytearray] = {}
        own = bytearray(offset // 8)
        for start, index in zip(starts, packed):
            for position, letter in enumerate(self.names[index]):
                bit = start + position
                if letter not in letters:
                    letters[letter] = bytearray(offset // 8)
                letters[letter][bit >> 3] |= 1 << (bit & 7)
                own[bit >> 3] |= 1 << (bit & 7)
        masks = {letter: int.from_bytes(bits, "little") for letter, bits in letters.items()}
        lanes = int.from_bytes(own, "little")
        self.size = offset // 8
        self.masks, self.lanes = masks, lanes
        self.pairs, self.nibbles, self.bytes = (_repeat(pattern, 8, offset) for pattern in (0x55, 0x33, 0x0F))
        self.low_bytes = {width: _repeat(0xFF, width, offset) for width in (16, 32, 64)}
        self.top_bits = _repeat(0x80, 8, 8 * len(packed))
        self._limits: dict[tuple[int, float], int] = {}

    def search(self, query: str, cutoff: float) -> list[tuple[str, float, int]]:
        """(name, score, index) of every name scoring at least `cutoff` against `query`, best
        first, names of equal score in table order: what rapidfuzz's process.extract gives
        with scorer=fuzz.ratio, limit=None and that score_cutoff."""
        limit, reachable = self._limit(len(query), cutoff)
        ones = self._ones_per_lane(query, reachable)
        # One byte per lane: 0x80 plus the most ones that can still reach the cutoff, less the
        # lane's ones. Its top bit stays set where the lane may pass; no byte borrows.
        passing = (limit - int.from_bytes(ones, "little")) & self.top_bits
        found = []
        while passing:
            bit = passing & -passing
            passing ^= bit
            lane = bit.bit_length() // 8 - 1
            score = _ratio(len(query), self.lengths[lane], self.lengths[lane] - ones[lane], cutoff)
            if score is not None:
                found.append((self.names[self.order[lane]], score, self.order[lane]))
        for index in self.unpacked:
            name = self.names[index]
            score = _ratio(len(query), len(name), _lcs(query, name), cutoff)
            if score is not None:
                found.append((name, score, index))
        found.sort(key=lambda hit: (-hit[1], hit[2]))
        return found

    def _ones_per_lane(self, query: str, reachable: int) -> bytes:
        """The bits left set in each lane after the query - the name's length less its LCS
        with the query - one byte per lane, in lane order; 0 beyond the `reachable` lanes
        (big-integer steps cost by the highest bit, so longer names cost nothing)."""
        lanes, masks = self.lanes, self.masks
        v = reachable
        for letter in query:
            mask = masks.get(letter)
            if mask is not None:
                u = v & mask
                v = ((v + u) | (v - u)) & lanes  # a carry out of a lane dies in its spare bit
        # The ones of every lane counted in place: in pairs of bits, nibbles, bytes, then wider.
        v -= (v >> 1) & self.pairs
        v = (v & self.nibbles) + ((v >> 2) & self.nibbles)
        v = (v + (v >> 4)) & self.bytes
        counted, counts = 8, []
        for width, first_byte, count in self.groups:
            while counted < width:
                v = (v + (v >> counted)) & self.low_bytes[counted * 2]
                counted *= 2
            step = width // 8
            counts.append(v.to_bytes(self.size, "little")[first_byte:first_byte + count * step:step])
        return b"".join(counts)

    def _limit(self, length: int, cutoff: float) -> tuple[int, int]:
        """Per lane, a byte of 0x80 plus the most ones with which a name of its length can
        still reach `cutoff` against a query of `length` (a hair below the cutoff: the exact
        test is _ratio's), -1 where none can; and the lanes up to the last that can."""
        key = (length, cutoff)
        limit = self._limits.get(key)
        if limit is None:
            by_length = {n: _most_ones(length, n, cutoff) for n in set(self.lengths)}
            allowed = bytes(0x80 + by_length[n] for n in self.lengths)
            end = max((self.ends[lane] for lane, n in enumerate(self.lengths) if by_length[n] >= 0), default=0)
            limit = self._limits[key] = (int.from_bytes(allowed, "little"), self.lanes & ((1 << end) - 1))
        return limit


def _most_ones(m: int, n: int, cutoff: float) -> int:
    """The most bits a lane of n may keep (n less the LCS) with a query of m letters and still
    score `cutoff` - less a hair: the exact test is _ratio's; -1 where no LCS can."""
    most = -1
    for lcs in range(min(m, n), -1, -1):
        if 200.0 * lcs / (m + n) < cutoff - 0.01:
            break
        most = n - lcs
    return most


def ratio(a: str, b: str) -> float:
    """The score of one pair of words: rapidfuzz's fuzz.ratio(a, b)."""
    return _ratio(len(a), len(b), _lcs(a, b), 0.0)


def _lcs(a: str, b: str) -> int:
    """The length of the longest common subsequence, one row at a time."""
    row = [0] * (len(b) + 1)
    for letter in a:
        previous = 0
        for j, other in enumerate(b, 1):
            previous, row[j] = row[j], previous + 1 if letter == other else max(row[j], row[j - 1])
    return row[-1]


def _ratio(m: int, n: int, lcs: int, cutoff: float) -> float | None:
    """rapidfuzz's fuzz.ratio(a, b, score_cutoff=cutoff) for words of lengths m and n with
    that LCS, float for float, including how it treats a score on the cutoff; None below it."""
    total = m + n
    distance = total - 2 * lcs
    normalized = distance / total if total else 0.0
    if normalized > min(1.0, 1.0 - cutoff / 100 + IMPRECISION):
        return None
    similarity = 1.0 - normalized
    if similarity < cutoff / 100:
        return None
    score = similarity * 100
    return score if score >= cutoff else None


def _lane_width(length: int) -> int:
    width = 8
    while width <= length:  # a spare bit above the name takes the carry
        width *= 2
    return width


def _repeat(byte: int, width: int, bits: int) -> int:
    """`byte` in the lowest byte of every `width`-bit field of a `bits`-bit integer."""
    field = byte.to_bytes(1, "little") + bytes(width // 8 - 1)
    return int.from_bytes(field * -(-bits // width), "little")
