//! `.sql QUERY`: read-only SQL on the store, for what the language does not
//! cover.
use rusqlite::types::ValueRef;

use super::{Result, Store, StoreError};
use crate::core::rows::{Cell, NumberStyle, Rows};

impl Store {
    /// Runs one SQL statement with writes refused (`PRAGMA query_only`), and
    /// returns its rows under the names SQLite gives the columns.
    pub fn query_sql(&self, sql: &str) -> Result<Rows> {
        self.conn.pragma_update(None, "query_only", true)?;
        let result = self.read_sql(sql);
        self.conn.pragma_update(None, "query_only", false)?;
        result
    }

    fn read_sql(&self, sql: &str) -> Result<Rows> {
        let mut stmt = self.conn.prepare(sql).map_err(|e| match e {
            rusqlite::Error::MultipleStatement => StoreError::OneStatement,
            other => StoreError::from(other),
        })?;
        let names = stmt.column_names().map(str::to_string).collect();
        let mut out = Rows::named(names);
        let width = stmt.column_count();
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let cells = (0..width)
                .map(|i| {
                    Ok(match row.get_ref(i)? {
                        ValueRef::Null => Cell::Null,
                        ValueRef::Integer(i) => Cell::Int(i),
                        ValueRef::Real(v) => Cell::Number(v, NumberStyle::Plain),
                        ValueRef::Text(t) => Cell::text(String::from_utf8_lossy(t)),
                        ValueRef::Blob(b) => Cell::text(format!("<{} bytes>", b.len())),
                    })
                })
                .collect::<rusqlite::Result<Vec<_>>>()?;
            out.push(cells);
        }
        Ok(out)
    }
}
