//! Reading a store where SQLite cannot create its `-wal` and `-shm` files.
//!
//! SQLite reads a store in WAL mode through those two files beside it and
//! creates them when they are missing, even to read; in a directory that
//! cannot be written it cannot, and even a query fails. A read-only session
//! there opens the file as immutable instead, which creates nothing and
//! takes no lock, and is correct as long as nothing writes the store
//! meanwhile (nothing can without writing the directory: only a process
//! allowed to write it, another user's, could). That needs the whole store
//! in the file: a `-wal` that holds changes is read only through a `-shm`,
//! and a store with such a `-wal` and no `-shm` cannot be read there.

/// Whether the store at `path` is whole in its file: its `-wal` is
/// missing or holds no frame (a header of 32 bytes at most).
pub fn whole_in_file(path: &str) -> bool {
    std::fs::metadata(format!("{path}-wal")).map_or(true, |meta| meta.len() <= 32)
}

/// The URI SQLite opens `path` by, read as an immutable file: every byte
/// but letters, digits and `/._-~` percent-encoded, and a second leading
/// slash too, which would otherwise start an authority.
pub fn uri(path: &str) -> String {
    let mut uri = String::from("file:");
    for (at, byte) in path.bytes().enumerate() {
        let plain = byte.is_ascii_alphanumeric()
            || b"._-~".contains(&byte)
            || (byte == b'/' && !(at == 1 && path.starts_with("//")));
        if plain {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri.push_str("?immutable=1");
    uri
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn paths_become_uris_that_sqlite_reads_back_as_the_same_path() {
        assert_eq!(uri("store.db"), "file:store.db?immutable=1");
        assert_eq!(uri("/srv/a b/x.db"), "file:/srv/a%20b/x.db?immutable=1");
        assert_eq!(uri("file:x?#%.db"), "file:file%3Ax%3F%23%25.db?immutable=1");
        assert_eq!(uri("//srv/x.db"), "file:/%2Fsrv/x.db?immutable=1");
    }
}
