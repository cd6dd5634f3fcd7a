"""A small pool of worker processes that render reports, with a time and a memory limit per
job, so a slow or runaway render never blocks the event loop or the other requests.

- **Processes.** ``size`` workers (``PDF_WORKERS``, default: the number of cores), made by
  the ``forkserver`` start method with WeasyPrint and the report code preloaded, so a new
  worker is a cheap fork of a clean, thread-free server process rather than a fresh
  interpreter. Each worker lays out one small page first (fonts loaded, stylesheet
  parsed), so the first real report is not the slow one.
- **One job per worker at a time**, over a pipe. The event loop waits for the answer with
  ``add_reader`` on the pipe: no thread is held while a report renders.
- **Time limit.** A job that has not answered within its limit is ended: its worker is
  killed (SIGKILL) and replaced in the background, and the caller gets
  :class:`RenderTimeout` (the web layer answers 503). Other jobs run on in the other
  workers meanwhile.
- **Memory limit.** Every worker runs under ``RLIMIT_AS`` (address space). A job that
  needs more gets a MemoryError; the worker reports it, exits and is replaced, and the
  caller gets :class:`RenderTooLarge` (503). A worker that dies outright (killed by the
  kernel, a crash in a C library) is replaced too and the caller gets :class:`RenderFailed`.
- A caller that goes away (a cancelled request) gives its worker up: it is replaced, so a
  late answer never reaches the next job.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from typing import Any

__all__ = [
    "RenderError",
    "RenderFailed",
    "RenderPool",
    "RenderTimeout",
    "RenderTooLarge",
    "default_size",
]

log = logging.getLogger(__name__)

PRELOAD = ["selfscan.report.jobs"]
#: The workers' first-generation garbage collection threshold (Python's default: 700).
GC_THRESHOLD = 10_000
#: How long a new worker may take to start and warm up before it counts as broken.
START_LIMIT_S = 60.0


class RenderError(Exception):
    """A report could not be rendered now; the web layer answers 503."""


class RenderTimeout(RenderError):
    """The job ran past its time limit and was ended."""


class RenderTooLarge(RenderError):
    """The job needed more memory than a worker may use and was ended."""


class RenderFailed(RenderError):
    """The job raised, or its worker died."""


def default_size() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _worker_main(conn: Connection, memory_limit_mb: int, warm: bool | str) -> None:
    """The loop of one worker process: take (function, args), answer (status, value)."""
    if memory_limit_mb:
        import resource

        limit = memory_limit_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if warm:
        from selfscan.report import render

        with contextlib.suppress(Exception):  # a broken warm-up shows in the first real job
            render.warm_up(full=warm == "full")
    # What the worker holds now (modules, fonts, stylesheet) lives as long as the worker:
    # keep it out of the garbage collector's way, so a collection during a render looks
    # only at that render's objects.
    gc.collect()
    gc.freeze()
    # A render makes some hundred thousand objects, most of them alive until it ends: at
    # the default threshold (700) the collector ran some 50 times per report, looking at
    # the same live boxes again and again. 10,000 leaves a few collections per report.
    gc.set_threshold(GC_THRESHOLD, 10, 10)
    try:
        conn.send(("ready", os.getpid()))
    except OSError:  # the pool closed while this worker started: nobody to serve
        return
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if message is None:
            return
        function, args = message
        try:
            conn.send(("ok", function(*args)))
        except MemoryError:
            with contextlib.suppress(Exception):
                conn.send(("memory", None))
            os._exit(3)  # a fresh process is the only sure way back to a small heap
        except BaseException as exc:
            with contextlib.suppress(Exception):
                conn.send(("error", f"{type(exc).__name__}: {exc}"))


@contextlib.contextmanager
def _main_without_missing_file() -> Iterator[None]:
    """A new worker imports the parent's ``__main__`` file again (multiprocessing's spawn
    preparation); when that "file" is ``<stdin>`` or gone, the worker would die. Hide it."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if path is None or os.path.isfile(path):
        yield
        return
    del main.__file__  # type: ignore[union-attr]
    try:
        yield
    finally:
        main.__file__ = path  # type: ignore[union-attr]


class _Worker:
    def __init__(self, context: Any, memory_limit_mb: int, warm: bool | str) -> None:
        parent, child = context.Pipe(duplex=True)
        self.conn: Connection = parent
        self.process = context.Process(
            target=_worker_main, args=(child, memory_limit_mb, warm), daemon=True
        )
        with _main_without_missing_file():
            self.process.start()
        child.close()
        self.ready = False

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
        with contextlib.suppress(Exception):
            self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.send(None)
        self.process.join(2)
        if self.process.is_alive():
            self.kill()
        self.process.join(1)
        with contextlib.suppress(Exception):
            self.conn.close()


