//! The series of a metric one at a time in the order rows take (by labels
//! compared as text), without holding them: a metric of many series is
//! ordered through a temporary table of this connection, whose pages live
//! in a temporary file rather than in memory.
use crate::core::labels::LabelSet;

use super::{MetricId, Result, SeriesRow, Store, StoreError};

/// Metrics with at most this many series are read whole and sorted in
/// memory; larger ones go through the temporary table.
pub const IN_MEMORY_SERIES: i64 = 16_384;

impl Store {
    /// Calls `each` with every series of `metric` in label order, until it
    /// returns false.
    pub fn each_series_of_metric<E: From<StoreError>>(
        &self,
        metric: MetricId,
        mut each: impl FnMut(SeriesRow) -> Result<bool, E>,
    ) -> Result<(), E> {
        let count: i64 = self
            .conn
            .prepare_cached("SELECT count(*) FROM series WHERE metric_id = ?1")
            .and_then(|mut stmt| stmt.query_row([metric], |row| row.get(0)))
            .map_err(StoreError::from)?;
        if count <= IN_MEMORY_SERIES {
            for series in self.series_of_metric(metric)? {
                if !each(series)? {
                    break;
                }
            }
            return Ok(());
        }
        self.order_series(metric)?;
        let walked = self.walk_ordered(&mut each);
        let dropped = self
            .conn
            .execute_batch("DROP TABLE IF EXISTS temp.series_order");
        walked?;
        dropped.map_err(StoreError::from)?;
        Ok(())
    }

    /// Fills the temporary table with the series of `metric`, keyed by
    /// their labels as [`label_key`] encodes them.
    fn order_series(&self, metric: MetricId) -> Result<()> {
        self.conn.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS series_order (
                 key BLOB PRIMARY KEY, id INTEGER NOT NULL, metric_id INTEGER NOT NULL,
                 name TEXT NOT NULL, max_days INTEGER NOT NULL
             ) WITHOUT ROWID;
             DELETE FROM temp.series_order;",
        )?;
        // By id, as the metric's index gives them: no sort to hold.
        let mut read = self.conn.prepare_cached(
            "SELECT s.id, s.metric_id, s.name, s.max_days, l.key, l.value
             FROM series s LEFT JOIN series_label l ON l.series_id = s.id
             WHERE s.metric_id = ?1 ORDER BY s.id, l.key",
        )?;
        let mut write = self.conn.prepare_cached(
            "INSERT INTO temp.series_order (key, id, metric_id, name, max_days)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let mut put = |s: &SeriesRow| -> Result<()> {
            write.execute(rusqlite::params![
                label_key(&s.labels),
                s.id,
                s.metric_id,
                s.name,
                s.max_days
            ])?;
            Ok(())
        };
        let mut rows = read.query([metric])?;
        let mut current: Option<SeriesRow> = None;
        while let Some(row) = rows.next()? {
            let id = row.get(0)?;
            if current.as_ref().is_none_or(|s| s.id != id) {
                if let Some(done) = current.take() {
                    put(&done)?;
                }
                current = Some(SeriesRow {
                    id,
                    metric_id: row.get(1)?,
                    name: row.get(2)?,
                    labels: LabelSet::new(),
                    max_days: row.get(3)?,
                });
            }
            if let (Some(key), Some(s)) = (row.get::<_, Option<String>>(4)?, current.as_mut()) {
                s.labels.insert(key, row.get::<_, String>(5)?);
            }
        }
        if let Some(done) = current {
            put(&done)?;
        }
        Ok(())
    }

    fn walk_ordered<E: From<StoreError>>(
        &self,
        each: &mut impl FnMut(SeriesRow) -> Result<bool, E>,
    ) -> Result<(), E> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT key, id, metric_id, name, max_days FROM temp.series_order ORDER BY key",
            )
            .map_err(StoreError::from)?;
        let mut rows = stmt.query([]).map_err(StoreError::from)?;
        while let Some(row) = rows.next().map_err(StoreError::from)? {
            let key: Vec<u8> = row.get(0).map_err(StoreError::from)?;
            let series = SeriesRow {
                id: row.get(1).map_err(StoreError::from)?,
                metric_id: row.get(2).map_err(StoreError::from)?,
                name: row.get(3).map_err(StoreError::from)?,
                labels: labels_of_key(&key),
                max_days: row.get(4).map_err(StoreError::from)?,
            };
            if !each(series)? {
                break;
            }
        }
        Ok(())
    }
}

/// Ends a text in a key; a 0 byte in the text is written as 0, 255.
const END: [u8; 2] = [0, 1];

/// Labels as bytes that compare as the label sets do: keys then values in
/// key order, each text ended so that a shorter text sorts first.
pub(super) fn label_key(labels: &LabelSet) -> Vec<u8> {
    let mut key = Vec::new();
    for (k, v) in labels.iter() {
        for text in [k, v] {
            for &b in text.as_bytes() {
                key.push(b);
                if b == 0 {
                    key.push(255);
                }
            }
            key.extend_from_slice(&END);
        }
    }
    key
}

/// The labels [`label_key`] encoded.
fn labels_of_key(key: &[u8]) -> LabelSet {
    let mut texts = Vec::new();
    let mut text = Vec::new();
    let mut bytes = key.iter();
    while let Some(&b) = bytes.next() {
        match (b, bytes.as_slice().first()) {
            (0, Some(255)) => {
                bytes.next();
                text.push(0);
            }
            (0, _) => {
                bytes.next();
                texts.push(String::from_utf8_lossy(&text).into_owned());
                text.clear();
            }
            _ => text.push(b),
        }
    }
    let mut labels = LabelSet::new();
    for pair in texts.chunks_exact(2) {
        labels.insert(pair[0].clone(), pair[1].clone());
    }
    labels
}

#[cfg(test)]
mod tests {
    use super::{label_key, labels_of_key};
    use crate::core::labels::LabelSet;

    fn set(pairs: &[(&str, &str)]) -> LabelSet {
        let mut labels = LabelSet::new();
        for (k, v) in pairs {
            labels.insert(*k, *v);
        }
        labels
    }

    #[test]
    fn keys_sort_as_label_sets_and_decode_back() {
        let sets = [
            set(&[]),
            set(&[("a", "")]),
            set(&[("a", "1")]),
            set(&[("a", "1"), ("b", "2")]),
            set(&[("a", "10")]),
            set(&[("a", "1\0")]),
            set(&[("a", "2")]),
            set(&[("a\0", "1")]),
            set(&[("a1", "1")]),
            set(&[("ab", "")]),
            set(&[("b", "Zürich")]),
        ];
        for a in &sets {
            assert_eq!(&labels_of_key(&label_key(a)), a);
            for b in &sets {
                assert_eq!(label_key(a).cmp(&label_key(b)), a.cmp(b), "{a:?} {b:?}");
            }
        }
    }
}
