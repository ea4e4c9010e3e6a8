//! A PostgreSQL server for the end-to-end tests, named by
//! `GROWTHDB_TEST_POSTGRES` (a superuser's address on a throw-away
//! cluster): each test gets a fresh database of a unique name, dropped at
//! the end. Without the variable a test prints that it was skipped; with
//! `GROWTHDB_TEST_REQUIRE_SERVERS=1` (as CI sets) that is a failure.
use std::sync::atomic::{AtomicUsize, Ordering};

pub const SKIPPED: &str = "skipped: GROWTHDB_TEST_POSTGRES is not set";

/// The server's address, or None after saying the test was skipped.
pub fn server() -> Option<String> {
    match std::env::var("GROWTHDB_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("GROWTHDB_TEST_REQUIRE_SERVERS").as_deref() != Ok("1"),
                "GROWTHDB_TEST_POSTGRES is not set, and GROWTHDB_TEST_REQUIRE_SERVERS=1 requires a PostgreSQL server"
            );
            println!("{SKIPPED}");
            eprintln!("{SKIPPED}");
            None
        }
    }
}

/// The address of database `name` on the server at `server`.
fn address_of(server: &str, name: &str) -> String {
    let base = server.split('?').next().unwrap_or(server);
    let (scheme, rest) = base.split_once("://").expect("a postgres:// address");
    let authority = rest.split('/').next().unwrap_or(rest);
    format!("{scheme}://{authority}/{name}")
}

fn admin(server: &str) -> postgres::Client {
    postgres::Client::connect(server, postgres::NoTls).expect("connect to GROWTHDB_TEST_POSTGRES")
}

/// A database of its own on the test server, dropped with this value.
pub struct Database {
    server: String,
    name: String,
    /// The database's address, for `--db`.
    pub url: String,
}

impl Database {
    /// A fresh, empty database, or None when the test is skipped.
    pub fn new() -> Option<Database> {
        let server = server()?;
        Some(Database::create(&server, None))
    }

    fn create(server: &str, template: Option<&Database>) -> Database {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let name = format!(
            "growthdb_test_{}_{}_{nanos}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        );
        let template = template.map_or(String::new(), |t| format!(" TEMPLATE \"{}\"", t.name));
        admin(server)
            .batch_execute(&format!("CREATE DATABASE \"{name}\"{template}"))
            .expect("create a test database");
        Database {
            url: address_of(server, &name),
            server: server.to_string(),
            name,
        }
    }

    /// A new database holding what this one holds (no one may be
    /// connected to this one meanwhile).
    pub fn copy(&self) -> Database {
        Database::create(&self.server, Some(self))
    }

    /// A connection to the database as the server's superuser, to set up
    /// or inspect what a test needs.
    pub fn connect(&self) -> postgres::Client {
        admin(&address_of(&self.server, &self.name))
    }

    /// The address with a password in it, which the server (trusting the
    /// test user) ignores.
    pub fn url_with_password(&self, password: &str) -> String {
        let (scheme, rest) = self.url.split_once("://").expect("a postgres:// address");
        match rest.split_once('@') {
            Some((user, host)) => format!("{scheme}://{user}:{password}@{host}"),
            None => format!("{scheme}://postgres:{password}@{rest}"),
        }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        let dropped = admin(&self.server).batch_execute(&format!(
            "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
            self.name
        ));
        if let Err(err) = dropped {
            eprintln!("cannot drop test database {}: {err}", self.name);
        }
    }
}
