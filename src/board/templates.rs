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

/// A file in a federation's template directory larger than this is not handed to the PDF (a logo is far
/// smaller; a stray video is not read into memory).
const LARGEST_TEMPLATE_FILE: u64 = 20 * 1024 * 1024;

fn check_dir(template_dir: Option<&Path>) -> Result<()> {
    match template_dir {
        Some(dir) if !dir.is_dir() => Err(FinsamError::invalid(format!("--template-dir {}: no such directory", dir.display()))),
        _ => Ok(()),
    }
}

/// The files the PDF's Typst document may read: the built-in report.typ, replaced or joined by every file
/// of the template directory (a federation's own report.typ, its logo).
pub fn typst_files(template_dir: Option<&Path>) -> Result<BTreeMap<String, Vec<u8>>> {
    check_dir(template_dir)?;
    let mut files = BTreeMap::from([("report.typ".to_string(), BUILT_IN_TYPST.as_bytes().to_vec())]);
    let Some(dir) = template_dir else { return Ok(files) };
    let unreadable = |path: &Path, e: std::io::Error| FinsamError::Io { path: path.to_path_buf(), source: e };
    for entry in std::fs::read_dir(dir).map_err(|e| unreadable(dir, e))? {
        let entry = entry.map_err(|e| unreadable(dir, e))?;
        let path = entry.path();
        let metadata = entry.metadata().map_err(|e| unreadable(&path, e))?;
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else { continue };
        if metadata.is_file() && metadata.len() <= LARGEST_TEMPLATE_FILE && !name.starts_with('.') {
            files.insert(name.to_string(), std::fs::read(&path).map_err(|e| unreadable(&path, e))?);
        }
    }
    Ok(files)
}

pub fn render(page: &Page, template_dir: Option<&Path>) -> Result<String> {
    check_dir(template_dir)?;
    let mut env = Environment::new();
    // A misspelt variable in a federation's template is an error naming it, not an empty text.
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    let dir = template_dir.map(Path::to_path_buf);
    env.set_loader(move |name| {
        if let Some(dir) = &dir {
            let path = dir.join(name);
            if path.is_file() {
                return std::fs::read_to_string(&path)
                    .map(Some)
                    .map_err(|e| Error::new(ErrorKind::InvalidOperation, format!("cannot read {}: {e}", path.display())));
            }
        }
        Ok(BUILT_IN.iter().find(|(n, _)| *n == name).map(|(_, source)| source.to_string()))
    });
    let described = |e: Error| {
        let place = match (e.name(), e.line()) {
            (Some(name), Some(line)) => format!("{name}, line {line}"),
            (Some(name), None) => name.to_string(),
            _ => "a template".to_string(),
        };
        FinsamError::invalid(format!("the board report's template {place}: {}", e.detail().unwrap_or(&e.kind().to_string())))
    };
    let template = env.get_template("report.html").map_err(described)?;
    template.render(minijinja::Value::from(minijinja::value::Serde(page))).map_err(described)
}
