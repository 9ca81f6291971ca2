"""The tickets room: every read (queries), full-text search, and ticket references."""
