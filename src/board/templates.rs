//! The board report's templates (minijinja): built in, and replaceable one file at a time from a directory
//! a federation keeps (`--template-dir`), so wording, logo and colours change without recompiling.
//!
//! minijinja rather than askama: askama compiles templates into the program, so a federation could not
//! change them without a Rust toolchain; minijinja reads them at run time, has no macros to compile (the
//! build stays as it is), and reports a broken template with its file and line. The PDF's template is a
//! Typst document (report.typ) that reads the same content as JSON; Typst reports its errors the same way.

use std::collections::BTreeMap;
use std::path::Path;

use minijinja::{Environment, Error, ErrorKind};

use super::content::Page;
use crate::error::{FinsamError, Result};

/// The built-in templates: the page and its style sheet (inlined into the page, no other file is needed).
const BUILT_IN: &[(&str, &str)] =
    &[("report.html", include_str!("../../templates/board/report.html")), ("style.css", include_str!("../../templates/board/style.css"))];

/// The PDF's built-in template.
const BUILT_IN_TYPST: &str = include_str!("../../templates/board/report.typ");

/// A file in a federation's template directory larger than this is not read (a logo is far smaller; a
/// stray video is not read into memory).
const LARGEST_TEMPLATE_FILE: u64 = 20 * 1024 * 1024;

/// The instructions an HTML template may run: the built-in report takes well under a million (measured in
/// the tests); nested loops of a hundred thousand each take ten thousand million and are stopped.
const TEMPLATE_FUEL: u64 = 50_000_000;

/// The largest HTML page a template may write: the built-in report with every chart is about 1 MB.
const LARGEST_PAGE: usize = 64 << 20;

fn check_dir(template_dir: Option<&Path>) -> Result<()> {
    match template_dir {
        Some(dir) if !dir.is_dir() => Err(FinsamError::invalid(format!("--template-dir {}: no such directory", dir.display()))),
        _ => Ok(()),
    }
}

/// An HTML template file larger than this is not read: the built-in page is about 40 kB, and parsing a
/// deeply nested expression takes stack in proportion to its size.
const LARGEST_HTML_TEMPLATE: u64 = 1 << 20;

/// The stack the HTML template is parsed and rendered on: room for the deepest expression a template of
/// `LARGEST_HTML_TEMPLATE` can hold (reserved, not used, until a template needs it).
const TEMPLATE_STACK: usize = 1 << 30;

/// All the files of a template directory that the PDF reads, together.
const LARGEST_TEMPLATE_DIR: u64 = 64 << 20;

