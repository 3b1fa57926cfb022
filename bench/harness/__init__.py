"""Harnesses the benchmarks and tests share: a generated website to crawl, real worker processes to kill.

They live outside the govpub package: nothing here ships or runs in production."""
