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

/// Reads the file `name` names inside the template directory, or `None` when there is none (the built-in
/// one is used). A template may read only regular files inside its directory: a name that is absolute,
/// climbs out (`..`), is hidden (`.x`) or passes a symbolic link is refused, so a template shared between
/// federations cannot put the pseudonym key, `/proc/self/environ` or any other file into a public paper.
pub fn read_inside(dir: &Path, name: &str) -> std::result::Result<Option<Vec<u8>>, String> {
    use std::path::Component;
    let relative = Path::new(name);
    let mut path = dir.to_path_buf();
    let mut components = relative.components().peekable();
    if components.peek().is_none() {
        return Err("an empty template name".into());
    }
    while let Some(component) = components.next() {
        let Component::Normal(part) = component else {
            return Err(format!(
                "'{name}' is not a file inside the template directory: a template reads only files beside it (no absolute path, no '..')"
            ));
        };
        if part.to_string_lossy().starts_with('.') {
            return Err(format!("'{name}' names a hidden file: a template reads only the ordinary files of its directory"));
        }
        path.push(part);
        match std::fs::symlink_metadata(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(format!("{} is a symbolic link: a template reads only regular files inside its directory", path.display()))
            }
            Ok(meta) if components.peek().is_some() && !meta.is_dir() => return Ok(None),
            Ok(_) => {}
        }
    }
    crate::files::read_regular(&path, LARGEST_TEMPLATE_FILE, "template file").map(Some).map_err(|e| e.to_string())
}

/// The files the PDF's Typst document may read: the built-in report.typ, replaced or joined by every
/// regular file of the template directory (a federation's own report.typ, its logo). Typst reads nothing
/// else (its world holds only these).
pub fn typst_files(template_dir: Option<&Path>) -> Result<BTreeMap<String, Vec<u8>>> {
    check_dir(template_dir)?;
    let mut files = BTreeMap::from([("report.typ".to_string(), BUILT_IN_TYPST.as_bytes().to_vec())]);
    let Some(dir) = template_dir else { return Ok(files) };
    let unreadable = |path: &Path, e: std::io::Error| FinsamError::Io { path: path.to_path_buf(), source: e };
    for entry in std::fs::read_dir(dir).map_err(|e| unreadable(dir, e))? {
        let entry = entry.map_err(|e| unreadable(dir, e))?;
        let path = entry.path();
        // Not followed: a link, a directory, a FIFO or a device is not one of the template's files.
        let metadata = entry.metadata().map_err(|e| unreadable(&path, e))?;
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else { continue };
        if metadata.is_file() && metadata.len() <= LARGEST_TEMPLATE_FILE && !name.starts_with('.') {
            files.insert(name.to_string(), crate::files::read_regular(&path, LARGEST_TEMPLATE_FILE, "template file")?);
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
    let context = minijinja::Value::from(minijinja::value::Serde(page));
    let name = match template_dir {
        Some(dir) => format!("the board report's HTML template (report.html in {})", dir.display()),
        None => "the board report's HTML template (report.html, built in)".to_string(),
    };
    let rendered = crate::limits::bounded(&name, crate::limits::template_limits(), || {
        let mut out = CappedPage(Vec::new());
        template.render_captured_to(context, &mut out).map(|_| out.0)
    });
    let bytes = rendered.map_err(described)?;
    String::from_utf8(bytes).map_err(|_| FinsamError::Internal("the board report's template wrote text that is not UTF-8".into()))
}
