//! The series of a metric one at a time in label order, without holding
//! them: a cursor in the read's transaction, which the server sorts (on
//! disk when large) and hands over a batch at a time, so that the caller
//! may run its own queries between batches.
use postgres::Row;

use super::{Store, store_error};
use crate::core::labels::LabelSet;
use crate::store::{MetricId, Result, SeriesRow, StoreError};

/// Series fetched from the cursor at a time.
const BATCH: usize = 1_024;

impl Store {
    /// Calls `each` with every series of `metric` in label order, until it
    /// returns false.
    pub fn each_series_of_metric<E: From<StoreError>>(
        &self,
        metric: MetricId,
        mut each: impl FnMut(SeriesRow) -> Result<bool, E>,
    ) -> Result<(), E> {
        // A cursor lives in a transaction: a read outside one gets its own.
        let own = !self.in_transaction();
        if own {
            self.begin_read()?;
        }
        let walked = self.walk_ordered(metric, &mut each);
        let ended = match (own, &walked) {
            (true, Ok(())) => self.commit(),
            (true, Err(_)) => self.rollback(),
            (false, Ok(())) => self.batch("CLOSE series_order"),
            // The transaction may have failed with the walk; its owner ends it.
            (false, Err(_)) => self.batch("CLOSE series_order").or(Ok(())),
        };
        walked?;
        ended?;
        Ok(())
    }

    fn walk_ordered<E: From<StoreError>>(
        &self,
        metric: MetricId,
        each: &mut impl FnMut(SeriesRow) -> Result<bool, E>,
    ) -> Result<(), E> {
        // Keys then values, in key order, compared byte by byte: the order
        // of label sets (LabelSet's), the total (no labels) first. The id
        // is a plain number, so it is written into the statement.
        self.batch(&format!(
            "DECLARE series_order NO SCROLL CURSOR FOR
             SELECT * FROM (
               SELECT s.id, s.metric_id, s.name, s.max_days,
                      ARRAY(SELECT p.text FROM series_label l,
                              LATERAL (VALUES (0, l.key), (1, l.value)) AS p (part, text)
                            WHERE l.series_id = s.id ORDER BY l.key, p.part) AS labels
               FROM series s WHERE s.metric_id = {metric}) ordered
             ORDER BY labels COLLATE \"C\", id"
        ))?;
        let fetch = format!("FETCH {BATCH} FROM series_order");
        loop {
            let rows = self
                .client()
                .query(fetch.as_str(), &[])
                .map_err(store_error)?;
            let done = rows.len() < BATCH;
            for row in &rows {
                if !each(series_row(row))? {
                    return Ok(());
                }
            }
            if done {
                return Ok(());
            }
        }
    }
}

fn series_row(row: &Row) -> SeriesRow {
    let texts: Vec<String> = row.get(4);
    let mut labels = LabelSet::new();
    for pair in texts.chunks_exact(2) {
        labels.insert(pair[0].clone(), pair[1].clone());
    }
    SeriesRow {
        id: row.get(0),
        metric_id: row.get(1),
        name: row.get(2),
        labels,
        max_days: row.get(3),
    }
}
