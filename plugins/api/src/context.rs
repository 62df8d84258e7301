//! What a plugin gets from the core: read-only SQL over the documented views and its own tables, the
//! cohort it was asked about, and the language of the output.

use arrow::array::{ArrayRef, AsArray};
use arrow::datatypes::{DataType, Float64Type, Int64Type};
use arrow::record_batch::RecordBatch;

use crate::PluginError;

/// The language of the labels a plugin writes. Swedish first: board members read Swedish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    /// Swedish (the default).
    Sv,
    /// English.
    En,
}

impl Lang {
    /// `sv` or `en` as the text to show.
    pub fn pick<'a>(self, sv: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Sv => sv,
            Lang::En => en,
        }
    }
}

/// A parameter bound to a `?` of a plugin's SQL (never pasted into the text).
#[derive(Debug, Clone, PartialEq)]
pub enum Param {
    /// SQL NULL (cast it in the statement: `?::BIGINT IS NULL`).
    Null,
    /// A whole number.
    Integer(i64),
    /// A number.
    Number(f64),
    /// A text (also dates, as 'YYYY-MM-DD', cast in the statement).
    Text(String),
}

/// The core's side of a plugin call.
///
/// Relations a plugin's SQL may read (documented in the plugin guide): the views `finsam_code_list`, `finsam_participant`,
/// `finsam_enrolment`, `finsam_intervention`, `finsam_federation`, `finsam_contribution`, `finsam_member`,
/// `finsam_allocation_input`; its own tables; and, when the analysis was run for a cohort, `cohort` (one row
/// per enrolment of the cohort, with `record_key`, `participant_key`, `sex`, `age`, the intervention's
/// `federation_id` and `target_group`, and `exit_known`, the exit if it happened by the data's end).
pub trait Context {
    /// Runs one read-only statement (SELECT, WITH, FROM, VALUES) with bound parameters; anything that
    /// would write is refused and nothing it did is kept.
    fn query(&self, sql: &str, params: &[Param]) -> Result<Vec<RecordBatch>, PluginError>;
    /// The language to label the output in.
    fn lang(&self) -> Lang;
    /// The cohort in words ("Komvux · inskrivna 2022-2023"), when the call has one.
    fn cohort_description(&self) -> Option<String>;
    /// The data's end (YYYY-MM-DD): exits after it are not yet known, enrolments without an exit are open.
    fn data_end(&self) -> String;
    /// A count as every protected output of this call publishes it: perturbed by its cell key, `None` where
    /// suppression hides it, the true count in a raw run. Amounts computed from published counts give away
    /// no more than the published counts themselves (the core's cost per participant is built this way);
    /// amounts computed from true counts would let a reader undo the protection by dividing.
    fn published(&self, count: crate::Tally) -> Option<u64>;
    /// The published count when an amount per person may rest on it: at least 5 people published (or a
    /// raw run); `None` otherwise, and the amount is then not shown.
    fn divisor(&self, count: crate::Tally) -> Option<u64>;
    /// A count with its cell-key noise whatever the call's protection (the true count in a raw run), for
    /// amounts built from many counts: under suppression the hidden cells would otherwise be left out, and
    /// whatever rescales the rest for them tells a reader how many were hidden. A perturbed count is never
    /// 1–4 and the same count always gets the same noise, so amounts built from these give away nothing.
    fn perturbed(&self, count: crate::Tally) -> u64;
}

/// Rows of Arrow batches read by column name, for the small results plugins mostly deal with.
pub struct Rows {
    batches: Vec<RecordBatch>,
}

impl Rows {
    /// The rows of a query's batches (`Context::query`).
    pub fn new(batches: Vec<RecordBatch>) -> Rows {
        Rows { batches }
    }

    /// How many rows.
    pub fn len(&self) -> usize {
        self.batches.iter().map(RecordBatch::num_rows).sum()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The whole column `name` cast to `to`, batch after batch.
    fn column(&self, name: &str, to: &DataType) -> Result<Vec<ArrayRef>, PluginError> {
        self.batches
            .iter()
            .map(|b| {
                let column = b.column_by_name(name).ok_or_else(|| PluginError(format!("the result has no column '{name}'")))?;
                // Strict: a value that does not fit the type is an error, never a NULL.
                let options = arrow::compute::CastOptions { safe: false, ..Default::default() };
                Ok(arrow::compute::cast_with_options(column, to, &options)?)
            })
            .collect()
    }

    /// Column `name` as text (NULL as `None`). A hidden published count ("<5", "..") reads as its text.
    pub fn texts(&self, name: &str) -> Result<Vec<Option<String>>, PluginError> {
        Ok(self
            .column(name, &DataType::Utf8)?
            .iter()
            .flat_map(|a| a.as_string::<i32>().iter().map(|v| v.map(str::to_string)).collect::<Vec<_>>())
            .collect())
    }

    /// Column `name` as floating-point numbers (NULL as `None`).
    pub fn numbers(&self, name: &str) -> Result<Vec<Option<f64>>, PluginError> {
        Ok(self.column(name, &DataType::Float64)?.iter().flat_map(|a| a.as_primitive::<Float64Type>().iter().collect::<Vec<_>>()).collect())
    }

    /// Column `name` as integers (NULL as `None`); a value that does not fit is an error, not a wrap.
    pub fn integers(&self, name: &str) -> Result<Vec<Option<i64>>, PluginError> {
        Ok(self.column(name, &DataType::Int64)?.iter().flat_map(|a| a.as_primitive::<Int64Type>().iter().collect::<Vec<_>>()).collect())
    }

    /// Counts of people: column `n` (a `count(*)`) with its key column `key` (the `sum(record_key)`), and
    /// the smallest key from a column named `key` + `_min` (the `min(record_key)`) when the statement has
    /// one. Without it, a count of 1–4 is published by the sum alone, which a long chain of nested cohorts
    /// can count (see `Tally`); with it, it cannot.
    pub fn tallies(&self, n: &str, key: &str) -> Result<Vec<crate::Tally>, PluginError> {
        let n_name = n;
        let counts = self.integers(n)?;
        let min_name = format!("{key}_min");
        let has_min = self.batches.first().is_some_and(|b| b.schema().column_with_name(&min_name).is_some());
        let mins = if has_min { self.integers(&min_name)? } else { vec![None; counts.len()] };
        // A sum of 32-bit keys can pass i64's range only past 2³¹ rows; read it as a decimal to be safe.
        let keys: Vec<Option<i128>> = self
            .column(key, &DataType::Decimal128(38, 0))?
            .iter()
            .flat_map(|a| a.as_primitive::<arrow::datatypes::Decimal128Type>().iter().collect::<Vec<_>>())
            .collect();
        counts
            .into_iter()
            .zip(keys)
            .zip(mins)
            .map(|((n, k), min)| match (n, k) {
                (None, _) => Err(PluginError(format!("a NULL in the count column '{n_name}'"))),
                (Some(n), None) if n > 0 => Err(PluginError(format!("{n} counted in '{n_name}' without a key in '{key}': sum the rows' record_key"))),
                (Some(n), k) => Ok(crate::Tally::from_sql(n, k, min.filter(|_| has_min))),
            })
            .collect()
    }
}