/// Reads the file `name` names inside the template directory, or `None` when there is none (the built-in
/// one is used). A template may read only regular files inside its directory: a name that is absolute,
/// climbs out (`..`) or is hidden (`.x`) is refused, and so is a symbolic link anywhere on the way, a FIFO
/// or device, and a file with a second name (a hard link to a file elsewhere). The path is opened one
/// directory at a time from the template directory (`openat` without following links), so nothing can be
/// swapped in between a check and the read. A template shared between federations thus cannot put the
/// pseudonym key, `/proc/self/environ` or any other file into a public paper.
pub fn read_inside(dir: &Path, name: &str) -> std::result::Result<Option<Vec<u8>>, String> {
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
    use std::os::unix::ffi::OsStrExt;
    use std::path::Component;
    let mut parts = Vec::new();
    for component in Path::new(name).components() {
        let Component::Normal(part) = component else {
            return Err(format!(
                "'{name}' is not a file inside the template directory: a template reads only files beside it (no absolute path, no '..')"
            ));
        };
        if part.as_bytes().starts_with(b".") {
            return Err(format!("'{name}' names a hidden file: a template reads only the ordinary files of its directory"));
        }
        parts.push(std::ffi::CString::new(part.as_bytes()).map_err(|_| format!("'{name}' is not a file name"))?);
    }
    if parts.is_empty() {
        return Err("an empty template name".into());
    }
    let open = |at: Option<&OwnedFd>, path: &std::ffi::CStr, flags: i32| -> std::io::Result<OwnedFd> {
        let fd = unsafe {
            match at {
                Some(dir) => libc::openat(dir.as_raw_fd(), path.as_ptr(), flags | libc::O_CLOEXEC),
                None => libc::open(path.as_ptr(), flags | libc::O_CLOEXEC),
            }
        };
        if fd < 0 {
            Err(std::io::Error::last_os_error())
        } else {
            Ok(unsafe { OwnedFd::from_raw_fd(fd) })
        }
    };
    let root = std::ffi::CString::new(dir.as_os_str().as_bytes()).map_err(|_| format!("{} is not a directory name", dir.display()))?;
    let mut current = open(None, &root, libc::O_RDONLY | libc::O_DIRECTORY).map_err(|e| format!("cannot open {}: {e}", dir.display()))?;
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let flags = libc::O_RDONLY | libc::O_NOFOLLOW | if last { libc::O_NONBLOCK } else { libc::O_DIRECTORY };
        current = match open(Some(&current), part, flags) {
            Ok(fd) => fd,
            Err(e) if e.raw_os_error() == Some(libc::ENOENT) => return Ok(None),
            Err(e) => {
                // A link (ELOOP, or ENOTDIR for a link where a directory was asked) or a file on the way.
                let mut stat: libc::stat = unsafe { std::mem::zeroed() };
                let is_link = unsafe { libc::fstatat(current.as_raw_fd(), part.as_ptr(), &mut stat, libc::AT_SYMLINK_NOFOLLOW) } == 0
                    && stat.st_mode & libc::S_IFMT == libc::S_IFLNK;
                return if is_link {
                    Err(format!("'{name}' passes a symbolic link: a template reads only regular files inside its directory"))
                } else if e.raw_os_error() == Some(libc::ENOTDIR) {
                    Ok(None)
                } else {
                    Err(format!("cannot read '{name}': {e}"))
                };
            }
        };
    }
    let file = std::fs::File::from(current);
    let meta = file.metadata().map_err(|e| format!("cannot read '{name}': {e}"))?;
    if !meta.is_file() {
        return Err(format!("'{name}' is not a regular file (a device, a pipe or a directory): a template reads only regular files"));
    }
    if std::os::unix::fs::MetadataExt::nlink(&meta) > 1 {
        return Err(format!("'{name}' has another name elsewhere (a hard link): a template reads only files of its own directory"));
    }
    let limit = if name.ends_with(".html") || name.ends_with(".css") { LARGEST_HTML_TEMPLATE } else { LARGEST_TEMPLATE_FILE };
    match crate::files::read_at_most(file, limit).map_err(|e| format!("cannot read '{name}': {e}"))? {
        Ok(bytes) => Ok(Some(bytes)),
        Err(size) => Err(format!("'{name}' is {} kB, more than a template file may be ({} kB)", size >> 10, limit >> 10)),
    }
}

/// The files the PDF's Typst document may read: the built-in report.typ, replaced or joined by every
/// regular file of the template directory (a federation's own report.typ, its logo). Typst reads nothing
/// else (its world holds only these).
pub fn typst_files(template_dir: Option<&Path>) -> Result<BTreeMap<String, Vec<u8>>> {
    check_dir(template_dir)?;
    let mut files = BTreeMap::from([("report.typ".to_string(), BUILT_IN_TYPST.as_bytes().to_vec())]);
    let Some(dir) = template_dir else { return Ok(files) };
    let unreadable = |path: &Path, e: std::io::Error| FinsamError::Io { path: path.to_path_buf(), source: e };
    let mut total = 0u64;
    for entry in std::fs::read_dir(dir).map_err(|e| unreadable(dir, e))? {
        let entry = entry.map_err(|e| unreadable(dir, e))?;
        let path = entry.path();
        // Not followed: a link, a directory, a FIFO or a device is not one of the template's files.
        let metadata = entry.metadata().map_err(|e| unreadable(&path, e))?;
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else { continue };
        if metadata.is_file() && metadata.len() <= LARGEST_TEMPLATE_FILE && !name.starts_with('.') {
            let bytes = read_inside(dir, name).map_err(|refused| FinsamError::invalid(format!("the board report's PDF template: {refused}")))?;
            if let Some(bytes) = bytes {
                total += bytes.len() as u64;
                if total > LARGEST_TEMPLATE_DIR {
                    return Err(FinsamError::invalid(format!(
                        "--template-dir {}: its files come to more than {} MB, more than a board report's templates and pictures need",
                        dir.display(),
                        LARGEST_TEMPLATE_DIR >> 20
                    )));
                }
                files.insert(name.to_string(), bytes);
            }
        }
    }
    Ok(files)
}

