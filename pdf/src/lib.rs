//! Typesets a Typst document held in memory into a PDF: Typst embedded as a library, so no browser and no
//! other program is needed at run time. The caller hands over every file the document may read (its main
//! source, data as JSON, pictures) and the fonts it may use; nothing is read from disk or the network, so
//! the same files always give the same PDF bytes.

mod world;

use std::collections::BTreeMap;

use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::Smart;
use typst::WorldExt;
use typst_layout::PagedDocument;

/// What went wrong while typesetting, with the file and line where Typst found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypesetError {
    /// The document's file the problem is in (its name among the files handed over), when Typst knows it.
    pub file: Option<String>,
    /// The line in that file, counted from 1.
    pub line: Option<usize>,
    pub message: String,
    /// Typst's hints on how to fix it.
    pub hints: Vec<String>,
}

impl std::fmt::Display for TypesetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.file, self.line) {
            (Some(file), Some(line)) => write!(f, "{file}, line {line}: {}", self.message)?,
            (Some(file), None) => write!(f, "{file}: {}", self.message)?,
            _ => write!(f, "{}", self.message)?,
        }
        for hint in &self.hints {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

impl std::error::Error for TypesetError {}

/// The document to typeset: `main` names the source among `files`.
pub struct Document<'a> {
    pub main: &'a str,
    pub files: BTreeMap<String, Vec<u8>>,
    /// Font files (TrueType/OpenType, collections allowed); the document can use no others.
    pub fonts: &'a [&'static [u8]],
    /// The date `datetime.today()` gives, as (year, month, day): fixed by the caller, so the output does
    /// not depend on the day it is made.
    pub today: (i32, u8, u8),
    /// A stable name of the document; the PDF's identifier is derived from it.
    pub ident: &'a str,
}

/// Typesets the document into PDF bytes. The first error stops it; warnings are dropped.
pub fn typeset(document: &Document) -> Result<Vec<u8>, TypesetError> {
    let world = world::MemoryWorld::new(document)?;
    let compiled = typst::compile::<PagedDocument>(&world).output.map_err(|errors| first_error(&world, &errors[..]))?;
    let options = typst_pdf::PdfOptions { ident: Smart::Custom(document.ident.to_string()), ..Default::default() };
    typst_pdf::pdf(&compiled, &options).map_err(|errors| first_error(&world, &errors[..]))
}

fn first_error(world: &world::MemoryWorld, errors: &[SourceDiagnostic]) -> TypesetError {
    let Some(error) = errors.iter().find(|e| e.severity == Severity::Error).or(errors.first()) else {
        return TypesetError { file: None, line: None, message: "Typst failed without saying why".into(), hints: Vec::new() };
    };
    let file = error.span.id().map(|id| world.name_of(id));
    let line = error.span.id().zip(world.range(error.span)).and_then(|(id, range)| world.line_of(id, range.start));
    TypesetError { file, line, message: error.message.to_string(), hints: error.hints.iter().map(|h| h.v.to_string()).collect() }
}
