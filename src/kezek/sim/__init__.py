"""Kezek sim."""
