"""A cache of rendered page fragments: in process memory, or in Redis shared by app servers.

Keys name everything a fragment shows (versions, names, the reader's view, the language),
so a fragment is never invalidated, only no longer asked for: a change makes a new key and
the old entry ages out. That makes the cache safe across several app servers without any
message between them, with Redis (one cache for all) or without (one cache each).

Configuration: ``CACHE_URL`` (``memory``, ``redis://…``, or ``none`` to turn it off);
when unset, ``REDIS_URL`` (the job queue's Redis) if set, else memory.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from pathlib import Path

from flask import Flask, current_app

PREFIX = "consult:fragment:"


class MemoryCache:
    """A bounded least-recently-used dictionary, one per process."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()

    def get_many(self, keys: list[str]) -> dict[str, str]:
        found = {}
        with self._lock:
            for key in keys:
                value = self._entries.get(key)
                if value is not None:
                    self._entries.move_to_end(key)
                    found[key] = value
        return found

    def set_many(self, values: dict[str, str]) -> None:
        with self._lock:
            self._entries.update(values)
            for key in values:
                self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class RedisCache:
    """One cache for every app server; entries expire after ``ttl`` seconds unread."""

    def __init__(self, url: str, ttl: int) -> None:
        import redis

        self.ttl = ttl
        self._redis = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)

    def get_many(self, keys: list[str]) -> dict[str, str]:
        import redis

        if not keys:
            return {}
        try:
            values = self._redis.mget([PREFIX + k for k in keys])
        except redis.RedisError:
            current_app.logger.warning("fragment cache: Redis unreachable, rendering afresh")
            return {}
        return {k: v.decode() for k, v in zip(keys, values, strict=True) if v is not None}

    def set_many(self, values: dict[str, str]) -> None:
        import redis

        try:
            pipe = self._redis.pipeline(transaction=False)
            for key, value in values.items():
                pipe.set(PREFIX + key, value.encode(), ex=self.ttl)
            pipe.execute()
        except redis.RedisError:
            current_app.logger.warning("fragment cache: Redis unreachable, nothing stored")

    def clear(self) -> None:
        for key in self._redis.scan_iter(f"{PREFIX}*"):
            self._redis.delete(key)


class NoCache:
    def get_many(self, keys: list[str]) -> dict[str, str]:
        return {}

    def set_many(self, values: dict[str, str]) -> None:
        pass

    def clear(self) -> None:
        pass


def _release_stamp(app: Flask) -> str:
    """What changes the fragments of a release: the card templates and the catalogues."""
    root = Path(app.root_path).parent
    digest = hashlib.sha256()
    files = [
        root / "templates" / "comments" / "_macros.html",
        root / "templates" / "comments" / "_card.html",
        *sorted((Path(app.root_path) / "translations").glob("*/LC_MESSAGES/messages.po")),
    ]
    for path in files:
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def init_app(app: Flask) -> None:
    url = app.config.get("CACHE_URL") or app.config.get("REDIS_URL") or "memory"
    if url == "none":
        cache = NoCache()
    elif url == "memory":
        cache = MemoryCache(app.config.get("CACHE_MAX_ENTRIES", 20_000))
    else:
        cache = RedisCache(url, app.config.get("CACHE_TTL_SECONDS", 7 * 24 * 3600))
    app.extensions["fragment_cache"] = cache
    app.extensions["fragment_cache_stamp"] = _release_stamp(app)


def fragments() -> MemoryCache | RedisCache | NoCache:
    return current_app.extensions["fragment_cache"]


def key_of(*parts) -> str:
    """A short key naming ``parts`` and the release."""
    stamp = current_app.extensions["fragment_cache_stamp"]
    return hashlib.sha256(repr((stamp, *parts)).encode()).hexdigest()[:40]
