"""JSON round trips: nested documents encoded, decoded and compared, many times over."""
import json

documents = [
    {"id": i, "name": f"item {i}", "tags": [f"t{j}" for j in range(i % 8)], "score": i * 0.5,
     "nested": {"depth": [{"k": k, "v": str(k) * 3} for k in range(i % 12)]}}
    for i in range(4000)
]
checksum = 0
for _ in range(12):
    text = json.dumps(documents)
    decoded = json.loads(text)
    assert decoded == documents
    checksum = (checksum + len(text)) % 1_000_000_007
print("json round trips:", len(documents), "documents, checksum", checksum)
