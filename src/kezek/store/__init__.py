"""Storage: SQLAlchemy 2 models, the engine, queries and migrations."""
