//! `.sql` and `.check` in PostgreSQL.
//!
//! `.sql` runs one query (SELECT, WITH, VALUES or TABLE) in a READ ONLY
//! transaction, or under a savepoint made read-only inside the open one
//! (so that it sees what that transaction wrote), through a cursor read
//! a thousand rows at a time: memory does not grow with the result.
use postgres::SimpleQueryMessage;
use postgres::error::SqlState;
use postgres::types::Type;

use super::{Store, store_error};
use crate::core::labels::{LabelSet, SeriesKey};
use crate::core::rows::{Cell, NumberStyle};
use crate::store::invariants::INVARIANTS;
use crate::store::{Finding, Refused, Result, SqlRows, StoreError};

/// The words a query may start with.
const QUERIES: &[&str] = &["select", "with", "values", "table"];

/// The first word of a statement, past blanks, comments and parentheses.
fn first_word(sql: &str) -> String {
    let mut rest = sql;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '(');
        if let Some(after) = rest.strip_prefix("--") {
            rest = after.split_once('\n').map_or("", |(_, next)| next);
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after.split_once("*/").map_or("", |(_, next)| next);
        } else {
            break;
        }
    }
    rest.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect::<String>()
        .to_ascii_lowercase()
}

/// A value as the server sent it in text, as a cell of its column's type:
/// integers and floating point as numbers, booleans as 1 and 0 as SQLite
/// has them, anything else as text.
fn cell(value: Option<&str>, ty: &Type) -> Cell {
    let Some(text) = value else {
        return Cell::Null;
    };
    let parsed = match *ty {
        Type::INT2 | Type::INT4 | Type::INT8 | Type::OID => text.parse().ok().map(Cell::Int),
        Type::FLOAT4 | Type::FLOAT8 | Type::NUMERIC => text
            .parse()
            .ok()
            .map(|v| Cell::Number(v, NumberStyle::Plain)),
        Type::BOOL => Some(Cell::Int(i64::from(text == "t"))),
        _ => None,
    };
    parsed.unwrap_or_else(|| Cell::text(text))
}

impl Store {
    pub fn stream_sql(&self, sql: &str, sink: &mut dyn SqlRows) -> Result<()> {
        let refused = || {
            StoreError::SqlWrites(Refused::NotReadOnly(
                crate::core::quote::bounded(sql.trim()).to_string(),
            ))
        };
        let statement = self.client().prepare(sql).map_err(|e| {
            if e.code() == Some(&SqlState::SYNTAX_ERROR)
                && e.as_db_error()
                    .is_some_and(|db| db.message().contains("multiple commands"))
            {
                StoreError::OneStatement
            } else {
                store_error(e)
            }
        })?;
        if !QUERIES.contains(&first_word(sql).as_str()) {
            return Err(refused());
        }
        let inside = self.in_transaction();
        self.batch(if inside {
            "SAVEPOINT sql; SET TRANSACTION READ ONLY"
        } else {
            "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
        })?;
        let result = self
            .read_sql(sql, &statement, sink)
            .map_err(|e| match e.code() {
                Some(&SqlState::READ_ONLY_SQL_TRANSACTION | &SqlState::FEATURE_NOT_SUPPORTED) => {
                    refused()
                }
                _ => store_error(e),
            });
        let ended = self.batch(if inside {
            "ROLLBACK TO SAVEPOINT sql; RELEASE sql"
        } else {
            "ROLLBACK"
        });
        result.and(ended)
    }

    fn read_sql(
        &self,
        sql: &str,
        statement: &postgres::Statement,
        sink: &mut dyn SqlRows,
    ) -> std::result::Result<(), postgres::Error> {
        let columns = statement.columns();
        let types: Vec<Type> = columns.iter().map(|c| c.type_().clone()).collect();
        if !sink.columns(columns.iter().map(|c| c.name().to_string()).collect()) {
            return Ok(());
        }
        let mut client = self.client();
        client.batch_execute(&format!("DECLARE growthdb_sql NO SCROLL CURSOR FOR {sql}"))?;
        loop {
            let mut fetched = 0;
            for message in client.simple_query("FETCH 1000 FROM growthdb_sql")? {
                if let SimpleQueryMessage::Row(row) = message {
                    fetched += 1;
                    let cells = types.iter().enumerate().map(|(i, ty)| cell(row.get(i), ty));
                    if !sink.row(cells.collect()) {
                        return Ok(());
                    }
                }
            }
            if fetched == 0 {
                return Ok(());
            }
        }
    }

