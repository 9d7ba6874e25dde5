"""Work spread over worker processes, for runs that read thousands of files.

A check of 10,000 files spends its time in Python on each file alone: on a machine with
several cores, worker processes read and check parts of the list side by side, and the
answers come back in the order of the list, so what a run prints does not depend on how
many workers it had or which of them finished first.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")


class WorkerFailed(Exception):
    """A worker process stopped before it answered (killed, or out of memory)."""


def available_cpus() -> int:
    """The CPUs this process may run on (its affinity, as a container or ``taskset`` sets
    it), rather than every CPU of the machine."""
    counter: Callable[[], int | None] | None = getattr(os, "process_cpu_count", None)
    if counter is not None:  # Python 3.13 and later
        return counter() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def chunks(items: Sequence[T], workers: int, largest: int) -> list[Sequence[T]]:
    """``items`` cut in order into parts of at most ``largest``, and at least four parts a
    worker, so that a worker that is given a slow part does not leave the others idle."""
    size = max(1, min(largest, -(-len(items) // (workers * 4))))
    return [items[start : start + size] for start in range(0, len(items), size)]


def ordered_map(
    work: Callable[[S, Sequence[T]], R],
    shared: S,
    parts: Sequence[Sequence[T]],
    workers: int,
) -> Iterator[R]:
    """``work(shared, part)`` for each part, run in ``workers`` processes, yielded in the
    order of ``parts``.

    ``shared`` (the settings, the rules) goes to each worker once, when it starts, not with
    every part; ``work`` must be a module-level function, so that it can be named to a
    worker. A worker that dies raises :class:`WorkerFailed` rather than leaving the run
    waiting; an exception raised by ``work`` is raised here, as it would be in one process.
    """
    # Imported here: a check of a few files (a commit hook's) runs in one process and need
    # not load multiprocessing, concurrent.futures and logging (a tenth of its start).
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    executor = ProcessPoolExecutor(
        max_workers=max(1, min(workers, len(parts))),
        mp_context=_context(),
        initializer=_start,
        initargs=(shared,),
    )
    try:
        futures: list[Future[R] | None] = [executor.submit(_call, work, part) for part in parts]
        for index, future in enumerate(futures):
            assert future is not None
            # Let go of each answer once it is handed on: the caller keeps what it needs.
            futures[index] = None
            yield future.result()
    except BrokenProcessPool:
        raise WorkerFailed(
            "a worker process stopped before it finished (killed, or out of memory?); "
            "run again with --jobs 1 to check in a single process"
        ) from None
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _context() -> Any:
    """Fork on Linux: a worker starts in a few milliseconds with every module the run has
    imported already. Elsewhere spawn, the platform's safe default (fork is unsafe with
    macOS's system libraries and missing on Windows): each worker imports what it needs."""
    import multiprocessing

    method = "fork" if sys.platform == "linux" else "spawn"
    return multiprocessing.get_context(method)


# What ``ordered_map`` gave every worker, set in each worker process as it starts.
_shared: Any = None


def _start(shared: Any) -> None:
    global _shared
    _shared = shared
    # Ctrl-C reaches every process of the terminal's group: the run that started the workers
    # stops them; a worker stopping on its own would only make it wait for a broken pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _call(work: Callable[[Any, Sequence[T]], R], part: Sequence[T]) -> R:
    return work(_shared, part)
