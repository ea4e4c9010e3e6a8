//! The store's invariants, as queries both backends run: each selects one
//! text column describing every row that breaks it. `$1` and `$2` are the
//! first and past-the-last day number a period may span.

pub(super) const INVARIANTS: [(&str, &str); 6] = [
    (
        "every period is a valid range of days",
        "SELECT 'series ' || series_id || ' days ' || start_day || '..' || end_day
         FROM snapshot WHERE start_day >= end_day OR start_day < $1 OR end_day > $2",
    ),
    (
        "revisions of each snapshot run 1, 2, ... without gaps",
        "SELECT 'series ' || series_id || ' days ' || start_day || '..' || end_day
                || ': revisions 1..' || max(revision) || ' but ' || count(*) || ' rows'
         FROM snapshot GROUP BY series_id, start_day, end_day
         HAVING min(revision) != 1 OR max(revision) != count(*)",
    ),
    (
        "every snapshot belongs to a series",
        "SELECT 'series ' || series_id FROM snapshot
         WHERE series_id NOT IN (SELECT id FROM series) GROUP BY series_id",
    ),
    (
        "every series and label belongs to a metric and a series",
        "SELECT 'series ' || id || ' of missing metric ' || metric_id FROM series
         WHERE metric_id NOT IN (SELECT id FROM metric)
         UNION ALL
         SELECT 'label ' || key || ' of missing series ' || series_id FROM series_label
         WHERE series_id NOT IN (SELECT id FROM series)",
    ),
    (
        "no period is longer than its series' recorded longest (max_days)",
        "SELECT DISTINCT s.name || ' days ' || sn.start_day || '..' || sn.end_day
         FROM snapshot sn JOIN series s ON s.id = sn.series_id
         WHERE sn.end_day - sn.start_day > s.max_days",
    ),
    (
        "revisions are recorded in time order",
        "SELECT 'series ' || a.series_id || ' days ' || a.start_day || '..' || a.end_day
                || ' revision ' || b.revision
         FROM snapshot a JOIN snapshot b ON b.series_id = a.series_id
              AND b.start_day = a.start_day AND b.end_day = a.end_day
              AND b.revision = a.revision + 1
         WHERE b.recorded_at < a.recorded_at",
    ),
];
