"""`python -m kezek.cli`: the same command as the `kezek` script."""

from kezek.cli import main

main()
