"""Regular expressions: patterns compiled, text searched, split and substituted, matches collected."""
import re

words = [f"word{i % 997}_{i * 7919 % 10007}" for i in range(60000)]
text = " ".join(words)
patterns = [r"word(\d+)_(\d+)", r"\b\w*7\w*\b", r"(?P<a>\d{3})(?P<b>\d+)", r"_(1|2|3)\d*"]
total = 0
for _ in range(8):
    for pattern in patterns:
        compiled = re.compile(pattern)
        total += len(compiled.findall(text))
        total += len(compiled.sub(lambda m: m.group(0)[::-1], text[:200000]))
    total += len(re.split(r"\s+", text))
print("regex: total", total)
