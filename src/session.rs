//! The openers the faces use: a model with the built-in plugins installed (their SQL functions registered,
//! their tables migrated on a database open for writing). `Model`'s own constructors open a database without
//! plugins, as the model layer knows nothing of the plugin host.

use std::path::Path;

use crate::error::Result;
use crate::model::Model;

fn with_builtin_plugins(mut model: Model) -> Result<Model> {
    model.install_plugins(crate::plugins::builtin()?)?;
    Ok(model)
}

/// Opens the existing database at `path` for reading and writing (`Model::open`), with the built-in plugins.
pub fn open(path: impl AsRef<Path>) -> Result<Model> {
    with_builtin_plugins(Model::open(path)?)
}

/// Creates a new database at `path` (`Model::create`), with the built-in plugins.
pub fn create(path: impl AsRef<Path>) -> Result<Model> {
    with_builtin_plugins(Model::create(path)?)
}

/// Opens the database at `path`, creating it when the file does not exist (`Model::open_or_create`), with
/// the built-in plugins.
pub fn open_or_create(path: impl AsRef<Path>) -> Result<Model> {
    with_builtin_plugins(Model::open_or_create(path)?)
}

/// Opens an existing database without ever writing to it (`Model::open_read_only`), with the built-in
/// plugins' SQL functions.
pub fn open_read_only(path: impl AsRef<Path>) -> Result<Model> {
    with_builtin_plugins(Model::open_read_only(path)?)
}

/// An empty model in memory, with the built-in plugins.
pub fn in_memory() -> Result<Model> {
    with_builtin_plugins(Model::in_memory()?)
}
