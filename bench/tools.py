"""The bench's outside tools: wrk (load generator) and nginx (the reference reverse proxy)."""

import contextlib
import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import httpx

from plaza_dev.embedded_pg import free_port

# wrk prints its own summary; this prints one JSON line we can parse (latencies in microseconds).
WRK_REPORT_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format(
    '\\n@@{"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"mean_us":%.1f,'
    .. '"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.mean,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status,
    summary.errors.timeout))
end
"""


# --- tools ------------------------------------------------------------------------------------------------


def ensure_tools() -> None:
    """wrk and nginx installed: from Debian's packages when missing and we may, else explain and exit."""
    if all(_located(tool) for tool in ("wrk", "nginx")):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing wrk and nginx (apt-get install -y wrk nginx)…", flush=True)
        install = ["apt-get", "install", "-y", "-q", "wrk", "nginx"]
        if subprocess.run(install, check=False, capture_output=True).returncode != 0:
            subprocess.run(["apt-get", "update", "-q"], check=False, capture_output=True)
            subprocess.run(install, check=False, capture_output=True)
    missing = [tool for tool in ("wrk", "nginx") if not _located(tool)]
    if missing:
        raise SystemExit(
            f"The bench needs {' and '.join(missing)} (load generator and reference proxy). Install them, "
            "e.g. `sudo apt-get install -y wrk nginx` (Debian/Ubuntu) or `brew install wrk nginx`; rerun."
        )


def _located(tool: str) -> str | None:
    # nginx lives in /usr/sbin, which a non-root PATH may lack.
    return shutil.which(tool) or (
        str(Path("/usr/sbin") / tool) if (Path("/usr/sbin") / tool).exists() else None
    )


def tool_path(tool: str) -> str:
    """Where `tool` is installed."""
    found = _located(tool)
    if found is None:
        raise RuntimeError(f"{tool} is not installed")
    return found


# --- nginx ------------------------------------------------------------------------------------------------


def nginx_config(folder: Path, port: int, upstream_port: int) -> str:
    """A plain reverse proxy: one worker (like our single uvicorn worker), keep-alive to the upstream."""
    user = "user root root;\n" if os.geteuid() == 0 else ""
    return f"""{user}worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log {folder}/access.log combined buffer=64k flush=1s;
  client_body_temp_path {folder}/client_body;
  proxy_temp_path {folder}/proxy;
  fastcgi_temp_path {folder}/fastcgi;
  uwsgi_temp_path {folder}/uwsgi;
  scgi_temp_path {folder}/scgi;
  upstream registry {{
    server 127.0.0.1:{upstream_port};
    keepalive 64;
  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://registry;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
    }}
  }}
}}
"""


@contextlib.contextmanager
def running_nginx(folder: Path, upstream_port: int) -> Iterator[tuple[str, int]]:
    """nginx in the foreground as our child; yields (its base URL, its master's pid), stops it afterwards."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    config = folder / "nginx.conf"
    config.write_text(nginx_config(folder, port, upstream_port))
    with (folder / "stderr.log").open("ab") as stderr:
        process = subprocess.Popen(
            [tool_path("nginx"), "-p", f"{folder}/", "-e", str(folder / "error.log"), "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    try:
        base_url = f"http://127.0.0.1:{port}"
        _wait_until_answering(base_url + "/healthz", process)
        yield base_url, process.pid
    finally:
        process.send_signal(signal.SIGQUIT)  # graceful: finish open requests, then exit
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_answering(url: str, process: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the process exited with code {process.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=1.0).status_code < 500:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing answered at {url} after {timeout:.0f}s")


def wrk(url: str, headers: Mapping[str, str], connections: int, seconds: int, script: Path) -> dict[str, Any]:
    """One wrk run (one thread: on two cores a second would only steal from the servers); its report."""
    command = [tool_path("wrk"), "-t1", f"-c{connections}", f"-d{seconds}s", "-s", str(script)]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, url], check=True, capture_output=True, text=True, timeout=seconds + 30
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("@@"))
    report: dict[str, Any] = json.loads(line[2:])
    return report


# --- CPU time: what each process spent, whatever else the machine was doing --------------------------------


def process_tree(pid: int) -> list[int]:
    """`pid` and its descendants (nginx's master and its worker)."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        with contextlib.suppress(OSError):
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
            pending += [int(child) for child in children]
    return found


def cpu_seconds(pids: Iterable[int]) -> float:
    """User + system CPU time the processes have used so far (Linux /proc; 0 where unavailable)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime (fields 14 and 15)
    return total
