//! Analyses of cohorts: the standard participant report, comparisons, time to event, costs, and the
//! statistics and suppression every figure goes through. SQL runs in DuckDB; intervals and tests in Rust.

pub mod cohort;
pub mod compare;
pub mod competing;
pub mod costs;
mod costs_here;
pub mod money;
pub mod report;
pub mod starts;
pub mod stats;
pub mod survival;

pub use cohort::{Cohort, Membership, Period};
pub use report::{standard_report, Measure, Report};
