"""Kezek planning."""
