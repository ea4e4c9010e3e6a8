//! `.sql QUERY`: read-only SQL on the store, for what the language does not
//! cover.
//!
//! A statement runs only if it reads: SQLite's authorizer refuses anything
//! else while it is prepared (a PRAGMA that sets, ATTACH, DETACH, a
//! transaction, any change), SQLite must report the prepared statement
//! read-only (which catches VACUUM), and `query_only` stands behind both.
//! Outside a transaction it runs on a read-only connection of its own, so
//! that nothing it does can change how the store's own connection writes.
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use rusqlite::hooks::{AuthAction, AuthContext, Authorization};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};

use super::{Result, Store, StoreError};
use crate::core::rows::{Cell, NumberStyle, Rows};

/// Pragmas that only report, with or without an argument (a table name,
/// a count of errors to report).
const READING_PRAGMAS: &[&str] = &[
    "collation_list",
    "compile_options",
    "database_list",
    "foreign_key_check",
    "foreign_key_list",
    "function_list",
    "index_info",
    "index_list",
    "index_xinfo",
    "integrity_check",
    "module_list",
    "pragma_list",
    "quick_check",
    "table_info",
    "table_list",
    "table_xinfo",
];

/// Pragmas that report a setting when given no value (and change it when
/// given one, which is refused).
const SETTING_PRAGMAS: &[&str] = &[
    "application_id",
    "auto_vacuum",
    "cache_size",
    "data_version",
    "encoding",
    "foreign_keys",
    "freelist_count",
    "journal_mode",
    "page_count",
    "page_size",
    "query_only",
    "schema_version",
    "synchronous",
    "user_version",
];

/// A statement `.sql` refuses, named as the user would name it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// A pragma that sets (`value` given), or one that is not known to
    /// only report.
    #[error("PRAGMA {name}{}", value.as_ref().map(|v| format!("={v}")).unwrap_or_default())]
    Pragma { name: String, value: Option<String> },
    #[error("ATTACH")]
    Attach,
    #[error("DETACH")]
    Detach,
    #[error("a transaction statement")]
    Transaction,
    #[error("a write to {0}")]
    Write(String),
    /// Any other change: a schema change, say.
    #[error("a statement that changes the store")]
    Change,
    /// A statement SQLite prepared as one that writes (VACUUM, a pragma
    /// that may change a setting even when asked to report it).
    #[error("\"{0}\"")]
    NotReadOnly(String),
}

/// The authorizer's verdict on one action of a statement being prepared:
/// what it refuses, named.
fn authorize(action: AuthAction<'_>) -> std::result::Result<(), Refused> {
    match action {
        AuthAction::Select
        | AuthAction::Read { .. }
        | AuthAction::Function { .. }
        | AuthAction::Recursive => Ok(()),
        AuthAction::Pragma {
            pragma_name,
            pragma_value,
        } => {
            let name = pragma_name.to_ascii_lowercase();
            let reads = READING_PRAGMAS.contains(&name.as_str())
                || (pragma_value.is_none() && SETTING_PRAGMAS.contains(&name.as_str()));
            if reads {
                return Ok(());
            }
            Err(Refused::Pragma {
                name: pragma_name.to_string(),
                value: pragma_value.map(str::to_string),
            })
        }
        AuthAction::Attach { .. } => Err(Refused::Attach),
        AuthAction::Detach { .. } => Err(Refused::Detach),
        AuthAction::Transaction { .. } | AuthAction::Savepoint { .. } => Err(Refused::Transaction),
        AuthAction::Insert { table_name }
        | AuthAction::Update { table_name, .. }
        | AuthAction::Delete { table_name } => Err(Refused::Write(table_name.to_string())),
        _ => Err(Refused::Change),
    }
}

/// The authorizer's switch and what it refused first (to name it in the
/// error). The store's own connection keeps it installed and switched off
/// except while `.sql` prepares a statement.
#[derive(Default)]
pub(super) struct SqlGuard {
    on: AtomicBool,
    refused: Mutex<Option<Refused>>,
}

impl SqlGuard {
    fn on() -> SqlGuard {
        SqlGuard {
            on: AtomicBool::new(true),
            refused: Mutex::default(),
        }
    }

