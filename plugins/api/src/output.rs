//! What an analysis returns: titled tables of unprotected values. The core publishes them through its
//! disclosure control (counts perturbed or suppressed) and turns them into the same tables every built-in
//! analysis gives.

use crate::Tally;

/// One value of a plugin's table.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    /// A count of people (or enrolments), with its cell key: published only through disclosure control.
    Count(Tally),
    /// A whole number that counts no people (a year, a population from official statistics).
    Integer(Option<i64>),
    /// A number that counts no people (an amount, a rate); `None` is shown as empty, never as NaN.
    Number(Option<f64>),
}

/// A titled table.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

impl Section {
    pub fn new(title: impl Into<String>, columns: &[&str]) -> Section {
        Section { title: title.into(), columns: columns.iter().map(|c| c.to_string()).collect(), rows: Vec::new() }
    }

    /// Adds a row; it must have one value per column.
    pub fn push(&mut self, row: Vec<Value>) {
        self.rows.push(row);
    }
}

/// An analysis result: a heading and its tables.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Output {
    pub heading: String,
    pub sections: Vec<Section>,
}
