"""errorsdk benchmarks: dispatch, import and generation, each against a floor and peers.

Run ``python -m bench`` (about ten minutes) or ``python -m bench --quick`` (under a
minute). Every figure is a ratio against a baseline measured in the same run, and
every time is the median of many rounds, because shared machines are noisy. The
run prints one table and rewrites ``bench/RESULTS.md``.
"""
