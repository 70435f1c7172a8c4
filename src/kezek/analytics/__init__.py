"""Kezek analytics."""
