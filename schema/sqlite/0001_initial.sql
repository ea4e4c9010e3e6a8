-- growthdb store, schema version 1.
--
-- Periods are half-open ranges of days [start_day, end_day), counted from
-- 1970-01-01, so lookups compare integers. Values are REAL; ratio metrics
-- store fractions (0.7 for 70%).

CREATE TABLE metric (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    kind        TEXT CHECK (kind IN ('stock', 'flow', 'average', 'ratio', 'distinct')),
    unit        TEXT,
    description TEXT
);

CREATE TABLE series (
    id        INTEGER PRIMARY KEY,
    metric_id INTEGER NOT NULL REFERENCES metric (id),
    -- Canonical text of the series, e.g. users{line=non-payment}.
    name      TEXT NOT NULL UNIQUE,
    -- Longest period ever recorded for the series, in days: bounds the
    -- index range that can hold a period overlapping a given day.
    max_days  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX series_by_metric ON series (metric_id);

CREATE TABLE series_label (
    series_id INTEGER NOT NULL REFERENCES series (id),
    key       TEXT NOT NULL,
    value     TEXT NOT NULL,
    PRIMARY KEY (series_id, key)
) WITHOUT ROWID;

-- Every revision of every snapshot, never changed once written: an insert
-- is revision 1 of its series and period, each revise or delete adds the
-- next one. A snapshot's current value is its highest revision, unless
-- that revision is a deletion.
CREATE TABLE snapshot (
    series_id   INTEGER NOT NULL REFERENCES series (id),
    start_day   INTEGER NOT NULL,
    end_day     INTEGER NOT NULL,
    revision    INTEGER NOT NULL,
    -- NULL records a deletion.
    value       REAL,
    -- Microseconds since 1970-01-01 UTC.
    recorded_at INTEGER NOT NULL,
    source      TEXT,
    note        TEXT,
    PRIMARY KEY (series_id, start_day, end_day, revision)
) WITHOUT ROWID;

-- For people reading the store with sqlite3: current snapshots with names,
-- dates (`last_day` is inclusive) and the time their revision was recorded.
CREATE VIEW current_snapshot AS
SELECT
    m.name AS metric,
    s.name AS series,
    date(sn.start_day * 86400, 'unixepoch') AS first_day,
    date((sn.end_day - 1) * 86400, 'unixepoch') AS last_day,
    sn.value AS value,
    sn.revision AS revision,
    strftime('%Y-%m-%dT%H:%M:%fZ', sn.recorded_at / 1000000.0, 'unixepoch') AS recorded_at,
    sn.source AS source,
    sn.note AS note
FROM snapshot sn
JOIN series s ON s.id = sn.series_id
JOIN metric m ON m.id = s.metric_id
WHERE sn.value IS NOT NULL
  AND sn.revision = (
      SELECT max(x.revision) FROM snapshot x
      WHERE x.series_id = sn.series_id AND x.start_day = sn.start_day AND x.end_day = sn.end_day
  );
