"""The services' OpenAPI documents, fetched over HTTP and cached for a short time."""

import asyncio
import logging
import time
from typing import Any

import aiohttp

from gateway.proxy import UpstreamPool

logger = logging.getLogger("gateway.catalog")


class OpenApiCatalog:
    """Keeps the last good document of each service; a service that is down keeps its previous one."""

    def __init__(self, pool: UpstreamPool, ttl: float) -> None:
        self.pool = pool
        self.ttl = ttl
        self._documents: dict[str, dict[str, Any]] = {}
        self._fetched_at: dict[str, float] = {}
        self._lock = asyncio.Lock()

    async def _fetch(self, service: str) -> None:
        try:
            async with self.pool.sessions[service].get(
                self.pool.url(service, "/openapi.json"), timeout=aiohttp.ClientTimeout(total=3)
            ) as response:
                if response.status == 200:
                    self._documents[service] = await response.json()
                    self._fetched_at[service] = time.monotonic()
        except (aiohttp.ClientError, TimeoutError) as error:
            logger.warning("openapi fetch failed", extra={"upstream": service, "error": type(error).__name__})

    async def documents(self) -> tuple[dict[str, dict[str, Any]], list[str]]:
        """Service name → document, and the services whose document could not be had at all."""
        async with self._lock:
            now = time.monotonic()
            stale = [s for s in self.pool.bases if now - self._fetched_at.get(s, -1e9) > self.ttl]
            await asyncio.gather(*(self._fetch(service) for service in stale))
        missing = [service for service in self.pool.bases if service not in self._documents]
        return dict(self._documents), missing
