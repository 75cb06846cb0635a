"""Run a component under uvicorn with uvloop, httptools and JSON logs: `python -m <component>`."""

import uvicorn

from plaza_kit.logs import logging_config
from plaza_kit.settings import ComponentSettings


def serve(
    factory_path: str, service: str, settings: ComponentSettings, *, proxy_headers: bool = False
) -> None:
    """Serve the app built by `factory_path` (``module:function``) on the settings' host and port.

    `proxy_headers`: take the client address and scheme from `X-Forwarded-For`/`-Proto` sent by a proxy on
    loopback (uvicorn's `forwarded_allow_ips` default). Only the gateway, the process that sits behind a
    partner-facing proxy, sets it; services are called by the gateway, which sends those headers itself.
    """
    uvicorn.run(
        factory_path,
        factory=True,
        host=settings.host,
        port=settings.port,
        loop="uvloop",
        http="httptools",
        log_config=logging_config(service, settings.log_level),
        access_log=False,
        server_header=False,
        proxy_headers=proxy_headers,
        timeout_graceful_shutdown=5,
    )
