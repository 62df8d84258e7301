//! The Typst "world" of one document: its files and fonts, all in memory. Typst asks the world for every
//! file it reads; a file that was not handed over is "not found", so a template cannot reach the disk.

use std::collections::HashMap;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use crate::{Document, TypesetError};

pub(crate) struct MemoryWorld {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    main: FileId,
    /// Every file by id, with the name it was handed over under.
    files: HashMap<FileId, (String, Bytes)>,
    /// The files that are Typst sources (parsed once; Typst asks for them many times).
    sources: HashMap<FileId, Source>,
    today: Datetime,
}

impl MemoryWorld {
    pub(crate) fn new(document: &Document) -> Result<MemoryWorld, TypesetError> {
        let problem = |message: String| TypesetError { file: None, line: None, message, hints: Vec::new() };
        let mut files = HashMap::new();
        let mut sources = HashMap::new();
        for (name, bytes) in &document.files {
            let id = file_id(name).ok_or_else(|| problem(format!("'{name}' is not a usable file name")))?;
            if name.ends_with(".typ") {
                let text = String::from_utf8(bytes.clone()).map_err(|_| problem(format!("{name}: not UTF-8 text")))?;
                sources.insert(id, Source::new(id, text));
            }
            files.insert(id, (name.clone(), Bytes::new(bytes.clone())));
        }
        let main = file_id(document.main).filter(|id| sources.contains_key(id));
        let main = main.ok_or_else(|| problem(format!("the document's main file '{}' was not handed over", document.main)))?;
        let fonts: Vec<Font> = document.fonts.iter().flat_map(|data| Font::iter(Bytes::new(*data))).collect();
        if fonts.is_empty() {
            return Err(problem("no usable font was handed over".into()));
        }
        let (year, month, day) = document.today;
        let today = Datetime::from_ymd(year, month, day).ok_or_else(|| problem(format!("{year}-{month}-{day} is not a date")))?;
        Ok(MemoryWorld {
            library: LazyHash::new(Library::default()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
            main,
            files,
            sources,
            today,
        })
    }

    /// The name a file was handed over under (or Typst's own path for one that was not).
    pub(crate) fn name_of(&self, id: FileId) -> String {
        match self.files.get(&id) {
            Some((name, _)) => name.clone(),
            None => format!("{:?}", id.get()),
        }
    }

    /// The line (from 1) of a byte offset in a source file.
    pub(crate) fn line_of(&self, id: FileId, byte: usize) -> Option<usize> {
        self.sources.get(&id)?.lines().byte_to_line(byte).map(|line| line + 1)
    }
}

fn file_id(name: &str) -> Option<FileId> {
    let path = VirtualPath::new(name).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, path).intern())
}

impl World for MemoryWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        match self.sources.get(&id) {
            Some(source) => Ok(source.clone()),
            None if self.files.contains_key(&id) => Err(FileError::NotSource),
            None => Err(FileError::NotFound(id.get().vpath().get_without_slash().into())),
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        match self.files.get(&id) {
            Some((_, bytes)) => Ok(bytes.clone()),
            None => Err(FileError::NotFound(id.get().vpath().get_without_slash().into())),
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}
