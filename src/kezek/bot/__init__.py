"""Kezek bot."""
