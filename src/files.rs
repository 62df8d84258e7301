//! Writing output files safely: never over an existing file unless asked (`--force`), never through a
//! symbolic link, and atomically: the content goes to a temporary file in the same directory, which is
//! renamed into place only when complete, so nobody ever reads half a file and a failure leaves nothing.

use std::path::{Path, PathBuf};

use crate::error::{FinsamError, Result};

/// Who may read the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Readers {
    /// As the user's umask says (charts, templates, protected tables).
    Usual,
    /// The owner only (mode 0600): person-level rows and raw counts.
    OwnerOnly,
}

/// Writes `path` through `fill`, which writes the whole content to the temporary path it is given.
pub fn write_file(path: &Path, overwrite: bool, readers: Readers, fill: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    check_target(path, overwrite)?;
    let temporary = temporary_beside(path);
    let io = |source| FinsamError::Io { path: path.to_path_buf(), source };
    if readers == Readers::OwnerOnly {
        // Private from the first byte: the writer truncates and fills this file, keeping its mode.
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        options.open(&temporary).map_err(io)?;
    }
    let written = fill(&temporary).and_then(|()| {
        if readers == Readers::OwnerOnly {
            restrict(&temporary).map_err(io)?;
        }
        std::fs::rename(&temporary, path).map_err(io)
    });
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

/// Refuses a target that is a symbolic link, a directory, or (without `overwrite`) an existing file.
pub fn check_target(path: &Path, overwrite: bool) -> Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            Err(FinsamError::invalid(format!("{} is a symbolic link: finsam does not write through links; give the real path", path.display())))
        }
        Ok(meta) if meta.is_dir() => Err(FinsamError::invalid(format!("{} is a directory: give a file name", path.display()))),
        Ok(_) if !overwrite => Err(FinsamError::invalid(format!(
            "{} already exists: nothing was written (add --force, or overwrite=True in Python, to replace it)",
            path.display()
        ))),
        _ => Ok(()),
    }
}

/// Limits a file to its owner (mode 0600 on unix).
pub fn restrict(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(())
    }
}

/// A name for the temporary file in the target's directory (a rename does not cross file systems), ending
/// in the target's extension (writers choose their format by it).
fn temporary_beside(path: &Path) -> PathBuf {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let extension = path.extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default();
    path.with_file_name(format!(".{name}.{}-{n}.finsam-part{extension}", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_existing_files_links_and_keeps_nothing_on_failure() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.csv");
        write_file(&target, false, Readers::Usual, |p| std::fs::write(p, "a").map_err(|source| FinsamError::Io { path: p.into(), source })).unwrap();
        let err = write_file(&target, false, Readers::Usual, |_| Ok(())).unwrap_err().to_string();
        assert!(err.contains("already exists") && err.contains("--force"), "{err}");
        write_file(&target, true, Readers::OwnerOnly, |p| std::fs::write(p, "b").map_err(|source| FinsamError::Io { path: p.into(), source }))
            .unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "b");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&target).unwrap().permissions().mode() & 0o777, 0o600);
            let link = dir.path().join("link.csv");
            std::os::unix::fs::symlink(dir.path().join("elsewhere.csv"), &link).unwrap();
            assert!(write_file(&link, true, Readers::Usual, |_| Ok(())).unwrap_err().to_string().contains("symbolic link"));
            assert!(!dir.path().join("elsewhere.csv").exists());
        }
        let failed = write_file(&dir.path().join("never.csv"), false, Readers::Usual, |p| {
            std::fs::write(p, "half").unwrap();
            Err(FinsamError::invalid("drawing failed"))
        });
        assert!(failed.is_err());
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().to_string()).collect();
        assert!(!left.iter().any(|n| n.contains("never") || n.contains("finsam-part")), "{left:?}");
    }
}
