//! A PostgreSQL address (`postgres://USER@HOST[:PORT]/DB`) and its
//! password, found as libpq finds it: in the address, else `PGPASSWORD`,
//! else the password file (`PGPASSFILE`, or `~/.pgpass`). The address is
//! only ever shown without its password.
use std::path::PathBuf;
use std::str::FromStr;

use postgres::Config;
use postgres::config::Host;

/// Whether a `--db` value names a PostgreSQL database.
pub fn is_address(text: &str) -> bool {
    let lower = text.get(..13).unwrap_or(text).to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

/// The address as people may see it: the user, host, port and database,
/// never a password.
pub fn redacted(text: &str) -> String {
    let Some((scheme, rest)) = text.split_once("://") else {
        return text.to_string();
    };
    let (authority, path) = match rest.find(['/', '?']) {
        Some(at) => rest.split_at(at),
        None => (rest, ""),
    };
    // A query string may carry `password=...` too: it is dropped whole.
    let path = path.split('?').next().unwrap_or_default();
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}@{host}{path}")
        }
        None => format!("{scheme}://{authority}{path}"),
    }
}

/// Why a `postgres://` address cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum AddressError {
    #[error("the address is not postgres://USER@HOST[:PORT]/DB ({0})")]
    Malformed(#[source] postgres::Error),
    #[error("the address names no host (postgres://USER@HOST[:PORT]/DB)")]
    NoHost,
    #[error("the address names no user (postgres://USER@HOST/DB)")]
    NoUser,
}

/// What to connect to, with the password looked up.
pub struct Target {
    pub config: Config,
    /// The address without a password, to name the store in messages.
    pub shown: String,
    /// The password in use, to scrub from anything the server says.
    pub password: Option<String>,
}

impl Target {
    pub fn parse(text: &str) -> Result<Target, AddressError> {
        let shown = redacted(text);
        let mut config = Config::from_str(text).map_err(AddressError::Malformed)?;
        if config.get_hosts().is_empty() {
            return Err(AddressError::NoHost);
        }
        if config.get_user().is_none() {
            let user = std::env::var("PGUSER")
                .or_else(|_| std::env::var("USER"))
                .map_err(|_| AddressError::NoUser)?;
            config.user(&user);
        }
        if config.get_dbname().is_none() {
            let user = config.get_user().unwrap_or_default().to_string();
            config.dbname(&user);
        }
        if config.get_password().is_none()
            && let Some(password) = std::env::var("PGPASSWORD")
                .ok()
                .or_else(|| from_password_file(&config))
        {
            config.password(password);
        }
        let password = config
            .get_password()
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .filter(|p| !p.is_empty());
        config.application_name("growthdb");
        Ok(Target {
            config,
            shown,
            password,
        })
    }

    /// `text` with the password, should it appear, replaced.
    pub fn scrub(&self, text: &str) -> String {
        match &self.password {
            Some(password) => text.replace(password.as_str(), "***"),
            None => text.to_string(),
        }
    }
}

/// The password file's entry for this host, port, database and user, if
/// any: lines `host:port:database:user:password`, `*` matching anything,
/// `\` escaping `:` and `\`, as libpq reads them.
fn from_password_file(config: &Config) -> Option<String> {
    let path = std::env::var_os("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| dirs::home_dir().map(|home| home.join(".pgpass")))?;
    let text = std::fs::read_to_string(path).ok()?;
    let host = match config.get_hosts().first()? {
        Host::Tcp(name) => name.clone(),
        #[cfg(unix)]
        Host::Unix(_) => "localhost".to_string(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let wanted = [
        host.as_str(),
        port.as_str(),
        config.get_dbname().unwrap_or_default(),
        config.get_user().unwrap_or_default(),
    ];
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .map(fields)
        .find(|fields| {
            fields.len() == 5
                && fields[..4]
                    .iter()
                    .zip(wanted)
                    .all(|(field, want)| field == "*" || field == want)
        })
        .map(|mut fields| fields.swap_remove(4))
}

/// The fields of one password file line.
fn fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    fields.last_mut().expect("one field").push(next);
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => fields.last_mut().expect("one field").push(c),
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_shown_without_passwords() {
        assert_eq!(
            redacted("postgres://ann:s3cret@db.example:5433/sales"),
            "postgres://ann@db.example:5433/sales"
        );
        assert_eq!(
            redacted("postgresql://ann@db/sales?password=s3cret"),
            "postgresql://ann@db/sales"
        );
        assert_eq!(redacted("postgres://db/sales"), "postgres://db/sales");
        assert_eq!(redacted("postgres://ann:p@ss@db/x"), "postgres://ann@db/x");
    }

    #[test]
    fn password_file_lines_split_on_unescaped_colons() {
        assert_eq!(
            fields(r"db:5432:*:ann:pa\:ss\\word"),
            ["db", "5432", "*", "ann", r"pa:ss\word"]
        );
        assert_eq!(fields("a:b:c:d:e:f"), ["a", "b", "c", "d", "e:f"]);
    }

    #[test]
    fn only_postgres_addresses_are_addresses() {
        assert!(is_address("postgres://u@h/d"));
        assert!(is_address("PostgreSQL://u@h/d"));
        assert!(!is_address("postgres.db"));
        assert!(!is_address(":memory:"));
    }
}
