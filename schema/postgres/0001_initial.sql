-- growthdb store in PostgreSQL, schema version 1: everything the SQLite
-- store's versions 1 and 2 hold, in a schema of its own.
--
-- Periods are half-open ranges of days [start_day, end_day), counted from
-- 1970-01-01. Values are double precision; ratio metrics store fractions.
-- Text compares byte by byte (COLLATE "C"), as in SQLite, so that names
-- sort the same in both stores whatever the database's collation.

CREATE SCHEMA growthdb;

-- What marks the schema as growthdb's, and its version: one row.
CREATE TABLE growthdb.meta (
    id             integer PRIMARY KEY CHECK (id = 1),
    application_id bigint NOT NULL,
    schema_version integer NOT NULL
);

CREATE TABLE growthdb.metric (
    id          bigint PRIMARY KEY,
    name        text COLLATE "C" NOT NULL UNIQUE,
    kind        text COLLATE "C" CHECK (kind IN ('stock', 'flow', 'average', 'ratio', 'distinct')),
    unit        text COLLATE "C",
    description text COLLATE "C"
);

CREATE TABLE growthdb.series (
    id        bigint PRIMARY KEY,
    metric_id bigint NOT NULL REFERENCES growthdb.metric (id),
    -- Canonical text of the series, e.g. users{line=non-payment}.
    name      text COLLATE "C" NOT NULL UNIQUE,
    -- Longest period ever recorded for the series, in days: bounds the
    -- index range that can hold a period overlapping a given day.
    max_days  integer NOT NULL DEFAULT 0
);
CREATE INDEX series_by_metric ON growthdb.series (metric_id);

CREATE TABLE growthdb.series_label (
    series_id bigint NOT NULL REFERENCES growthdb.series (id),
    key       text COLLATE "C" NOT NULL,
    value     text COLLATE "C" NOT NULL,
    PRIMARY KEY (series_id, key)
);

-- Every revision of every snapshot, never changed once written: an insert
-- is revision 1 of its series and period, each revise or delete adds the
-- next one. A snapshot's current value is its highest revision, unless
-- that revision is a deletion.
CREATE TABLE growthdb.snapshot (
    series_id   bigint NOT NULL REFERENCES growthdb.series (id),
    start_day   integer NOT NULL,
    end_day     integer NOT NULL,
    revision    bigint NOT NULL,
    -- NULL records a deletion.
    value       double precision,
    -- Microseconds since 1970-01-01 UTC.
    recorded_at bigint NOT NULL,
    source      text COLLATE "C",
    note        text COLLATE "C",
    PRIMARY KEY (series_id, start_day, end_day, revision)
);

-- For people reading the store with psql: current snapshots with names,
-- dates (`last_day` is inclusive) and the time their revision was recorded.
CREATE VIEW growthdb.current_snapshot AS
SELECT
    m.name AS metric,
    s.name AS series,
    to_char(date '1970-01-01' + sn.start_day, 'YYYY-MM-DD') AS first_day,
    to_char(date '1970-01-01' + sn.end_day - 1, 'YYYY-MM-DD') AS last_day,
    sn.value AS value,
    sn.revision AS revision,
    to_char(to_timestamp(sn.recorded_at / 1000000.0) AT TIME ZONE 'UTC',
            'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at,
    sn.source AS source,
    sn.note AS note
FROM growthdb.snapshot sn
JOIN growthdb.series s ON s.id = sn.series_id
JOIN growthdb.metric m ON m.id = s.metric_id
WHERE sn.value IS NOT NULL
  AND sn.revision = (
      SELECT max(x.revision) FROM growthdb.snapshot x
      WHERE x.series_id = sn.series_id AND x.start_day = sn.start_day AND x.end_day = sn.end_day
  );

-- The store's fiscal calendar: one row, shared by everyone who uses the
-- store (see the SQLite store's 0002_calendar.sql).
CREATE TABLE growthdb.calendar (
    id                integer PRIMARY KEY CHECK (id = 1),
    fiscal_year_start integer NOT NULL CHECK (fiscal_year_start BETWEEN 1 AND 12),
    fiscal_year_label text NOT NULL CHECK (fiscal_year_label IN ('end', 'start'))
);
INSERT INTO growthdb.calendar (id, fiscal_year_start, fiscal_year_label) VALUES (1, 1, 'end');
