//! finsam: an open analytics kernel for Swedish Finsam federations (samordningsförbund).
//!
//! The core keeps a federation's participants, interventions and money in one DuckDB database
//! ([`Model`]) and computes every figure there; the CLI (`src/cli`) and the Python binding (`python/`)
//! are thin faces over it.

// Every public item says what it is for: the core is a library researchers call from Rust.
#![warn(missing_docs)]

pub mod analysis;
pub mod board;
pub mod charts;
pub mod codes;
pub mod demo;
pub mod disclosure;
pub mod error;
pub mod export;
pub mod files;
mod format;
pub mod generate;
pub mod import;
pub mod kit;
pub mod limits;
pub mod model;
pub mod notebook;
pub mod options;
pub mod overview;
pub mod plugins;
pub mod present;
mod pseudonym;
mod rng;
mod session;
pub mod table;
mod text;

pub use error::{FinsamError, Result};

// Counts the heap while a federation's template runs, so a template cannot take the machine's memory.
#[global_allocator]
static ALLOCATOR: limits::CountingAllocator = limits::CountingAllocator;
pub use model::Model;
pub use session::{create, in_memory, open, open_or_create, open_read_only};
pub use table::{Format, Table};
