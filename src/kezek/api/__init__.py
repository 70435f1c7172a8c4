"""The REST API: routers per domain, one error handler, one transaction per request."""
