"""One search engine for every channel: everyday words, inflection, typos, ranking.

The registry is small (a few hundred services), so the index is built in memory from
the catalog snapshot and queried in microseconds; see ADR 0029 for why this beats
database full-text search here (one behaviour on SQLite and PostgreSQL, Kazakh rules
neither database has, typo tolerance over a vocabulary of a few thousand words).
"""
