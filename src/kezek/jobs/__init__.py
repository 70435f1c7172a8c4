"""Kezek jobs."""