    fn take_refused(&self) -> Option<Refused> {
        self.refused
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
    }
}

/// Installs `guard`'s authorizer on `conn`.
pub(super) fn install(conn: &mut Connection, guard: &Arc<SqlGuard>) -> rusqlite::Result<()> {
    let guard = Arc::clone(guard);
    conn.authorizer(Some(move |ctx: AuthContext<'_>| {
        if !guard.on.load(Ordering::Relaxed) {
            return Authorization::Allow;
        }
        match authorize(ctx.action) {
            Ok(()) => Authorization::Allow,
            Err(what) => {
                let mut first = guard.refused.lock().unwrap_or_else(|e| e.into_inner());
                first.get_or_insert(what);
                Authorization::Deny
            }
        }
    }))
}

/// The read-only connection of `.sql`, opened on first use.
pub(super) struct SqlConnection {
    conn: Connection,
    guard: Arc<SqlGuard>,
}

impl SqlConnection {
    fn open(path: &str, immutable: bool) -> Result<SqlConnection> {
        let mut conn = if immutable {
            Connection::open_with_flags(super::immutable::uri(path), super::immutable_flags())?
        } else {
            let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            Connection::open_with_flags(super::sqlite_path(path).as_ref(), flags)?
        };
        conn.busy_handler(Some(super::wait_for_lock))?;
        conn.pragma_update(None, "query_only", true)?;
        let guard = Arc::new(SqlGuard::on());
        install(&mut conn, &guard)?;
        Ok(SqlConnection { conn, guard })
    }
}

/// Where `.sql` rows go as SQLite makes them; `false` from either
/// method stops the query (the output was closed, say).
pub trait SqlRows {
    fn columns(&mut self, names: Vec<String>) -> bool;
    fn row(&mut self, cells: Vec<Cell>) -> bool;
}

/// Gathers a whole result.
impl SqlRows for Rows {
    fn columns(&mut self, names: Vec<String>) -> bool {
        *self = Rows::named(names);
        true
    }

    fn row(&mut self, cells: Vec<Cell>) -> bool {
        self.push(cells);
        true
    }
}

impl Store {
    /// Runs one SQL statement that only reads, handing its rows to `sink`
    /// one at a time, so that memory does not grow with the result.
    pub fn stream_sql(&self, sql: &str, sink: &mut dyn SqlRows) -> Result<()> {
        // Inside a transaction (a batch group, a block) the statement must
        // see what the transaction wrote: it runs on the store's connection,
        // guarded the same way for its duration. So does a `:memory:` store,
        // which no other connection can see.
        if self.in_transaction() || self.path == ":memory:" {
            self.conn.pragma_update(None, "query_only", true)?;
            self.sql_guard.on.store(true, Ordering::Relaxed);
            let result = read_sql(&self.conn, sql, &self.sql_guard, sink);
            self.sql_guard.on.store(false, Ordering::Relaxed);
            self.conn.pragma_update(None, "query_only", false)?;
            return result;
        }
        let mut slot = self.sql_conn.borrow_mut();
        if slot.is_none() {
            *slot = Some(SqlConnection::open(&self.path, self.immutable)?);
        }
        let sql_conn = slot.as_ref().expect("opened above");
        read_sql(&sql_conn.conn, sql, &sql_conn.guard, sink)
    }
}

fn read_sql(conn: &Connection, sql: &str, guard: &SqlGuard, sink: &mut dyn SqlRows) -> Result<()> {
    guard.take_refused();
    let mut stmt = conn.prepare(sql).map_err(|e| {
        let what = guard.take_refused();
        match (e, what) {
            (_, Some(what)) => StoreError::SqlWrites(what),
            (rusqlite::Error::MultipleStatement, None) => StoreError::OneStatement,
            (other, None) => StoreError::from(other),
        }
    })?;
    if !stmt.readonly() {
        // VACUUM, and pragmas that may change a setting even when asked
        // to report it.
        return Err(StoreError::SqlWrites(Refused::NotReadOnly(
            crate::core::quote::bounded(sql.trim()).to_string(),
        )));
    }
    let names = stmt.column_names().map(str::to_string).collect();
    if !sink.columns(names) {
        return Ok(());
    }
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
        if !sink.row(cells) {
            break;
        }
    }
    Ok(())
}
