//! The files a store is made of, known by identity (device and inode)
//! rather than by name, so that no output file is ever one of them.
use std::ffi::OsString;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// SQLite's files beside a store: the store itself, then its journals.
const SUFFIXES: [&str; 4] = ["", "-wal", "-shm", "-journal"];

/// Links are followed this many times at most (as the system does).
const MAX_LINKS: usize = 40;

/// A file's identity.
type Identity = (u64, u64);

fn identity(meta: &fs::Metadata) -> Identity {
    (meta.dev(), meta.ino())
}

/// Where a store's files lie: the directory (by path and identity) and
/// the store file's name there, for the path as given and as resolved
/// (SQLite names the journals after the resolved path).
#[derive(Debug, Default)]
pub struct StoreFiles {
    places: Vec<Place>,
}

#[derive(Debug, PartialEq)]
struct Place {
    dir: PathBuf,
    dir_identity: Identity,
    name: OsString,
}

impl StoreFiles {
    /// The files of the store at `path`; none for `:memory:`.
    pub fn of(path: &str) -> StoreFiles {
        let mut places = Vec::new();
        if path != ":memory:" {
            let given = Path::new(path);
            let resolved = fs::canonicalize(given).ok();
            for file in std::iter::once(given.to_path_buf()).chain(resolved) {
                if let Some(place) = place_of(&file)
                    && !places.contains(&place)
                {
                    places.push(place);
                }
            }
        }
        StoreFiles { places }
    }

    /// Whether writing to `candidate` would write the store or one of its
    /// journals, whether or not that file exists now.
    pub fn contains(&self, candidate: &Path) -> bool {
        if self.places.is_empty() {
            return false;
        }
        let mut file = candidate.to_path_buf();
        for _ in 0..MAX_LINKS {
            if let Ok(meta) = fs::metadata(&file) {
                let target = identity(&meta);
                return self.existing().any(|own| own == target);
            }
            // A link to a file that does not exist yet writes that file.
            match fs::read_link(&file) {
                Ok(target) => file = parent_dir(&file).join(target),
                Err(_) => break,
            }
        }
        // A file that does not exist is one of the store's only by its
        // place: the same directory and one of the journals' names.
        place_of(&file).is_some_and(|other| {
            self.places.iter().any(|own| {
                own.dir_identity == other.dir_identity
                    && SUFFIXES
                        .iter()
                        .any(|s| with_suffix(&own.name, s) == other.name)
            })
        })
    }

    /// The identities of the store's files that exist.
    fn existing(&self) -> impl Iterator<Item = Identity> + '_ {
        self.places.iter().flat_map(|place| {
            SUFFIXES.iter().filter_map(move |suffix| {
                let file = place.dir.join(with_suffix(&place.name, suffix));
                fs::metadata(file).ok().map(|m| identity(&m))
            })
        })
    }
}

fn with_suffix(name: &OsString, suffix: &str) -> OsString {
    let mut name = name.clone();
    name.push(suffix);
    name
}

fn parent_dir(file: &Path) -> PathBuf {
    match file.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A file's directory, with its identity, and the file's name in it.
fn place_of(file: &Path) -> Option<Place> {
    let name = file.file_name()?.to_os_string();
    let dir = parent_dir(file);
    let dir_identity = identity(&fs::metadata(&dir).ok()?);
    Some(Place {
        dir,
        dir_identity,
        name,
    })
}
