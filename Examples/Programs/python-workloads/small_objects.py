"""Many small objects: tuples, dicts, class instances, strings and lists made and dropped in waves."""
class Point:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y


class Record:
    def __init__(self, key, value):
        self.key = key
        self.value = value


checksum = 0
for wave in range(4):
    points = [Point(i, wave) for i in range(150000)]
    records = {str(i): Record(i, (i, wave)) for i in range(100000)}
    pairs = [(p.x, p.y, str(p.x)) for p in points[::3]]
    nested = [[i, [i + 1, {i: str(i)}]] for i in range(50000)]
    checksum = (checksum + sum(p.x for p in points) + len(records) + len(pairs) + len(nested)) % 1_000_000_007
    del points, records, pairs, nested
print("small objects: checksum", checksum)
