"""REST API v1: DRF views, serializers, filters and urls, built on `visible_to(user)`."""
