"""The per-address limit on failed sign-ins, counted before the password is checked.

Each attempt takes its place in the count first (one atomic increment in the limiter's
storage, shared by every worker with redis://), so parallel guesses cannot slip past the
limit while they are being checked; a sign-in that succeeds gives its place back, so an
office behind one address signs in as many people as it likes.
"""

from __future__ import annotations

from flask import current_app
from limits import parse_many
from limits.strategies import FixedWindowRateLimiter

from consult.extensions import limiter


def _items():
    return parse_many(current_app.config["LOGIN_RATE_LIMIT"])


def _key(item, address: str) -> str:
    # The same key FixedWindowRateLimiter.hit(item, prefix, "login", address) counts under.
    return item.key_for(current_app.config.get("RATELIMIT_KEY_PREFIX", ""), "login", address)


def take_a_place(address: str) -> bool:
    """Count one attempt from ``address``; False when it is beyond the limit."""
    if not limiter.enabled:
        return True
    strategy = FixedWindowRateLimiter(limiter.storage)
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX", "")
    within = True
    for item in _items():
        within = strategy.hit(item, prefix, "login", address) and within
    return within


def give_back(address: str) -> None:
    """A successful sign-in does not count against its address."""
    if not limiter.enabled:
        return
    for item in _items():
        limiter.storage.incr(_key(item, address), item.get_expiry(), amount=-1)
