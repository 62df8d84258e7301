//! The board report's templates (minijinja): built in, and replaceable one file at a time from a directory
//! a federation keeps (`--template-dir`), so wording, logo and colours change without recompiling.
//!
//! minijinja rather than askama: askama compiles templates into the program, so a federation could not
//! change them without a Rust toolchain; minijinja reads them at run time, has no macros to compile (the
//! build stays as it is), and reports a broken template with its file and line.

use std::path::Path;

use minijinja::{Environment, Error, ErrorKind};

use super::content::Page;
use crate::error::{FinsamError, Result};

/// The built-in templates: the page and its style sheet (inlined into the page, no other file is needed).
const BUILT_IN: &[(&str, &str)] =
    &[("report.html", include_str!("../../templates/board/report.html")), ("style.css", include_str!("../../templates/board/style.css"))];

pub fn render(page: &Page, template_dir: Option<&Path>) -> Result<String> {
    if let Some(dir) = template_dir {
        if !dir.is_dir() {
            return Err(FinsamError::invalid(format!("--template-dir {}: no such directory", dir.display())));
        }
    }
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
