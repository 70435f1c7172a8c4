"""Demo data that `kezek demo load` puts into an empty database."""
