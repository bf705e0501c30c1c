"""``python -m tests.corpus``: the corpus census (catalogues and entries per source and kind)."""

from __future__ import annotations

from collections import Counter

import yaml

from . import catalogues, sample


def main() -> None:
    every = catalogues()
    entries: Counter[str] = Counter()
    specs: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    for c in every:
        source = c.name.split(".")[0]
        if c.unsupported is not None:
            refused[f"{source} {c.kind}"] += 1
            continue
        specs[source] += 1
        entries[source] += len(yaml.safe_load(c.text())["errors"])
    for source in specs:
        print(f"{source:8} {specs[source]:4} catalogues {entries[source]:6} entries")
    print(f"{'total':8} {sum(specs.values()):4} catalogues {sum(entries.values()):6} entries")
    for what, n in sorted(refused.items()):
        print(f"unsupported: {n:3} {what}")
    print(f"default sample: {len(sample())} catalogues: {', '.join(c.name for c in sample())}")


if __name__ == "__main__":
    main()