/// A writer that refuses to grow past `LARGEST_PAGE`.
struct CappedPage(Vec<u8>);

impl std::io::Write for CappedPage {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.0.len() + buf.len() > LARGEST_PAGE {
            return Err(std::io::Error::other(format!("the page grew past {} MB, more than a board report can be", LARGEST_PAGE >> 20)));
        }
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub fn render(page: &Page, template_dir: Option<&Path>) -> Result<String> {
    check_dir(template_dir)?;
    let context = minijinja::Value::from(minijinja::value::Serde(page));
    let name = match template_dir {
        Some(dir) => format!("the board report's HTML template (report.html in {})", dir.display()),
        None => "the board report's HTML template (report.html, built in)".to_string(),
    };
    // Reading, parsing and rendering all run within the bounds, on a stack deep enough for any template
    // of the largest size.
    crate::limits::bounded(&name, crate::limits::template_limits(), || {
        std::thread::scope(|scope| {
            std::thread::Builder::new()
                .name("board-template".into())
                .stack_size(TEMPLATE_STACK)
                .spawn_scoped(scope, || render_in(context, template_dir))
                .map_err(|e| FinsamError::Internal(format!("cannot start the template's thread: {e}")))?
                .join()
                .map_err(|_| FinsamError::Internal("the board report's template stopped unexpectedly".into()))?
        })
    })
}

fn render_in(context: minijinja::Value, template_dir: Option<&Path>) -> Result<String> {
    let mut env = Environment::new();
    // A misspelt variable in a federation's template is an error naming it, not an empty text.
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.set_fuel(Some(TEMPLATE_FUEL));
    let dir = template_dir.map(Path::to_path_buf);
    env.set_loader(move |name| {
        if let Some(dir) = &dir {
            match read_inside(dir, name) {
                Ok(Some(bytes)) => {
                    return String::from_utf8(bytes)
                        .map(Some)
                        .map_err(|_| Error::new(ErrorKind::InvalidOperation, format!("{name} is not UTF-8 text: save it as UTF-8")))
                }
                Ok(None) => {}
                Err(refused) => return Err(Error::new(ErrorKind::InvalidOperation, refused)),
            }
        } else if Path::new(name).components().count() != 1 || name.starts_with('.') {
            return Err(Error::new(ErrorKind::InvalidOperation, format!("'{name}' is not one of the built-in templates")));
        }
        Ok(BUILT_IN.iter().find(|(n, _)| *n == name).map(|(_, source)| source.to_string()))
    });
    let described = |e: Error| {
        let place = match (e.name(), e.line()) {
            (Some(name), Some(line)) => format!("{name}, line {line}"),
            (Some(name), None) => name.to_string(),
            _ => "report.html".to_string(),
        };
        let detail = match e.kind() {
            ErrorKind::OutOfFuel => format!("it ran more than {TEMPLATE_FUEL} steps, more than a board report needs (a loop too many?)"),
            _ => e.detail().map(str::to_string).unwrap_or_else(|| e.kind().to_string()),
        };
        let cause = std::error::Error::source(&e).map(|c| format!(": {c}")).unwrap_or_default();
        FinsamError::invalid(format!("the board report's template {place}: {detail}{cause}"))
    };
    let template = env.get_template("report.html").map_err(described)?;
    let mut out = CappedPage(Vec::new());
    template.render_captured_to(context, &mut out).map_err(described)?;
    String::from_utf8(out.0).map_err(|_| FinsamError::Internal("the board report's template wrote text that is not UTF-8".into()))
}
