"""Run a service under uvicorn with uvloop, httptools and JSON logs: `python -m <service>`."""

import uvicorn

from plaza_kit.logs import logging_config
from plaza_kit.settings import ServiceSettings


def serve(factory_path: str, service: str, settings: ServiceSettings) -> None:
    """Serve the app built by `factory_path` (``module:function``) on the settings' host and port."""
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
        proxy_headers=False,
        timeout_graceful_shutdown=5,
    )
