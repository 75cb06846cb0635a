"""Starting the services and the gateway as child processes, waiting for them, and stopping them cleanly."""

import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    # If the supervisor is killed outright, the kernel sends the child SIGTERM: no orphans.
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class ChildProcess:
    """One service (or the gateway) running as `python -m <module>`."""

    name: str
    module: str
    port: int
    env: Mapping[str, str]
    ready_path: str = "/readyz"
    log_path: str | None = None
    process: subprocess.Popen[bytes] | None = field(default=None, init=False)

    @property
    def base_url(self) -> str:
        """Where the process listens."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Spawn the process; its logs go to `log_path` or are inherited."""
        output = open(self.log_path, "ab") if self.log_path else None  # noqa: SIM115 (owned by the child)
        self.process = subprocess.Popen(
            [sys.executable, "-m", self.module],
            env={**os.environ, **self.env},
            stdout=output,
            stderr=subprocess.STDOUT if output else None,
            preexec_fn=_die_with_parent,
        )
        if output:
            output.close()

    def wait_ready(self, timeout: float = 30.0) -> None:
        """Block until `ready_path` answers 200; raise if the process exits or time runs out."""
        deadline = time.monotonic() + timeout
        last_error = "no answer"
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with code {self.process.returncode} while starting")
            try:
                response = httpx.get(self.base_url + self.ready_path, timeout=1.0)
                if response.status_code == 200:
                    return
                last_error = f"{response.status_code} {response.text[:200]}"
            except httpx.HTTPError as error:
                last_error = str(error)
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} was not ready after {timeout:.0f}s: {last_error}")

    def stop(self, grace: float = 8.0) -> None:
        """SIGTERM, then SIGKILL after `grace` seconds."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
