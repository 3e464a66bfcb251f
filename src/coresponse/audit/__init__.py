"""The append-only, hash-chained audit log of every read and write of a person's record."""
