"""Start-up benchmark: seconds from launching to the first answer on an already built index,
for each embedding backend, alternated round by round in one run.

    python bench/startup.py [--rounds 3] [--index index] [--no-app]

Two ways in: `qa ask` (a process that answers one question and exits) and `python app.py` (the web
app, until its /ask endpoint returns a real answer; polled every 0.5 s as bench/load.py does).
Also says whether torch was imported to answer.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from load import started_app, wait_until_answering  # bench/load.py, next to this file

ROOT = Path(__file__).resolve().parents[1]
BACKENDS = ("sentence-transformers", "auto")
QUESTION = "2020年高新区专利申请量达到多少件？"
PROBE = ("import sys, runpy; sys.argv = ['qa', 'ask', %r, '--index', %r]\n"
         "try:\n    runpy.run_module('qa', run_name='__main__')\n"
         "except SystemExit:\n    pass\n"
         "print('torch imported:', 'torch' in sys.modules, file=sys.stderr)")


def cli_seconds(backend: str, index: Path) -> tuple[float, str]:
    env = dict(os.environ, QA_EMBEDDING_BACKEND=backend)
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PROBE % (QUESTION, str(index))], cwd=ROOT,
                          env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - t
    if done.returncode != 0 or "答案" not in done.stdout:
        raise SystemExit(f"qa ask failed ({backend}):\n{done.stdout}\n{done.stderr[-2000:]}")
    return seconds, done.stderr.strip().splitlines()[-1]


def app_seconds(backend: str, index: Path) -> float:
    os.environ["QA_EMBEDDING_BACKEND"] = backend  # started_app passes os.environ on
    log = Path(tempfile.gettempdir()) / f"qa-bench-startup-{backend}.log"
    with started_app(index, log) as (url, proc):
        return wait_until_answering(url, 300, proc)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--index", type=Path, default=None,
                        help="a built index (default: build one in a temporary directory)")
    parser.add_argument("--no-app", action="store_true", help="only time `qa ask`")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="qa-startup-") as tmp:
        index = args.index or Path(tmp) / "index"
        if args.index is None:
            subprocess.run([sys.executable, "-m", "qa", "build", "--index", str(index)], cwd=ROOT,
                           check=True, capture_output=True)
        cli = {b: [] for b in BACKENDS}
        app = {b: [] for b in BACKENDS}
        torch_line = {}
        for _ in range(args.rounds):  # alternate, so load on a shared machine hits both alike
            for backend in BACKENDS:
                seconds, torch_line[backend] = cli_seconds(backend, index)
                cli[backend].append(seconds)
                if not args.no_app:
                    app[backend].append(app_seconds(backend, index))

    print(f"rounds: {args.rounds} (median; all runs in brackets)")
    for backend in BACKENDS:
        print(f"{backend:22s} qa ask {statistics.median(cli[backend]):5.2f} s "
              f"{[round(s, 2) for s in cli[backend]]}  ({torch_line[backend]})")
        if app[backend]:
            print(f"{'':22s} app.py {statistics.median(app[backend]):5.2f} s "
                  f"{[round(s, 2) for s in app[backend]]}")
    before, after = (statistics.median(cli[b]) for b in BACKENDS)
    print(f"qa ask start-up, auto / sentence-transformers: {after / before:.2f}")
    if not args.no_app:
        before, after = (statistics.median(app[b]) for b in BACKENDS)
        print(f"app.py start-up, auto / sentence-transformers: {after / before:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
