-- growthdb store in PostgreSQL, schema version 2: a snapshot's series is
-- no longer checked by a foreign key on every row written, as in a SQLite
-- store (which does not enforce its foreign keys). Series are made before
-- their snapshots under the write lock, and `.check` finds a snapshot
-- without its series; the per-row check cost an import more than its
-- inserts.
ALTER TABLE growthdb.snapshot DROP CONSTRAINT snapshot_series_id_fkey;
