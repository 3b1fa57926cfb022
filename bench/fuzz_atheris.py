"""Coverage-guided fuzzing of the attachment extractors and textcheck for N seconds.

    .venv/bin/python bench/fuzz_atheris.py --seconds 120            # atheris (libFuzzer) when installed
    .venv/bin/python bench/fuzz_atheris.py --seconds 60 --plain     # no atheris: random mutation of the seeds

Inputs are one selector byte (which file kind / text / HTML) followed by the bytes; the corpus starts
from small valid .docx/.xlsx/.pdf/.html/.txt files made with python-docx, openpyxl and pypdf (the
seeds of tests/fuzz). The property is the extractors' contract: a Document or ExtractionError with a
Chinese message, finding offsets inside the text, and no input slower than --slow seconds. Prints
executions, executions/s, crashes (by exception type) and slow inputs; crashing and slow inputs are
written to --artifacts. atheris is not a project dependency (`pip install atheris` to use it).
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KINDS = ["a.docx", "a.xlsx", "a.pdf", "a.html", "a.txt", "upload", "text", "html"]
CHINESE = re.compile(r"[\u4e00-\u9fff]")


class Harness:
    def __init__(self, slow: float, artifacts: Path):
        from govpub.textcheck import build_checker

        self.checker = build_checker(statistical=True)
        self.slow = slow
        self.artifacts = artifacts
        self.execs = 0
        self.crashes: collections.Counter[str] = collections.Counter()
        self.slow_inputs = 0

    def _save(self, prefix: str, data: bytes) -> None:
        self.artifacts.mkdir(parents=True, exist_ok=True)
        (self.artifacts / f"{prefix}-{hashlib.sha1(data).hexdigest()[:16]}").write_bytes(data)

    def one(self, data: bytes, *, raise_crash: bool = False) -> None:
        from govpub.textcheck.extract import ExtractionError, extract

        self.execs += 1
        if not data:
            return
        kind, payload = KINDS[data[0] % len(KINDS)], data[1:]
        started = time.process_time()
        try:
            if kind == "text":
                text = payload.decode("utf-8", "replace")
                for f in self.checker.check_text(text):
                    assert 0 <= f.start <= f.end <= len(text) and text[f.start:f.end] == f.text, f
            elif kind == "html":
                result = self.checker.check_html(payload.decode("utf-8", "replace"))
                for f in result.findings:
                    assert result.text[f.start:f.end] == f.text, f
            else:
                try:
                    doc = extract(data=payload, name=kind)
                except ExtractionError as e:
                    assert CHINESE.search(str(e)), f"message not Chinese: {e}"
                else:
                    result = self.checker.check_document(doc)
                    for f in result.findings:
                        assert result.text[f.start:f.end] == f.text, f
        except Exception as e:
            self.crashes[f"{kind}: {type(e).__name__}"] += 1
            self._save("crash", data)
            if raise_crash:
                raise
        elapsed = time.process_time() - started
        if elapsed > self.slow:
            self.slow_inputs += 1
            self._save(f"slow{elapsed:.0f}s", data)


def seeds() -> list[bytes]:
    from tests.fuzz.test_fuzz_extract import seeds as make_seeds

    files = make_seeds()
    out = [bytes([KINDS.index(name)]) + files[name] for name in ("a.docx", "a.xlsx", "a.pdf", "a.html", "a.txt")]
    out.append(bytes([KINDS.index("text")]) + "身份证42070419900101123X，赌\u200b博，秘密★".encode())
    out.append(bytes([KINDS.index("html")]) + files["a.html"])
    return out


def mutate(rng: random.Random, data: bytearray) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if len(b) < 2:
            b += bytes([rng.randrange(256)])
            continue
        i = rng.randrange(1, len(b))
        op = rng.randrange(6)
        if op == 0:
            b[i] ^= 1 << rng.randrange(8)
        elif op == 1:
            b[i] = rng.choice([0, 0xFF, 0x7F, 0x80, ord("<"), ord(">"), ord("/")])
        elif op == 2:
            b[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        elif op == 3:
            del b[i:i + rng.randint(1, 64)]
        elif op == 4:
            del b[i:]
        else:
            j = rng.randrange(1, len(b))
            b[i:i] = b[j:j + rng.randint(1, 256)]
    return bytes(b)


def run_plain(h: Harness, seconds: float, seed: int) -> None:
    rng = random.Random(seed)
    corpus = [bytearray(s) for s in seeds()]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        h.one(mutate(rng, rng.choice(corpus)))


def run_atheris(h: Harness, seconds: float, workdir: Path) -> None:
    import atheris

    corpus = workdir / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for i, s in enumerate(seeds()):
        (corpus / f"seed{i}").write_bytes(s)
    with atheris.instrument_imports():
        import govpub.textcheck  # noqa: F401
        import govpub.textcheck.extract.office  # noqa: F401
        import govpub.textcheck.extract.pdf  # noqa: F401
        import govpub.textcheck.extract.plain  # noqa: F401

    def test_one_input(data: bytes) -> None:
        h.one(data, raise_crash=True)

    atheris.Setup([sys.argv[0], f"-max_total_time={int(seconds)}", "-rss_limit_mb=4096", "-timeout=60",
                   f"-artifact_prefix={h.artifacts}/", str(corpus)], test_one_input)
    atheris.Fuzz()  # libFuzzer exits the process; its own summary is printed on stderr


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--plain", action="store_true", help="random mutation without atheris")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--slow", type=float, default=5.0, help="an input taking longer (CPU s) is reported")
    parser.add_argument("--artifacts", type=Path, default=Path(tempfile.gettempdir()) / "govpub-fuzz-artifacts")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govpub.settings")
    h = Harness(args.slow, args.artifacts)
    use_atheris = not args.plain
    if use_atheris:
        try:
            import atheris  # noqa: F401
        except ImportError:
            print("atheris 未安装，改用随机变异（--plain）", file=sys.stderr)
            use_atheris = False
    started = time.monotonic()
    if use_atheris:
        import atexit

        atexit.register(lambda: report(h, time.monotonic() - started, "atheris"))
        run_atheris(h, args.seconds, Path(tempfile.mkdtemp(prefix="govpub-atheris-")))
        return 0
    run_plain(h, args.seconds, args.seed)
    return report(h, time.monotonic() - started, "plain mutation")


def report(h: Harness, elapsed: float, mode: str) -> int:
    print(f"{mode}: {h.execs} executions in {elapsed:.0f} s = {h.execs / max(elapsed, 1e-9):.0f}/s; "
          f"crashes {sum(h.crashes.values())}, slow inputs (> {h.slow:.0f} s CPU) {h.slow_inputs}")
    for what, n in h.crashes.most_common():
        print(f"  {n:>6}  {what}")
    if h.crashes or h.slow_inputs:
        print(f"inputs saved in {h.artifacts}")
    return 1 if h.crashes or h.slow_inputs else 0


if __name__ == "__main__":
    sys.exit(main())