async def _readable(conn: Connection, limit_s: float | None) -> bool:
    """Wait until the pipe has something to read (or is closed), at most ``limit_s``."""
    if conn.poll(0):
        return True
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    fd = conn.fileno()
    loop.add_reader(fd, lambda: ready.done() or ready.set_result(True))
    try:
        await asyncio.wait_for(ready, limit_s)
        return True
    except TimeoutError:
        return False
    finally:
        loop.remove_reader(fd)
        # uvloop (what `coop serve` runs on) leaves the fd non-blocking after add_reader;
        # Connection.recv/send expect a blocking pipe, or a message written in two parts
        # (above 16 KiB) or a full pipe fails with BlockingIOError ("worker died").
        os.set_blocking(fd, True)


class RenderPool:
    """``await pool.run(function, *args)`` runs a picklable module-level function in a
    worker and returns its (picklable) result; see the module's description."""

    def __init__(
        self,
        size: int,
        *,
        time_limit_s: float = 30.0,
        memory_limit_mb: int = 1024,
        warm: bool | str = True,
        start_method: str = "forkserver",
    ) -> None:
        self.size = max(1, size)
        self.time_limit_s = time_limit_s
        self.memory_limit_mb = memory_limit_mb
        self.warm = warm
        self._context = multiprocessing.get_context(start_method)
        if start_method == "forkserver":
            self._context.set_forkserver_preload(PRELOAD)
        self._idle: asyncio.Queue[_Worker] | None = None
        self._all: set[_Worker] = set()
        self._started = False
        self._closed = False
        self._start_lock: asyncio.Lock | None = None
        self._background: set[asyncio.Task[Any]] = set()
        self.replaced = 0  # workers ended and replaced, for tests and logs

    # --- life ------------------------------------------------------------------------------

    def _new_worker(self) -> _Worker:
        worker = _Worker(self._context, self.memory_limit_mb, self.warm)
        self._all.add(worker)
        return worker

    async def start(self) -> None:
        """Start the workers (they warm up on their own; this does not wait for that)."""
        if self._start_lock is None:
            self._start_lock = asyncio.Lock()
        async with self._start_lock:
            if self._started:
                return
            if self._closed:
                raise RenderFailed("the render pool is closed")
            self._idle = asyncio.Queue()
            workers = await asyncio.to_thread(
                lambda: [self._new_worker() for _ in range(self.size)]
            )
            for worker in workers:
                self._idle.put_nowait(worker)
            self._started = True

    async def close(self) -> None:
        self._closed = True
        for task in list(self._background):
            task.cancel()
        workers, self._all = list(self._all), set()
        if workers:
            await asyncio.to_thread(lambda: [w.stop() for w in workers])

    def _replace(self, worker: _Worker) -> None:
        """End ``worker`` now and put a new one in the pool, in the background."""
        worker.kill()
        self._all.discard(worker)
        self.replaced += 1
        if self._closed:
            return

        async def renew() -> None:
            await asyncio.to_thread(worker.process.join, 2)
            if self._closed:
                return
            fresh = await asyncio.to_thread(self._new_worker)
            assert self._idle is not None
            self._idle.put_nowait(fresh)

        task = asyncio.get_running_loop().create_task(renew())
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    # --- work ------------------------------------------------------------------------------

    async def _await_ready(self, worker: _Worker) -> None:
        if worker.ready:
            return
        if not await _readable(worker.conn, START_LIMIT_S):
            raise RenderFailed("a render worker did not start in time")
        try:
            status, _pid = worker.conn.recv()
        except (EOFError, OSError) as exc:
            raise RenderFailed("a render worker died while starting") from exc
        if status != "ready":  # pragma: no cover - protocol error
            raise RenderFailed(f"a render worker said {status!r}")
        worker.ready = True

    async def run(
        self, function: Callable[..., Any], *args: Any, time_limit_s: float | None = None
    ) -> Any:
        if self._closed:
            raise RenderFailed("the render pool is closed")
        if not self._started:
            await self.start()
        assert self._idle is not None
        limit = self.time_limit_s if time_limit_s is None else time_limit_s
        worker = await self._idle.get()
        healthy = False
        try:
            await self._await_ready(worker)
            started = time.perf_counter()
            worker.conn.send((function, args))
            if not await _readable(worker.conn, limit):
                log.warning("report render ended after %.1f s (time limit)", limit)
                raise RenderTimeout(f"the render ran past its limit of {limit:g} s")
            try:
                status, value = worker.conn.recv()
            except (EOFError, OSError) as exc:
                raise RenderFailed("the render worker died") from exc
            if status == "memory":
                raise RenderTooLarge(
                    f"the render needed more than {self.memory_limit_mb} MB of memory"
                )
            healthy = True
            if status == "error":
                raise RenderFailed(value)
            log.debug("report rendered in %.0f ms", (time.perf_counter() - started) * 1000)
            return value
        finally:
            # Also on cancellation: a worker whose answer nobody reads is replaced.
            if healthy:
                self._idle.put_nowait(worker)
            else:
                self._replace(worker)
