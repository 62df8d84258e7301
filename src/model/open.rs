//! Opening a database file: every refusal happens before DuckDB may write anything.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use duckdb::{AccessMode, Config, Connection};

use super::migrate::{self, Plan};
use super::Model;
use crate::error::{FinsamError, Result};

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Access {
    ReadWrite,
    ReadOnly,
    /// Read-write, creating the database when the file does not exist.
    Create,
    /// Only a new database: an existing file is refused.
    CreateNew,
}

pub fn open(path: &Path, access: Access) -> Result<Model> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Err(FinsamError::invalid(format!("{} is a directory, not a database file", path.display()))),
        Ok(_) if access == Access::CreateNew => Err(FinsamError::CannotCreate { path: path.to_path_buf(), reason: "the file already exists".into() }),
        Ok(_) => open_existing(path, if access == Access::ReadOnly { Access::ReadOnly } else { Access::ReadWrite }),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => match access {
            Access::Create | Access::CreateNew => create(path),
            // A mistyped path must not become a new, empty database.
            Access::ReadWrite | Access::ReadOnly => Err(FinsamError::Io {
                path: path.to_path_buf(),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no database here: check the path, or create one with `finsam init --db PATH` (Python: finsam.open(path, create=True))",
                ),
            }),
        },
        Err(source) => Err(FinsamError::Io { path: path.to_path_buf(), source }),
    }
}

/// A DuckDB file starts with an 8-byte checksum followed by the magic bytes `DUCK`.
fn check_magic(path: &Path) -> Result<()> {
    let mut header = [0u8; 12];
    let mut file = File::open(path).map_err(|source| FinsamError::Io { path: path.to_path_buf(), source })?;
    let mut filled = 0;
    while filled < header.len() {
        match file.read(&mut header[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(source) => return Err(FinsamError::Io { path: path.to_path_buf(), source }),
        }
    }
    if filled < header.len() || &header[8..12] != b"DUCK" {
        return Err(FinsamError::NotADatabase { path: path.to_path_buf() });
    }
    Ok(())
}

fn open_existing(path: &Path, access: Access) -> Result<Model> {
    check_magic(path)?;
    // Without a write-ahead log, opening for writing writes nothing until something is changed: open once and
    // decide on that connection (opening a database costs more than everything a short command does).
    // With one, DuckDB would replay it into the file on opening for writing: look first through a read-only
    // connection, so that a refusal cannot have written anything.
    let wal = path.with_extension(wal_extension(path));
    if access != Access::ReadOnly && !wal.exists() {
        let conn = connect(path, AccessMode::ReadWrite)?;
        if let Plan::Migrate { .. } = migrate::plan(&conn, Some(path))? {
            migrate::migrate(&conn, Some(path))?;
        }
        return Model::from_parts(conn, Some(path.to_path_buf()), true);
    }
    let reader = connect(path, AccessMode::ReadOnly)?;
    let plan = migrate::plan(&reader, Some(path))?;
    match (access, plan) {
        (Access::ReadOnly, Plan::UpToDate) => Model::from_parts(reader, Some(path.to_path_buf()), false),
        (Access::ReadOnly, Plan::Migrate { from }) => {
            Err(FinsamError::NeedsMigration { path: path.to_path_buf(), found: from, supported: migrate::SCHEMA_VERSION })
        }
        (_, plan) => {
            drop(reader);
            let conn = connect(path, AccessMode::ReadWrite)?;
            if let Plan::Migrate { .. } = plan {
                migrate::migrate(&conn, Some(path))?;
            }
            Model::from_parts(conn, Some(path.to_path_buf()), true)
        }
    }
}

fn create(path: &Path) -> Result<Model> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !parent.is_dir() {
        return Err(FinsamError::CannotCreate { path: path.to_path_buf(), reason: format!("the directory {} does not exist", parent.display()) });
    }
    let conn = connect(path, AccessMode::ReadWrite).map_err(|err| FinsamError::CannotCreate { path: path.to_path_buf(), reason: err.to_string() })?;
    if let Err(err) = migrate::migrate(&conn, Some(path)) {
        // The file is ours and new: leave nothing half-made behind.
        drop(conn);
        let _ = std::fs::remove_file(path);
        let _ = std::fs::remove_file(path.with_extension(wal_extension(path)));
        return Err(err);
    }
    // The database holds person-level rows: readable by its owner only.
    for file in [path.to_path_buf(), path.with_extension(wal_extension(path))] {
        if file.exists() {
            crate::files::restrict(&file).map_err(|source| FinsamError::Io { path: file.clone(), source })?;
        }
    }
    Model::from_parts(conn, Some(path.to_path_buf()), true)
}

fn wal_extension(path: &Path) -> String {
    match path.extension() {
        Some(ext) => format!("{}.wal", ext.to_string_lossy()),
        None => "wal".into(),
    }
}

fn config(mode: AccessMode) -> Result<Config> {
    let read_only = matches!(mode, AccessMode::ReadOnly);
    let config = Config::default()
        .access_mode(mode)
        // Never reach for the network to fetch an extension: everything finsam uses is compiled in.
        .and_then(|c| c.with("autoinstall_known_extensions", "false"))
        .and_then(|c| c.with("autoload_known_extensions", "false"));
    // A database opened read-only runs SQL that researchers and plugins write: it reads and writes no other
    // file (no COPY TO, read_csv('/etc/shadow'), ATTACH). finsam's own outputs are written by finsam, not
    // through this connection. DuckDB allows this setting to be turned off, never on again.
    // Its configuration is locked too: a setting that names a file (`SET log_query_path = 'the.duckdb'`)
    // would write into the database's own file, the one file DuckDB still lets it reach.
    let config =
        if read_only { config.and_then(|c| c.enable_external_access(false)).and_then(|c| c.with("lock_configuration", "true")) } else { config };
    config.map_err(FinsamError::db("configuring DuckDB"))
}

fn connect(path: &Path, mode: AccessMode) -> Result<Connection> {
    Connection::open_with_flags(path, config(mode)?).map_err(|source| classify_open_error(path, source))
}

pub fn connect_in_memory() -> Result<Connection> {
    Connection::open_in_memory_with_flags(config(AccessMode::Automatic)?).map_err(FinsamError::db("opening an in-memory database"))
}

fn classify_open_error(path: &Path, source: duckdb::Error) -> FinsamError {
    let message = source.to_string();
    if message.contains("Could not set lock") || message.contains("Conflicting lock") {
        FinsamError::InUse { path: path.to_path_buf() }
    } else if message.contains("not a valid DuckDB database file") {
        FinsamError::NotADatabase { path: path.to_path_buf() }
    } else {
        FinsamError::Database { context: format!("opening {}", path.display()), source }
    }
}
