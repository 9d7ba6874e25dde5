"""Timing whole processes, for the benchmarks: wall time and the process's own peak memory.

The peak is the maximum resident set size the kernel reports for that one child (``wait4``),
so two commands measured in turn do not share a high-water mark. Linux reports it in KiB.
The child's CPU time (user and system) comes from the same report: on a machine shared with
other jobs it moves far less than the wall time, which waits for the CPU whenever others run.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mib: float
    cpu_seconds: float = 0.0


# Every command runs with Python's bytecode cache, as after `pip install` (which compiles
# the installed modules): with PYTHONDONTWRITEBYTECODE set, an editable install compiled the
# package's changed modules again in every run, a tenth of a second.
INSTALLED = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def run(command: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run ``command`` to the end (in ``env``, by default this one's with the bytecode
    cache); exit the benchmark with its output if it fails."""
    start = time.perf_counter()
    process = subprocess.Popen(
        list(command),
        cwd=cwd,
        env=INSTALLED if env is None else env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert process.stderr is not None
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(f"{' '.join(command[:4])} failed ({process.returncode}):\n{stderr[-3000:]!r}")
    return Run(elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)


@dataclass
class Series:
    """The runs of one side of a comparison."""

    name: str
    runs: list[Run] = field(default_factory=list)

    @property
    def median_seconds(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def median_peak(self) -> float:
        return statistics.median(r.peak_mib for r in self.runs)

    @property
    def median_cpu(self) -> float:
        return statistics.median(r.cpu_seconds for r in self.runs)


def alternate(
    sides: Sequence[tuple[Series, Sequence[str], Path, dict[str, str] | None]], rounds: int
) -> None:
    """Run every side once per round, reversing the order every other round (ABBA), so a
    machine that speeds up or slows down during the run favours no side."""
    for index in range(rounds):
        order = list(sides) if index % 2 == 0 else list(reversed(sides))
        for series, command, cwd, env in order:
            series.runs.append(run(command, cwd, env))


def report(subject: Series, baseline: Series, target: str = "") -> str:
    """Both sides' runs and medians, and the ratios of the medians (time and peak memory)."""
    lines = [
        f"{subject.name}: {' '.join(f'{r.seconds:.2f}' for r in subject.runs)} s, "
        f"peak {subject.median_peak:.0f} MiB",
        f"{baseline.name}: {' '.join(f'{r.seconds:.2f}' for r in baseline.runs)} s, "
        f"peak {baseline.median_peak:.0f} MiB",
        f"time ratio of medians: {subject.median_seconds / baseline.median_seconds:.2f}"
        f"   memory ratio of medians: {subject.median_peak / baseline.median_peak:.2f}"
        + (f"   ({target})" if target else ""),
    ]
    if subject.median_cpu and baseline.median_cpu:
        lines.append(
            f"CPU time (user + system): {subject.median_cpu:.2f} s against "
            f"{baseline.median_cpu:.2f} s, ratio of medians "
            f"{subject.median_cpu / baseline.median_cpu:.2f}"
        )
    return "\n".join(lines)
