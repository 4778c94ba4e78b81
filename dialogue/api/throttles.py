from rest_framework.throttling import UserRateThrottle


class ConcernSubmitThrottle(UserRateThrottle):
    """Concern submissions per company user (default 20 an hour)."""

    scope = "concern_submit"
