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
    remove_stale_parts(path);
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

/// A directory that finsam writes several files into (a chart set): created if missing, refused when it is
/// a symbolic link (the files would land wherever it points).
pub fn check_output_dir(dir: &Path) -> Result<()> {
    if std::fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(FinsamError::invalid(format!(
            "{} is a symbolic link: finsam does not write through links; give the real directory",
            dir.display()
        )));
    }
    std::fs::create_dir_all(dir).map_err(|source| FinsamError::Io { path: dir.to_path_buf(), source })
}

/// Removes what a killed write of the same target left (`.NAME.PID-N.finsam-part…` of a process that no
/// longer runs); a write of this process or of a running one is left alone.
fn remove_stale_parts(path: &Path) {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else { return };
    let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
    let prefix = format!(".{}.", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().to_string();
        let Some(rest) = file.strip_prefix(&prefix) else { continue };
        let Some((pid, tail)) = rest.split_once('-') else { continue };
        let Ok(pid) = pid.parse::<u32>() else { continue };
        if !tail.contains(".finsam-part") || pid == std::process::id() || process_runs(pid) {
            continue;
        }
        if entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn process_runs(pid: u32) -> bool {
    #[cfg(unix)]
    {
        // Signal 0 checks without sending; EPERM means it runs under another user.
        let sent = unsafe { libc::kill(pid as libc::pid_t, 0) };
        sent == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
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

/// Reads a whole input file that must be a regular file of at most `limit` bytes: a FIFO would hang (holding
/// the database's lock), `/dev/zero` or `/dev/stdin` would never end, a symbolic link may lead anywhere
/// (`/etc/shadow`). The file is opened without following a link and without waiting on a FIFO, and checked
/// on the opened handle, so nothing can be swapped in between. `what` names the kind in the message.
pub fn read_regular(path: &Path, limit: u64, what: &str) -> Result<Vec<u8>> {
    let file = open_regular(path, what)?;
    match read_at_most(file, limit).map_err(|source| FinsamError::Io { path: path.to_path_buf(), source })? {
        Ok(bytes) => Ok(bytes),
        Err(size) => Err(too_large(path, size, limit, what)),
    }
}

/// The whole content of an opened file, or (as `Err`) its size when that is more than `limit` bytes. The
/// size is checked on the handle first and again while reading (a file may grow): never more than `limit`
/// bytes are held.
pub fn read_at_most(file: std::fs::File, limit: u64) -> std::io::Result<std::result::Result<Vec<u8>, u64>> {
    use std::io::Read;
    let size = file.metadata()?.len();
    if size > limit {
        return Ok(Err(size));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Ok(Err(bytes.len() as u64));
    }
    Ok(Ok(bytes))
}

fn too_large(path: &Path, size: u64, limit: u64, what: &str) -> FinsamError {
    let mb = |b: u64| if b >= 1 << 20 { format!("{} MB", b >> 20) } else { format!("{} kB", b.div_ceil(1024)) };
    FinsamError::invalid(format!(
        "{}: {}, more than finsam reads as a {what} ({}): split it or check that it is the right file",
        path.display(),
        mb(size),
        mb(limit)
    ))
}

/// Opens `path` for reading if it is a regular file reached without a symbolic link at its end.
pub fn open_regular(path: &Path, what: &str) -> Result<std::fs::File> {
    let io = |source| FinsamError::Io { path: path.to_path_buf(), source };
    let meta = std::fs::symlink_metadata(path).map_err(io)?;
    if meta.file_type().is_symlink() {
        return Err(FinsamError::invalid(format!(
            "{} is a symbolic link: finsam reads a {what} only from a regular file (give the real path)",
            path.display()
        )));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|source| {
        if source.raw_os_error() == Some(libc::ELOOP) {
            FinsamError::invalid(format!("{} is a symbolic link: finsam reads a {what} only from a regular file", path.display()))
        } else {
            io(source)
        }
    })?;
    let opened = file.metadata().map_err(io)?;
    if !opened.is_file() {
        let kind = if opened.is_dir() { "a directory" } else { "not a regular file (a device, a pipe or a socket)" };
        return Err(FinsamError::invalid(format!("{} is {kind}: finsam reads a {what} only from a regular file", path.display())));
    }
    Ok(file)
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

    #[test]
    fn a_killed_writers_part_file_is_removed_by_the_next_write() {
        let dir = tempfile::tempdir().unwrap();
        // PIDs above the kernel's largest (4194304) never run.
        let stale = dir.path().join(".out.svg.4999999-0.finsam-part.svg");
        std::fs::write(&stale, "half").unwrap();
        let running = dir.path().join(format!(".out.svg.{}-99.finsam-part.svg", std::process::id()));
        std::fs::write(&running, "mine").unwrap();
        let target = dir.path().join("out.svg");
        write_file(&target, false, Readers::Usual, |p| std::fs::write(p, "a").map_err(|source| FinsamError::Io { path: p.into(), source })).unwrap();
        assert!(!stale.exists(), "the dead writer's part is gone");
        assert!(running.exists(), "a running writer's part stays");
    }

    #[test]
    fn inputs_are_regular_files_only() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.csv");
        std::fs::write(&file, "x;y\n").unwrap();
        assert_eq!(read_regular(&file, 100, "CSV file").unwrap(), b"x;y\n");
        assert!(read_regular(&file, 2, "CSV file").unwrap_err().to_string().contains("more than finsam reads"));
        assert!(read_regular(Path::new("/dev/zero"), 1 << 20, "CSV file").unwrap_err().to_string().contains("not a regular file"));
        assert!(read_regular(dir.path(), 100, "CSV file").unwrap_err().to_string().contains("a directory"));
        #[cfg(unix)]
        {
            let link = dir.path().join("link.csv");
            std::os::unix::fs::symlink("/etc/passwd", &link).unwrap();
            assert!(read_regular(&link, 1 << 20, "CSV file").unwrap_err().to_string().contains("symbolic link"));
            let fifo = dir.path().join("fifo.csv");
            let name = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
            assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
            // Opened without waiting for a writer, and refused.
            assert!(read_regular(&fifo, 100, "CSV file").unwrap_err().to_string().contains("not a regular file"));
        }
    }
}
