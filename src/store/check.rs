//! `.check`: SQLite's own integrity check and the store's invariants.
use super::{Result, Store};
use crate::core::labels::{LabelSet, SeriesKey};
use crate::store::invariants::INVARIANTS;

/// One check and what it found: `None` when all is well, else a description
/// of the problem with an example.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub check: &'static str,
    pub problem: Option<String>,
}

/// Counts rows of `sql` (which selects one text column describing each bad
/// row) and describes the first few.
fn bad_rows(store: &Store, sql: &str, days: (i32, i32)) -> Result<Option<String>> {
    let mut stmt = store.conn.prepare(sql)?;
    let uses_days = stmt.parameter_count() == 2;
    let mut rows = if uses_days {
        stmt.query([days.0, days.1])?
    } else {
        stmt.query([])?
    };
    let (mut count, mut examples) = (0u64, Vec::new());
    while let Some(row) = rows.next()? {
        count += 1;
        if examples.len() < 3 {
            examples.push(row.get::<_, String>(0)?);
        }
    }
    Ok((count > 0).then(|| format!("{count} found, e.g. {}", examples.join("; "))))
}

impl Store {
    /// Runs every check; `days` is the range of day numbers a period may
    /// span, `[first, past_last)`.
    pub fn check(&self, days: (i32, i32)) -> Result<Vec<Finding>> {
        let integrity: Vec<String> = self
            .conn
            .prepare("PRAGMA integrity_check")?
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut findings = vec![Finding {
            check: "sqlite integrity_check",
            problem: (integrity != ["ok"]).then(|| integrity.join("; ")),
        }];
        for (check, sql) in INVARIANTS {
            findings.push(Finding {
                check,
                problem: bad_rows(self, sql, days)?,
            });
        }
        findings.push(Finding {
            check: "every series' name is its metric and labels",
            problem: self.misnamed_series()?,
        });
        Ok(findings)
    }

    /// Series whose stored name is not the canonical name of their metric
    /// and labels (queries find series by name, imports by labels).
    fn misnamed_series(&self) -> Result<Option<String>> {
        let mut stmt = self.conn.prepare(
            "SELECT s.id, s.name, m.name, l.key, l.value
             FROM series s JOIN metric m ON m.id = s.metric_id
             LEFT JOIN series_label l ON l.series_id = s.id
             ORDER BY s.id",
        )?;
        let mut rows = stmt.query([])?;
        let (mut count, mut examples) = (0u64, Vec::new());
        let mut current: Option<(i64, String, String, LabelSet)> = None;
        let mut finish = |series: Option<(i64, String, String, LabelSet)>| {
            if let Some((_, name, metric, labels)) = series {
                let canonical = SeriesKey::new(metric, labels).to_string();
                if canonical != name {
                    count += 1;
                    if examples.len() < 3 {
                        examples.push(format!("{name} has the labels of {canonical}"));
                    }
                }
            }
        };
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            if current.as_ref().is_none_or(|c| c.0 != id) {
                finish(current.take());
                current = Some((id, row.get(1)?, row.get(2)?, LabelSet::new()));
            }
            let (key, value): (Option<String>, Option<String>) = (row.get(3)?, row.get(4)?);
            if let (Some((.., labels)), Some(key), Some(value)) = (current.as_mut(), key, value) {
                labels.insert(key, value);
            }
        }
        finish(current.take());
        Ok((count > 0).then(|| format!("{count} found, e.g. {}", examples.join("; "))))
    }
}
