"""The API's own rate limits; the shared counters and the concern-submission limit are in
dialogue.throttling."""

from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from dialogue.throttling import fail_open_cache


class UserThrottle(UserRateThrottle):
    """Every API request per user (API_THROTTLE_RATE, default 1200 a minute)."""

    cache = fail_open_cache


class TokenLoginThrottle(AnonRateThrottle):
    """Token sign-ins per address (TOKEN_LOGIN_RATE)."""

    scope = "token_login"
    cache = fail_open_cache
