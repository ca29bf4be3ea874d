#!/usr/bin/env python3
"""Benchmark of `parcours report` at campus scale: 200,000 statements in a real Ralph.

Simulates learners taking the flagship course as the player records them (tests/e2e/campus.py), loads them
into a local Ralph through its Statements API, then times `parcours report` over them and
measures its peak memory, at 50,000 statements and at 200,000: the report streams, so its memory
should not grow with the count.

Prints figures; asserts nothing about speed (machines here are shared and noisy).

Usage: .venv/bin/python scripts/bench_report.py [--statements 200000]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
from campus import generate  # noqa: E402
from lrs import PASSWORD, USER, Ralph  # noqa: E402

BINARY = ROOT / "target" / "release" / "parcours"
PAGE = 10_000


def load(ralph, statements, batch=5000):
    for i in range(0, len(statements), batch):
        answer = requests.post(f"{ralph.url}/xAPI/statements", json=statements[i:i + batch], auth=ralph.auth,
                               headers={"X-Experience-API-Version": "1.0.3"}, timeout=600)
        answer.raise_for_status()


def peak_mib_of(command, env):
    """Runs `command` and returns (seconds, peak resident memory in MiB, stdout).

    The peak is the child's own `VmHWM`, read from /proc while it runs: `getrusage`'s maxrss of a
    forked child also counts the parent's pages before `exec` (here, the generated statements)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        began = time.monotonic()
        child = subprocess.Popen(command, env=env, stdout=out, stderr=err)
        peak_kib = 0
        while child.poll() is None:
            try:
                status = Path(f"/proc/{child.pid}/status").read_text()
                peak_kib = max(peak_kib, int(next(l for l in status.splitlines() if l.startswith("VmHWM:")).split()[1]))
            except (OSError, StopIteration, ValueError):
                pass
            time.sleep(0.02)
        seconds = time.monotonic() - began
        out.seek(0)
        err.seek(0)
        if child.returncode != 0:
            raise SystemExit(f"{command[1]} failed: {err.read().decode()[-2000:]}")
        return seconds, peak_kib / 1024, out.read()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--statements", type=int, default=200_000)
    args = parser.parse_args()
    if not BINARY.exists():
        raise SystemExit("target/release/parcours is missing: run `make dist` first")

    began = time.monotonic()
    statements, learners = generate(args.statements)
    print(f"generated {len(statements):,} statements for {learners:,} learners in {time.monotonic() - began:.1f} s")

    env = dict(os.environ, PARCOURS_LRS_USERNAME=USER, PARCOURS_LRS_PASSWORD=PASSWORD)
    with tempfile.TemporaryDirectory() as directory:
        ralph = Ralph(Path(directory))
        ralph.env["RALPH_RUNSERVER_MAX_SEARCH_HITS_COUNT"] = str(PAGE)
        ralph.start()
        try:
            loaded = 0
            for checkpoint in sorted({min(50_000, len(statements)), len(statements)}):
                began = time.monotonic()
                load(ralph, statements[loaded:checkpoint])
                print(f"loaded {checkpoint - loaded:,} statements into Ralph in {time.monotonic() - began:.1f} s")
                loaded = checkpoint
                command = [str(BINARY), "report", "--endpoint", f"{ralph.url}/xAPI/", "--json", "--page-size", str(PAGE)]
                seconds, peak, out = peak_mib_of(command, env)
                report = json.loads(out)
                total = report["courses"][0]["total"]
                print(f"report over {report['statements_read']:,} statements: {seconds:.1f} s, "
                      f"{report['statements_read'] / seconds:,.0f} statements/s, peak memory {peak:.1f} MiB")
                print(f"  figures: {total['learners']:,} learners, {total['completed']:,} completed, {total['passed']:,} passed, "
                      f"mean best score {total['mean_best_score']:.2f}, {total['hours']:,.0f} hours, "
                      f"satisfaction {total['satisfaction_mean']:.2f} ({total['satisfaction_answers']:,} answers)")
        finally:
            ralph.stop()


if __name__ == "__main__":
    main()
