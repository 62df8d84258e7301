//! finsam's integration tests, as one binary: DuckDB is linked into one test executable instead of one per
//! file (ripgrep and uv lay out their tests the same way). Each module is one area; `common` holds helpers.

mod common;

mod analysis;
mod board;
mod charts;
mod cli;
mod demo;
mod disclosure;
mod exports_read_with_reports;
mod generate;
mod import;
mod model;
mod money;
mod plugins;
mod socioeconomic;
mod untrusted_input;
