"""Application services: the use cases every adapter calls. They flush, never commit."""
