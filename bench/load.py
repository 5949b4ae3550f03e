"""Load test of the web app's `/ask` endpoint: N concurrent gradio_client clients, each asking M
questions from eval/questions.jsonl; prints errors (should be 0) and latency percentiles.

    python bench/load.py                          # starts app.py on a free port, fresh temp index
    python bench/load.py --url http://127.0.0.1:7860/ --clients 20 --questions 10

Only talks to this machine: a --url that is not localhost is refused.
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
PROBE = "2020年高新区专利申请量达到多少件？"


def load_questions(path: Path) -> list[str]:
    return [json.loads(line)["question"] for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def wait_until_answering(url: str, timeout: float, proc: subprocess.Popen | None = None) -> float:
    """Seconds until /ask gives a real answer (the app builds its index and loads the model)."""
    from gradio_client import Client

    started = time.monotonic()
    client = None
    while time.monotonic() - started < timeout:
        if proc is not None and proc.poll() is not None:
            raise SystemExit(f"the app exited with code {proc.returncode}")
        try:
            client = client or Client(url, verbose=False)
            if "error" not in client.predict(PROBE, api_name="/ask"):
                return time.monotonic() - started
        except Exception:  # not listening yet
            pass
        time.sleep(0.5)
    raise SystemExit(f"no answer from {url} within {timeout:.0f} s")


@contextmanager
def started_app(index_dir: Path | None, log_path: Path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with tempfile.TemporaryDirectory(prefix="qa-bench-") as tmp:
        index = index_dir or Path(tmp) / "index"
        env = dict(os.environ, GRADIO_ANALYTICS_ENABLED="False")
        with log_path.open("w") as log:
            proc = subprocess.Popen(
                [sys.executable, str(ROOT / "app.py"), "--port", str(port), "--index", str(index),
                 "--corpus", str(ROOT / "corpus")], cwd=ROOT, env=env, stdout=log,
                stderr=subprocess.STDOUT)
        try:
            yield f"http://127.0.0.1:{port}/", proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def run_clients(url: str, questions: list[str], clients: int, per_client: int):
    """(latencies in seconds, error descriptions, abstentions)."""
    from gradio_client import Client

    latencies: list[float] = []
    errors: list[str] = []
    abstained = [0]
    lock = threading.Lock()
    go = threading.Barrier(clients)

    def worker(i: int) -> None:
        try:
            client = Client(url, verbose=False)
        except Exception as exc:
            with lock:
                errors.append(f"client {i}: connect: {exc!r}")
            go.abort()
            return
        try:
            go.wait(timeout=60)  # all clients start asking together
        except threading.BrokenBarrierError:
            pass
        for j in range(per_client):
            question = questions[(i * per_client + j) % len(questions)]
            t = time.perf_counter()
            try:
                result = client.predict(question, api_name="/ask")
            except Exception as exc:
                result = {"error": repr(exc)}
            elapsed = time.perf_counter() - t
            with lock:
                latencies.append(elapsed)
                if "error" in result:
                    errors.append(f"client {i} {question!r}: {result['error']}")
                elif result.get("abstained"):
                    abstained[0] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors, abstained[0]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="an app already running on this machine (default: start one)")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--questions", type=int, default=10, help="questions per client")
    parser.add_argument("--question-set", type=Path, default=ROOT / "eval" / "questions.jsonl")
    parser.add_argument("--index", type=Path, help="index directory for a started app "
                                                   "(default: a fresh temporary one)")
    parser.add_argument("--start-timeout", type=float, default=300)
    args = parser.parse_args(argv)
    if not (1 <= args.clients <= 200 and 1 <= args.questions <= 1000):
        parser.error("--clients must be 1..200 and --questions 1..1000")
    if args.url and urlparse(args.url).hostname not in LOCAL_HOSTS:
        parser.error("only an app on this machine (127.0.0.1/localhost) may be load-tested")

    questions = load_questions(args.question_set)

    def measure(url):
        started = time.perf_counter()
        result = run_clients(url, questions, args.clients, args.questions)
        wall = time.perf_counter() - started
        print(f"wall {wall:.1f} s, {len(result[0]) / wall:.1f} questions/s")
        return result

    if args.url:
        startup = wait_until_answering(args.url, args.start_timeout)
        print(f"app at {args.url} answering (waited {startup:.1f} s)")
        latencies, errors, abstained = measure(args.url)
    else:
        log_path = Path(tempfile.gettempdir()) / "qa-bench-app.log"
        with started_app(args.index, log_path) as (url, proc):
            startup = wait_until_answering(url, args.start_timeout, proc)
            print(f"started app.py at {url}; first answer after {startup:.1f} s (log: {log_path})")
            latencies, errors, abstained = measure(url)

    print(f"{args.clients} clients x {args.questions} questions = {len(latencies)} requests, "
          f"errors {len(errors)}, abstained {abstained}")
    if latencies:
        print(f"latency p50 {percentile(latencies, 0.5) * 1000:.0f} ms, "
              f"p95 {percentile(latencies, 0.95) * 1000:.0f} ms, "
              f"max {max(latencies) * 1000:.0f} ms")
    for line in errors[:20]:
        print("  error:", line)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
