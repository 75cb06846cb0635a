"""`plaza run`: the whole platform with demo data, on an embedded PostgreSQL unless DATABASE_URL is set.

Ctrl-C (or SIGTERM) stops the services, the gateway and the embedded database; nothing is left running.
"""

import os
import signal
import sys
import time
from pathlib import Path
from types import FrameType

from plaza_contracts.demo import DEMO_COMPANIES, DEMO_EVENT_ID
from plaza_dev.embedded_pg import EmbeddedPostgres
from plaza_dev.stack import Stack
from plaza_kit.catalogue import SERVICES

PROJECT_ROOT = Path(__file__).resolve().parents[4]
STATE_DIR = PROJECT_ROOT / ".plaza"


class _StopRequestedError(Exception):
    pass


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _StopRequestedError


def main() -> int:
    """Run until interrupted; returns the exit code."""
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGINT, _raise_stop)
    embedded: EmbeddedPostgres | None = None
    stack: Stack | None = None
    try:
        admin_url = os.environ.get("DATABASE_URL")
        if admin_url:
            print(f"Using the PostgreSQL server at DATABASE_URL ({admin_url.split('@')[-1]})", flush=True)
        else:
            embedded = EmbeddedPostgres(
                STATE_DIR / "pgdata", port=int(os.environ.get("PLAZA_PG_PORT", "54320"))
            )
            admin_url = embedded.start()
            print(f"Embedded PostgreSQL 18 on 127.0.0.1:{embedded.port} (data in .plaza/pgdata)", flush=True)
        stack = Stack(
            admin_url=admin_url,
            database=os.environ.get("PLAZA_DATABASE", "plaza"),
            log_dir=STATE_DIR / "logs",
            keys_dir=STATE_DIR / "keys",
            redis_url=os.environ.get("GATEWAY_REDIS_URL"),
        )
        print("Bootstrapping schemas and roles, migrating, loading demo data and clients…", flush=True)
        stack.prepare(load_demo=True)
        print(f"Starting {', '.join(service.name for service in SERVICES)} and the gateway…", flush=True)
        stack.start()
        _print_banner(stack)
        while True:
            for child in stack.children:
                if child.process is not None and child.process.poll() is not None:
                    print(
                        f"{child.name} stopped unexpectedly (exit {child.process.returncode}); "
                        f"see .plaza/logs/{child.name}.log",
                        file=sys.stderr,
                        flush=True,
                    )
                    return 1
            time.sleep(0.5)
    except _StopRequestedError:
        print("\nStopping…", flush=True)
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if stack is not None:
            stack.stop()
        if embedded is not None:
            embedded.stop()


def _print_banner(stack: Stack) -> None:
    url = stack.gateway_url
    clients = "\n".join(
        f"    {name:<11} client_id {created.client_id}  key {created.key}"
        for name, created in stack.credentials.items()
    )
    print(
        f"""
Plaza is running.
  Gateway:   {url}
  API docs:  {url}/docs   (OpenAPI document: {url}/openapi.json)
  Demo clients (keys are stable while .plaza/keys/demo-seed is kept; delete it for new ones):
{clients}
  Try:       curl -s -H 'X-API-Key: {stack.key("kotra")}' '{url}/v1/companies?country=KR&limit=5'
  The plaza: curl -s -H 'X-API-Key: {stack.key("kotra")}' '{url}/v1/meetings?event_id={DEMO_EVENT_ID}'
  Calendar:  a company's feed (the answer's "url" opens in any calendar app, no key needed):
             curl -s -X POST -H 'X-API-Key: {stack.key("kotra")}' -H 'Content-Type: application/json' \\
                  -d '{{"company_id": "{DEMO_COMPANIES["hanbit-materials"]}"}}' \\
                  '{url}/v1/events/{DEMO_EVENT_ID}/calendar-feeds'
  Schedule:  place the accepted requests (follow the Location, then GET …/draft and POST …/publish):
             curl -si -X POST -H 'X-API-Key: {stack.key("kotra")}' -H 'Content-Type: application/json' \\
                  -d '{{"time_limit_seconds": 10}}' '{url}/v1/events/{DEMO_EVENT_ID}/schedule-runs'
  Logs:      .plaza/logs/
Press Ctrl-C to stop everything.
""",
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
