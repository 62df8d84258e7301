//! Analyses of cohorts: the standard participant report, comparisons, time to event, costs, and the
//! statistics and suppression every figure goes through. SQL runs in DuckDB; intervals and tests in Rust.

pub mod cohort;
pub mod compare;
pub mod competing;
pub mod costs;
mod costs_here;
mod money;
pub mod outputs;
pub mod published;
pub mod render;
pub mod report;
pub mod section;
pub mod stats;
pub mod survival;

pub use crate::disclosure::Protection;
pub use cohort::{Cohort, Membership, Period};
pub use report::{standard_report, Measure, Report};
