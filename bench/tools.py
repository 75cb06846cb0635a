"""The bench's outside tools: wrk (load), nginx (the reference reverse proxy), git (sources of a revision)."""

import contextlib
import io
import json
import os
import shutil
import signal
import subprocess
import tarfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import httpx
import redis

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


# --- older sources: a service as committed at some revision, to measure before and after in one run -----

REPOSITORY = Path(__file__).resolve().parent.parent
# What `python -m registry` imports from the workspace (the rest comes from the locked environment).
REGISTRY_SOURCES = ("services/registry/src", "libs/kit/src", "libs/contracts/src")


def checkout_sources(revision: str, folder: Path, sources: tuple[str, ...] = REGISTRY_SOURCES) -> list[Path]:
    """The source folders `sources` as committed at `revision`, extracted under `folder` with `git archive`
    (the working tree, the index and the branches are left alone); their paths, for PYTHONPATH."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", revision, *sources],
        cwd=REPOSITORY,
        check=False,
        capture_output=True,
    )
    if archive.returncode != 0:
        raise SystemExit(f"--before {revision}: {archive.stderr.decode(errors='replace').strip()}")
    folder.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(folder, filter="data")
    return [folder / source for source in sources]


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


# --- statuses the processes answered: their JSON access lines ----------------------------------------------


class AccessLog:
    """The `request` lines (plaza_kit's access log: path and status) a process appends to its log file.

    Read incrementally: `statuses()` counts the lines written since the previous call. wrk only tells 4xx/5xx
    from the rest, so on a route that answers 404 a 429 would pass unnoticed; these lines tell them apart.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._offset = 0
        self.skip()

    def skip(self) -> None:
        """Ignore everything written so far."""
        self._offset = self.path.stat().st_size if self.path.exists() else 0

    def statuses(self) -> Counter[tuple[str, int]]:
        """(path, status) → responses, for the complete lines written since the last call."""
        counts: Counter[tuple[str, int]] = Counter()
        if not self.path.exists():
            return counts
        with self.path.open("rb") as file:
            file.seek(self._offset)
            chunk = file.read()
        end = chunk.rfind(b"\n") + 1  # a line being written stays for the next call
        self._offset += end
        for line in chunk[:end].splitlines():
            if b'"msg":"request"' not in line:
                continue
            with contextlib.suppress(ValueError):
                entry = json.loads(line)
                counts[(str(entry.get("path")), int(entry.get("status", 0)))] += 1
        return counts


def unexpected(statuses: Counter[tuple[str, int]], expected: Mapping[str, int]) -> tuple[int, int]:
    """(responses whose status is not their path's expected one, how many of them were 429)."""
    wrong = sum(n for (path, status), n in statuses.items() if expected.get(path) != status)
    limited = sum(n for (_, status), n in statuses.items() if status == 429)
    return wrong, limited


# --- Redis (the gateway's shared rate limiter) ------------------------------------------------------------


def redis_answers(url: str) -> bool:
    """Whether a Redis server answers PING at `url` within a second."""
    client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def redis_bucket(url: str, key: str) -> dict[str, str]:
    """The fields of one token bucket the gateway keeps in Redis (empty when there is none)."""
    client = redis.Redis.from_url(url, socket_timeout=2, decode_responses=True)
    try:
        bucket: dict[str, str] = client.hgetall(key)  # type: ignore[assignment]
        return bucket
    finally:
        client.close()


def redis_forget(url: str, prefix: str) -> int:
    """Delete the keys under `prefix` (this run's buckets); how many there were."""
    client = redis.Redis.from_url(url, socket_timeout=2)
    try:
        keys = list(client.scan_iter(match=prefix + "*", count=500))
        if keys:
            client.delete(*keys)
        return len(keys)
    finally:
        client.close()


def machine_ticks() -> tuple[int, int, int]:
    """Cumulative CPU ticks of the machine (Linux /proc/stat): (busy, idle, stolen by the hypervisor)."""
    with contextlib.suppress(OSError, ValueError):
        fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
        user, nice, system, idle, iowait, irq, softirq, steal = fields
        return user + nice + system + irq + softirq, idle + iowait, steal
    return 0, 0, 0


def machine_usage(before: tuple[int, int, int], after: tuple[int, int, int]) -> str:
    """How busy the machine was between two `machine_ticks()`: all processes, ours included."""
    busy, idle, steal = (end - start for start, end in zip(before, after, strict=True))
    total = busy + idle + steal
    if total <= 0:
        return "machine load unknown"
    return (
        f"machine during the load: {busy / total:.0%} busy, {idle / total:.0%} idle, "
        f"{steal / total:.0%} stolen by the hypervisor"
    )


def redis_cpu_seconds(url: str) -> float:
    """User + system CPU time the Redis server has used so far (its `INFO cpu`), whoever it served."""
    client = redis.Redis.from_url(url, socket_timeout=2)
    try:
        info: dict[str, Any] = client.info("cpu")
        return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])
    finally:
        client.close()
