"""Kezek: the open platform that runs a national network of public service centres."""

__version__ = "0.1.0"
