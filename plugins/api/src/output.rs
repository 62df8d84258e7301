//! What an analysis returns: titled tables of unprotected values. The core publishes them through its
//! disclosure control (counts perturbed or suppressed) and turns them into the same tables every built-in
//! analysis gives.

use crate::Tally;

/// One value of a plugin's table.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A text (a label, a name); never a count of people written out.
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
    /// The title above the table.
    pub title: String,
    /// The column headings, in the output's language.
    pub columns: Vec<String>,
    /// The rows, one value per column.
    pub rows: Vec<Vec<Value>>,
}

impl Section {
    /// An empty table with a title and column headings.
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
    /// The line above the tables (what the output is about).
    pub heading: String,
    /// The tables, in order.
    pub sections: Vec<Section>,
}
