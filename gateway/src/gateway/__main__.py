"""`python -m gateway`: serve the gateway."""

import uvicorn

from gateway.settings import GatewaySettings
from plaza_kit.logs import logging_config

settings = GatewaySettings()
uvicorn.run(
    "gateway.app:create_app",
    factory=True,
    host=settings.host,
    port=settings.port,
    loop="uvloop",
    http="httptools",
    log_config=logging_config("gateway", settings.log_level),
    access_log=False,
    server_header=False,
    timeout_graceful_shutdown=5,
)
