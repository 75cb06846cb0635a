"""Revocations reach every replica at once: a Redis pub/sub channel carries "forget this key/client".

The replica that revokes evicts its own cache first, then publishes; the others evict on the message. A
replica that loses its subscription (Redis restart, network) forgets every cached credential when it
subscribes again, since it may have missed messages meanwhile. Without Redis there is no channel: other
replicas notice a revocation when their cache entry expires (`GATEWAY_KEY_CACHE_TTL`, 30 s by default).
"""

import asyncio
import contextlib
import logging
import uuid

from redis.asyncio import Redis
from redis.exceptions import RedisError

from gateway.credentials import Credentials

logger = logging.getLogger("gateway.revocation")


class Revocations:
    """Publishes and applies cache evictions."""

    def __init__(self, redis: Redis | None, prefix: str, credentials: Credentials) -> None:
        self._redis = redis
        self._channel = prefix + "revocations"
        self._credentials = credentials
        self._task: asyncio.Task[None] | None = None
        self.subscribed = asyncio.Event()

    async def key(self, key_id: uuid.UUID) -> None:
        """Forget a key here and in every replica."""
        self._credentials.forget_key(key_id)
        await self._publish(f"key:{key_id}")

    async def client(self, client_id: uuid.UUID) -> None:
        """Forget everything about a client here and in every replica."""
        self._credentials.forget_client(client_id)
        await self._publish(f"client:{client_id}")

    async def _publish(self, message: str) -> None:
        if self._redis is None:
            return
        try:
            await self._redis.publish(self._channel, message)
        except (RedisError, OSError) as error:
            logger.warning(
                "revocation not broadcast; other replicas notice within the cache TTL",
                extra={"error": type(error).__name__},
            )

    def apply(self, message: str) -> None:
        """Evict what one message names (malformed messages are ignored)."""
        kind, _, value = message.partition(":")
        try:
            target = uuid.UUID(value)
        except ValueError:
            return
        if kind == "key":
            self._credentials.forget_key(target)
        elif kind == "client":
            self._credentials.forget_client(target)

    async def start(self) -> None:
        """Listen for other replicas' revocations (when Redis is configured)."""
        if self._redis is not None:
            self._task = asyncio.create_task(self._listen(self._redis), name="revocations")

    async def stop(self) -> None:
        """Stop listening."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _listen(self, redis: Redis) -> None:
        while True:
            pubsub = redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self._channel)
                self._credentials.forget_all()  # whatever was revoked while unsubscribed is forgotten too
                self.subscribed.set()
                async for message in pubsub.listen():
                    data = message.get("data")
                    if isinstance(data, bytes):
                        self.apply(data.decode("ascii", "replace"))
            except (RedisError, OSError) as error:
                self.subscribed.clear()
                logger.warning("revocation channel lost, retrying", extra={"error": type(error).__name__})
                await asyncio.sleep(1.0)
            finally:
                with contextlib.suppress(RedisError, OSError):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]
