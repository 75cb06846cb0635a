"""The supervisor of schedule runs inside a service process: one solver process per run, never the loop.

`start(run_id)` is called after the run's row is committed. The run waits for one of the process's
`scheduler_concurrency` places (queued), is marked running, and its solver runs as a child process
(`worker.py`) fed the stored instance on stdin; progress and the result come back as JSON lines. A
heartbeat task records every second that this process still supervises its runs, and kills the process
of a run that was cancelled meanwhile (by any replica: the row is the truth). A child that dies, exits
badly or overruns its time limit fails the run; a service that dies leaves its runs without heartbeat,
and they read as failed (`service.fail_stale`).
"""

import asyncio
import contextlib
import json
import logging
import sys
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from meetings.schedule_runs import repository
from meetings.schedule_runs.models import ACTIVE, RunStatus
from meetings.settings import MeetingsSettings

log = logging.getLogger(__name__)
WORKER = [sys.executable, "-m", "meetings.schedule_runs.worker"]
STDERR_KEPT = 2000


class ScheduleRunner:
    """Runs the solver of each started run in a child process and writes what happens to the run's row."""

    def __init__(self, sessions: Callable[[], async_sessionmaker[AsyncSession]], settings: MeetingsSettings):
        self._sessions = sessions
        self._settings = settings
        self._places = asyncio.Semaphore(settings.scheduler_concurrency)
        self._tasks: dict[uuid.UUID, asyncio.Task[None]] = {}
        self._processes: dict[uuid.UUID, asyncio.subprocess.Process] = {}
        self._heartbeat: asyncio.Task[None] | None = None

    async def start(self, run_id: uuid.UUID) -> None:
        """Supervise the (committed, queued) run `run_id` from now on (returns at once; async so that a
        background task calls it on the event loop)."""
        if self._heartbeat is None:
            self._heartbeat = asyncio.create_task(self._beat(), name="schedule-runs-heartbeat")
        task = asyncio.create_task(self._supervise(run_id), name=f"schedule-run-{run_id}")
        self._tasks[run_id] = task
        task.add_done_callback(lambda _: self._tasks.pop(run_id, None))

    async def stop(self) -> None:
        """The service is stopping: kill the solvers and fail their runs (nobody will finish them)."""
        for process in list(self._processes.values()):
            _kill(process)
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._heartbeat is not None:
            self._heartbeat.cancel()
            await asyncio.gather(self._heartbeat, return_exceptions=True)

    async def _write(self, run_id: uuid.UUID, expected: tuple[RunStatus, ...], **values: Any) -> bool:
        async with self._sessions()() as session:
            changed = await repository.transition(session, run_id, expected, **values)
            await session.commit()
            return changed

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(self._settings.scheduler_heartbeat_seconds)
            runs = list(self._tasks)
            if not runs:
                continue
            try:
                async with self._sessions()() as session:
                    await repository.heartbeat(session, runs, datetime.now(UTC))
                    statuses = {run: await repository.status_of(session, run) for run in runs}
                    await session.commit()
            except Exception:  # the database is away: the runs go stale if it stays away
                log.warning("schedule runs: heartbeat failed", exc_info=True)
                continue
            for run, status in statuses.items():
                process = self._processes.get(run)
                if status not in ACTIVE and process is not None:
                    _kill(process)  # cancelled (or failed as stale) meanwhile

    async def _supervise(self, run_id: uuid.UUID) -> None:
        try:
            async with self._places:
                await self._solve(run_id)
        except asyncio.CancelledError:
            with contextlib.suppress(Exception):
                await asyncio.shield(
                    self._write(
                        run_id,
                        ACTIVE,
                        status=RunStatus.FAILED,
                        error="the service stopped while the run was in progress",
                        finished_at=datetime.now(UTC),
                    )
                )
            raise
        except Exception as error:
            log.exception("schedule run %s failed", run_id)
            with contextlib.suppress(Exception):
                await self._write(
                    run_id,
                    ACTIVE,
                    status=RunStatus.FAILED,
                    error=f"the run could not be completed: {type(error).__name__}",
                    finished_at=datetime.now(UTC),
                )

    async def _solve(self, run_id: uuid.UUID) -> None:
        async with self._sessions()() as session:
            run = await repository.get_by_id(session, run_id)
            if run is None or run.status != RunStatus.QUEUED:
                return  # cancelled while queued
            job = {"instance": run.instance, **run.options["solver"]}
            started = datetime.now(UTC)
            if not await repository.transition(
                session, run_id, (RunStatus.QUEUED,), status=RunStatus.RUNNING, started_at=started
            ):
                return
            await session.commit()
        command = self._settings.scheduler_command or WORKER
        process = await asyncio.create_subprocess_exec(
            *command,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        self._processes[run_id] = process
        try:
            await self._write(run_id, (RunStatus.RUNNING,), worker_pid=process.pid)
            result, stderr = await self._converse(run_id, process, job)
        finally:
            self._processes.pop(run_id, None)
            _kill(process)
        finished = datetime.now(UTC)
        if result is not None and process.returncode == 0:
            await self._write(
                run_id,
                (RunStatus.RUNNING,),
                status=RunStatus.FINISHED,
                result=result,
                progress=_final_progress(result),
                finished_at=finished,
            )
            return
        await self._write(
            run_id,
            (RunStatus.RUNNING,),
            status=RunStatus.FAILED,
            error=_failure(process.returncode, stderr),
            finished_at=finished,
        )

    async def _converse(
        self, run_id: uuid.UUID, process: asyncio.subprocess.Process, job: dict[str, Any]
    ) -> tuple[dict[str, Any] | None, bytes]:
        """Feed the job, follow the JSON lines until the process ends or overruns; (result, stderr)."""
        assert process.stdin is not None
        assert process.stdout is not None
        assert process.stderr is not None
        process.stdin.write(json.dumps(job).encode())
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            await process.stdin.drain()
        process.stdin.close()
        stderr_task = asyncio.create_task(process.stderr.read())
        result: dict[str, Any] | None = None
        allowed = float(job["time_limit"]) + self._settings.scheduler_grace_seconds
        try:
            async with asyncio.timeout(allowed):
                async for message in _lines(process.stdout):
                    if "progress" in message:
                        await self._write(run_id, (RunStatus.RUNNING,), progress=message["progress"])
                    elif "result" in message:
                        result = message["result"]
                await process.wait()
        except TimeoutError:
            _kill(process)
            await process.wait()
            stderr_task.cancel()
            return (
                None,
                f"the solver overran its time limit by {self._settings.scheduler_grace_seconds} s".encode(),
            )
        return result, await stderr_task


async def _lines(stream: asyncio.StreamReader) -> AsyncIterator[dict[str, Any]]:
    while line := await stream.readline():
        with contextlib.suppress(ValueError):
            message = json.loads(line)
            if isinstance(message, dict):
                yield message


def _kill(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            process.kill()


def _failure(returncode: int | None, stderr: bytes) -> str:
    if returncode is not None and returncode < 0:
        head = f"the solver process was killed (signal {-returncode})"
    elif returncode == 0:
        head = "the solver process ended without a result"
    else:
        head = f"the solver process failed (exit status {returncode})"
    tail = stderr.decode(errors="replace").strip()[-STDERR_KEPT:]
    return f"{head}: {tail}" if tail else head


def _final_progress(result: dict[str, Any]) -> dict[str, Any]:
    return {
        "phase": "done",
        "best_objective": result.get("objective"),
        "placed": len(result.get("placements", [])),
        "solver": result.get("solver"),
    }


@asynccontextmanager
async def supervising(app: FastAPI) -> AsyncIterator[None]:
    """The app's runner for its lifetime (a lifespan of `create_service_app`)."""
    runner = ScheduleRunner(lambda: app.state.sessionmaker, app.state.settings)
    app.state.schedule_runner = runner
    try:
        yield
    finally:
        await runner.stop()
