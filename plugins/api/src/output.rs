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
    /// The table's stable name (snake_case, the same in every language): JSON carries it, Python picks a
    /// table by it (`output["actors"]`), the board report finds a plugin's table by it. Unique within an
    /// output; the host refuses an output with an empty or repeated one.
    pub id: String,
    /// The title above the table.
    pub title: String,
    /// The column headings, in the output's language.
    pub columns: Vec<String>,
    /// The columns' stable names for machines (snake_case, the same in every language), one per column; empty
    /// when the plugin gives none, and the host then makes them from the headings.
    pub keys: Vec<String>,
    /// Groups of count columns (by index) whose sum in a row is published elsewhere (a report shows the
    /// women and men of a row together): under suppression the host hides no single cell of such a group
    /// alone. Empty for most tables.
    pub public_sums: Vec<Vec<usize>>,
    /// The count column (by index), if any, that holds each row's sum of the other count columns (a
    /// "total" column): under suppression the host audits the table with it as the rows' totals, so that a
    /// hidden part cannot be worked out from it, nor the table's grand total from the totals. `None` for
    /// most tables.
    pub row_total: Option<usize>,
    /// Groups of people the table does not print but that its counts are tied to (see `identities`).
    pub groups: Vec<Group>,
    /// Identities between the table's counts that hold by definition (a stock and its flows: those enrolled
    /// in a year are those enrolled the year before less those who left, plus those who started). Under
    /// suppression the host audits the table as one linear system with them, so that no hidden count of 1–4
    /// follows from the shown ones. An identity that does not hold of the true counts hides the whole table.
    pub identities: Vec<Identity>,
    /// Rows (by index) that are audited with the table but not printed: those other outputs print (the
    /// other years of a yearly export). A table printed in parts is then published as the same cells in
    /// every part, so that the parts together give away no more than the whole table.
    pub context_rows: Vec<usize>,
    /// The rows, one value per column.
    pub rows: Vec<Vec<Value>>,
}

/// A group of people a table does not print.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Its true count, with its cell key (0 when it has none, as a difference of counts of different
    /// units: people and enrolments).
    pub count: Tally,
    /// Whether a reader is taken to know it (a count published elsewhere, or one a reader would rightly
    /// guess, as that nobody was enrolled twice in a year): the audit then treats it as shown.
    pub known: bool,
}

/// A count of a table or a group it does not print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Term {
    /// The count in this row and column (both from 0).
    Cell(usize, usize),
    /// A group, by its index in `Section::groups`.
    Group(usize),
}

/// `total` = the sum of `parts`.
#[derive(Debug, Clone, PartialEq)]
pub struct Identity {
    /// The whole.
    pub total: Term,
    /// Its parts.
    pub parts: Vec<Term>,
}

impl Section {
    /// An empty table with its stable name, a title and column headings.
    pub fn new(id: &str, title: impl Into<String>, columns: &[&str]) -> Section {
        Section {
            id: id.to_string(),
            title: title.into(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            keys: Vec::new(),
            public_sums: Vec::new(),
            row_total: None,
            groups: Vec::new(),
            identities: Vec::new(),
            context_rows: Vec::new(),
            rows: Vec::new(),
        }
    }

    /// An empty table with a title and its columns as (stable name, heading): CSV, JSON and Python read the
    /// names, people the headings.
    pub fn keyed(id: &str, title: impl Into<String>, columns: &[(&str, &str)]) -> Section {
        Section {
            id: id.to_string(),
            title: title.into(),
            columns: columns.iter().map(|(_, c)| c.to_string()).collect(),
            keys: columns.iter().map(|(k, _)| k.to_string()).collect(),
            public_sums: Vec::new(),
            row_total: None,
            groups: Vec::new(),
            identities: Vec::new(),
            context_rows: Vec::new(),
            rows: Vec::new(),
        }
    }

    /// Adds a group the table does not print and gives its term.
    pub fn group(&mut self, count: Tally, known: bool) -> Term {
        self.groups.push(Group { count, known });
        Term::Group(self.groups.len() - 1)
    }

    /// Adds the identity `total` = the sum of `parts`.
    pub fn identity(&mut self, total: Term, parts: &[Term]) {
        self.identities.push(Identity { total, parts: parts.to_vec() });
    }

    /// Adds a row; it must have one value per column.
    pub fn push(&mut self, row: Vec<Value>) {
        self.rows.push(row);
    }
}

/// Stable-looking names made from headings, for tables whose author gave none (a plugin's): lower case,
/// å, ä and ö as a and o, anything but letters and digits as one `_`, a repeated name numbered (`_2`).
/// They follow the headings, so they change with the language; a plugin that gives keys
/// (`Section::keyed`) avoids that; `machine_names` of the English headings gives keys that do not change.
pub fn machine_names(headings: &[String]) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(headings.len());
    for heading in headings {
        let mut name = String::new();
        for c in heading.to_lowercase().chars() {
            let c = match c {
                'å' | 'ä' | 'à' | 'á' => 'a',
                'ö' | 'ø' | 'ó' => 'o',
                'é' | 'è' => 'e',
                c => c,
            };
            if c.is_ascii_alphanumeric() {
                name.push(c);
            } else if !name.is_empty() && !name.ends_with('_') {
                name.push('_');
            }
        }
        let mut name = name.trim_end_matches('_').to_string();
        if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
            name = format!("column_{name}").trim_end_matches('_').to_string();
        }
        let base = name.clone();
        let mut n = 1;
        while names.contains(&name) {
            n += 1;
            name = format!("{base}_{n}");
        }
        names.push(name);
    }
    names
}

/// An analysis result: a heading and its tables.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Output {
    /// The line above the tables (what the output is about).
    pub heading: String,
    /// The tables, in order.
    pub sections: Vec<Section>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_made_from_headings_are_snake_case_and_unique() {
        let headings: Vec<String> = ["mått", "Värde (kr)", "värde kr", "2020–2021", "", "Förändring %"].map(String::from).to_vec();
        assert_eq!(machine_names(&headings), ["matt", "varde_kr", "varde_kr_2", "column_2020_2021", "column", "forandring"]);
    }
}