    /// Runs every check: amcheck on the store's indexes where the
    /// extension is installed, then the store's invariants.
    pub fn check(&self, days: (i32, i32)) -> Result<Vec<Finding>> {
        let mut findings = Vec::new();
        let amcheck = self.query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'amcheck')",
            &[],
        )?;
        if amcheck.get::<_, bool>(0) {
            findings.push(Finding {
                check: "postgresql amcheck of the store's indexes",
                problem: self.amcheck()?,
            });
        }
        for (check, sql) in INVARIANTS {
            let rows = if sql.contains("$1") {
                self.query(sql, &[&days.0, &days.1])?
            } else {
                self.query(sql, &[])?
            };
            let examples: Vec<String> = rows.iter().take(3).map(|row| row.get(0)).collect();
            findings.push(Finding {
                check,
                problem: (!rows.is_empty())
                    .then(|| format!("{} found, e.g. {}", rows.len(), examples.join("; "))),
            });
        }
        findings.push(Finding {
            check: "every series' name is its metric and labels",
            problem: self.misnamed_series()?,
        });
        Ok(findings)
    }

    /// amcheck's verdict on every B-tree index of the store's schema.
    fn amcheck(&self) -> Result<Option<String>> {
        let indexes = self.query(
            "SELECT c.relname::text FROM pg_index i
             JOIN pg_class c ON c.oid = i.indexrelid
             JOIN pg_namespace n ON n.oid = c.relnamespace
             JOIN pg_am am ON am.oid = c.relam
             WHERE n.nspname = 'growthdb' AND am.amname = 'btree'
             ORDER BY c.relname",
            &[],
        )?;
        let mut problems = Vec::new();
        for index in indexes {
            let name: String = index.get(0);
            let checked = self.client().execute(
                "SELECT bt_index_check(to_regclass('growthdb.' || quote_ident($1)))",
                &[&name],
            );
            if let Err(err) = checked {
                problems.push(format!("{name}: {}", store_error(err)));
            }
        }
        Ok((!problems.is_empty()).then(|| problems.join("; ")))
    }

    /// Series whose stored name is not the canonical name of their metric
    /// and labels.
    fn misnamed_series(&self) -> Result<Option<String>> {
        let rows = self.query(
            "SELECT s.id, s.name, m.name, l.key, l.value
             FROM series s JOIN metric m ON m.id = s.metric_id
             LEFT JOIN series_label l ON l.series_id = s.id
             ORDER BY s.id",
            &[],
        )?;
        let mut series: Vec<(i64, String, String, LabelSet)> = Vec::new();
        for row in rows {
            let id: i64 = row.get(0);
            if series.last().is_none_or(|s| s.0 != id) {
                series.push((id, row.get(1), row.get(2), LabelSet::new()));
            }
            let (key, value): (Option<String>, Option<String>) = (row.get(3), row.get(4));
            if let (Some(last), Some(key), Some(value)) = (series.last_mut(), key, value) {
                last.3.insert(key, value);
            }
        }
        let wrong: Vec<String> = series
            .into_iter()
            .filter_map(|(_, name, metric, labels)| {
                let canonical = SeriesKey::new(metric, labels).to_string();
                (canonical != name).then(|| format!("{name} has the labels of {canonical}"))
            })
            .collect();
        Ok((!wrong.is_empty()).then(|| {
            format!(
                "{} found, e.g. {}",
                wrong.len(),
                wrong[..wrong.len().min(3)].join("; ")
            )
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::first_word;

    #[test]
    fn the_first_word_skips_comments_and_parentheses() {
        assert_eq!(first_word("  -- hi\n /* x */ (SELECT 1)"), "select");
        assert_eq!(first_word("update metric set x = 1"), "update");
        assert_eq!(first_word(""), "");
    }
}
