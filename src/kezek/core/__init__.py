"""The rules of the domain, pure: no I/O, no framework, frozen data and plain functions."""
