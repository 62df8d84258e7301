//! A titled table of published values, and its two Arrow forms: the table people read (headings in the
//! output's language, numbers rounded as printed, hidden counts as "<5" and "..") and the table machines
//! read (stable snake_case column names, codes instead of labels, full precision, hidden counts as null).
//!
//! Both are made from the same values, so they cannot disagree. The first is what the table text, the
//! board report and spreadsheets show; the second is what CSV, JSON, Parquet and the Python `Table` carry.

use std::collections::HashMap;
use std::sync::Arc;

use arrow::array::{ArrayRef, BooleanArray, Float64Array, Int64Array, StringArray, UInt64Array};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;

use crate::disclosure::Cell;
use crate::error::{FinsamError, Result};
use crate::table::Table;

/// The field metadata key of a column's heading in the output's language (on the machine table).
pub const LABEL: &str = "finsam.label";
/// The field metadata key of what a column holds: `count`, `share`, `p_value`, `number`, `integer`, `code`,
/// `text` or `flag` (on the machine table).
pub const KIND: &str = "finsam.kind";
/// The schema metadata key of a table's title (on the machine table).
pub const TITLE: &str = "finsam.title";

/// One value of a printable table.
#[derive(Debug, Clone)]
pub enum Value {
    /// A text (a name), the same for people and machines.
    Text(String),
    /// A value of a code list or a fixed row: machines read the code, people the label.
    Label {
        /// The stable code (`work_or_studies`, `female`, `total`).
        code: String,
        /// The label in the output's language.
        label: String,
    },
    /// A yes or no: machines read a boolean, people the word.
    Flag {
        /// The value.
        value: bool,
        /// The word in the output's language.
        label: String,
    },
    /// A count as published.
    Count(Cell),
    /// A number that may be missing, printed as it is: null, never NaN.
    Number(Option<f64>),
    /// A number printed with this many decimals; machines read it unrounded.
    Rounded(Option<f64>, i32),
    /// A proportion (a share, its interval, a difference of shares): printed with four decimals.
    Share(Option<f64>),
    /// A p-value: printed with six decimals.
    PValue(Option<f64>),
    /// A whole number that counts no people (a year, a month, a population from official statistics).
    Integer(Option<i64>),
}

impl Value {
    /// A code-list value or a fixed row: `code` for machines, `label` for people.
    pub fn label(code: impl Into<String>, label: impl Into<String>) -> Value {
        Value::Label { code: code.into(), label: label.into() }
    }

    /// The number as printed for people (rounded), for any number kind.
    fn shown_number(&self) -> Option<f64> {
        let round = |x: Option<f64>, decimals: i32| {
            x.filter(|v| v.is_finite()).map(|v| {
                let scale = 10f64.powi(decimals);
                (v * scale).round() / scale
            })
        };
        match self {
            Value::Number(x) => x.filter(|v| v.is_finite()),
            Value::Rounded(x, decimals) => round(*x, *decimals),
            Value::Share(x) => round(*x, 4),
            Value::PValue(x) => round(*x, 6),
            Value::Integer(x) => x.map(|v| v as f64),
            Value::Count(c) => c.shown().map(|v| v as f64),
            Value::Text(_) | Value::Label { .. } | Value::Flag { .. } => None,
        }
    }

    /// The number as machines read it (unrounded).
    fn exact_number(&self) -> Option<f64> {
        match self {
            Value::Number(x) | Value::Rounded(x, _) | Value::Share(x) | Value::PValue(x) => x.filter(|v| v.is_finite()),
            _ => self.shown_number(),
        }
    }

    /// The value as text for people.
    fn shown_text(&self) -> Option<String> {
        match self {
            Value::Text(t) => Some(t.clone()),
            Value::Label { label, .. } | Value::Flag { label, .. } => Some(label.clone()),
            Value::Count(cell) => Some(cell.to_string()),
            Value::Integer(n) => n.map(|x| x.to_string()),
            other => other.shown_number().map(|x| x.to_string()),
        }
    }

    fn is_float(&self) -> bool {
        matches!(self, Value::Number(_) | Value::Rounded(..) | Value::Share(_) | Value::PValue(_))
    }
}

/// A titled table under construction: columns with a stable key and a heading, rows of values.
#[derive(Debug, Clone)]
pub struct Section {
    /// The table's stable name (snake_case, the same in every language and protection): JSON carries it,
    /// Python picks a table by it (`output["outcomes"]`).
    pub id: String,
    /// The title above the table.
    pub title: String,
    /// The columns' stable names for machines (snake_case).
    pub keys: Vec<String>,
    /// The column headings in the output's language.
    pub columns: Vec<String>,
    /// The rows, one value per column.
    pub rows: Vec<Vec<Value>>,
    /// What a machine needs to read the table and that is not in its columns (the cohorts' names).
    pub metadata: Vec<(String, String)>,
}

impl Section {
    /// An empty table with a title and its columns as (key, heading).
    pub fn new<K: AsRef<str>, L: AsRef<str>>(id: &str, title: impl Into<String>, columns: &[(K, L)]) -> Section {
        Section {
            id: id.to_string(),
            title: title.into(),
            keys: columns.iter().map(|(k, _)| k.as_ref().to_string()).collect(),
            columns: columns.iter().map(|(_, l)| l.as_ref().to_string()).collect(),
            rows: Vec::new(),
            metadata: Vec::new(),
        }
    }

    /// The table people read: headings, rounded numbers, a column with any hidden count as text ("<5",
    /// ".."), counts as integers, numbers as floats with nulls where there is nothing to show.
    pub fn to_table(&self) -> Result<Table> {
        let mut fields = Vec::new();
        let mut arrays: Vec<ArrayRef> = Vec::new();
        for (c, name) in self.columns.iter().enumerate() {
            let column: Vec<&Value> = self.rows.iter().map(|r| &r[c]).collect();
            let any_text = column.iter().any(|v| match v {
                Value::Text(_) | Value::Label { .. } | Value::Flag { .. } => true,
                Value::Count(c) => c.is_hidden(),
                _ => false,
            });
            if any_text {
                fields.push(Field::new(name, DataType::Utf8, true));
                arrays.push(Arc::new(StringArray::from(column.iter().map(|v| v.shown_text()).collect::<Vec<_>>())));
            } else if column.iter().any(|v| v.is_float()) {
                fields.push(Field::new(name, DataType::Float64, true));
                arrays.push(Arc::new(Float64Array::from(column.iter().map(|v| v.shown_number()).collect::<Vec<_>>())));
            } else if column.iter().any(|v| matches!(v, Value::Integer(_))) {
                fields.push(Field::new(name, DataType::Int64, true));
                arrays.push(Arc::new(Int64Array::from(column.iter().map(|v| v.shown_number().map(|x| x as i64)).collect::<Vec<_>>())));
            } else {
                let values: Vec<Option<u64>> = column.iter().map(|v| if let Value::Count(c) = v { c.shown() } else { None }).collect();
                fields.push(Field::new(name, DataType::UInt64, true));
                arrays.push(Arc::new(UInt64Array::from(values)));
            }
        }
        self.build(Schema::new(fields), arrays)
    }

    /// The table machines read: stable names (the keys), codes, full precision, hidden counts as null, a
    /// yes or no as a boolean. Each column keeps its heading and kind as field metadata, the table its
    /// title and `metadata` as schema metadata.
    pub fn to_data(&self) -> Result<Table> {
        let mut fields = Vec::new();
        let mut arrays: Vec<ArrayRef> = Vec::new();
        for (c, key) in self.keys.iter().enumerate() {
            let column: Vec<&Value> = self.rows.iter().map(|r| &r[c]).collect();
            let kind = column_kind(&column);
            let (data_type, array): (DataType, ArrayRef) = match kind {
                "text" | "code" => {
                    let values: Vec<Option<String>> = column
                        .iter()
                        .map(|v| match v {
                            Value::Label { code, .. } => Some(code.clone()),
                            Value::Count(c) => c.shown().map(|n| n.to_string()),
                            other => other.shown_text(),
                        })
                        .collect();
                    (DataType::Utf8, Arc::new(StringArray::from(values)))
                }
                "flag" => {
                    let values: Vec<Option<bool>> =
                        column.iter().map(|v| if let Value::Flag { value, .. } = v { Some(*value) } else { None }).collect();
                    (DataType::Boolean, Arc::new(BooleanArray::from(values)))
                }
                "count" => {
                    let values: Vec<Option<u64>> = column.iter().map(|v| if let Value::Count(c) = v { c.shown() } else { None }).collect();
                    (DataType::UInt64, Arc::new(UInt64Array::from(values)))
                }
                "integer" => {
                    (DataType::Int64, Arc::new(Int64Array::from(column.iter().map(|v| v.exact_number().map(|x| x as i64)).collect::<Vec<_>>())))
                }
                _ => (DataType::Float64, Arc::new(Float64Array::from(column.iter().map(|v| v.exact_number()).collect::<Vec<_>>()))),
            };
            let metadata = HashMap::from([(LABEL.to_string(), self.columns[c].clone()), (KIND.to_string(), kind.to_string())]);
            fields.push(Field::new(key, data_type, true).with_metadata(metadata));
            arrays.push(array);
        }
        let mut metadata: HashMap<String, String> = self.metadata.iter().cloned().collect();
        metadata.insert(TITLE.to_string(), self.title.clone());
        self.build(Schema::new_with_metadata(fields, metadata), arrays)
    }

    /// Every hidden count, row by row, with its mark.
    fn marks(&self) -> Vec<Mark> {
        let mut marks = Vec::new();
        for (row, values) in self.rows.iter().enumerate() {
            for (value, key) in values.iter().zip(&self.keys) {
                if let Value::Count(cell) = value {
                    if cell.is_hidden() {
                        marks.push(Mark { row, column: key.clone(), mark: cell.to_string() });
                    }
                }
            }
        }
        marks
    }

    fn build(&self, schema: Schema, arrays: Vec<ArrayRef>) -> Result<Table> {
        let schema = Arc::new(schema);
        let batch = RecordBatch::try_new(schema.clone(), arrays)
            .map_err(|e| FinsamError::invalid(format!("cannot build the table '{}': {e}", self.title)))?;
        Ok(Table::new(schema, vec![batch]))
    }
}

/// What a column holds, by its values: text wins over numbers (a column of names with a "total" label),
/// a float kind over whole numbers.
fn column_kind(column: &[&Value]) -> &'static str {
    let any = |f: fn(&Value) -> bool| column.iter().any(|v| f(v));
    if any(|v| matches!(v, Value::Text(_))) {
        "text"
    } else if any(|v| matches!(v, Value::Label { .. })) {
        "code"
    } else if any(|v| matches!(v, Value::Flag { .. })) {
        "flag"
    } else if any(|v| matches!(v, Value::Share(_))) {
        "share"
    } else if any(|v| matches!(v, Value::PValue(_))) {
        "p_value"
    } else if any(|v| v.is_float()) {
        "number"
    } else if any(|v| matches!(v, Value::Integer(_))) {
        "integer"
    } else {
        "count"
    }
}

pub use finsam_plugin::machine_names;

/// A published table with its title, in both forms.
#[derive(Debug, Clone)]
pub struct TitledTable {
    /// The table's stable name (`Section::id`).
    pub id: String,
    /// The title above the table.
    pub title: String,
    /// What people read: headings in the output's language, rounded numbers, "<5" and "..".
    pub shown: Table,
    /// What machines read: stable names, codes, full precision, hidden counts as null.
    pub data: Table,
    /// Where `data` has a hidden count's null, what people read there: a machine can tell a count of 1–4
    /// marked "<5" from a count hidden to protect another ("..").
    pub marks: Vec<Mark>,
}

/// A hidden count of a published table, by row and column key, with its mark ("<5" or "..").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// The row, from 0.
    pub row: usize,
    /// The column's stable name.
    pub column: String,
    /// What people read in the cell.
    pub mark: String,
}

impl TitledTable {
    /// Both forms of a section.
    pub fn of(section: &Section) -> Result<TitledTable> {
        Ok(TitledTable {
            id: section.id.clone(),
            title: section.title.clone(),
            shown: section.to_table()?,
            data: section.to_data()?,
            marks: section.marks(),
        })
    }

    /// A table that is the same for people and machines (a SQL result).
    pub fn same(id: &str, title: impl Into<String>, table: Table) -> TitledTable {
        TitledTable { id: id.to_string(), title: title.into(), shown: table.clone(), data: table, marks: Vec::new() }
    }

    /// Each column's stable name and its heading for people.
    pub fn labels(&self) -> Vec<(String, String)> {
        self.data.schema().fields().iter().map(|f| (f.name().clone(), f.metadata().get(LABEL).unwrap_or(f.name()).clone())).collect()
    }
}

#[cfg(test)]
mod tests {
    use arrow::array::Array;

    use super::*;

    fn sample() -> Section {
        let mut s = Section::new(
            "outcomes",
            "Utfall",
            &[("measure", "mått"), ("k", "antal"), ("share", "andel"), ("p_value", "p-värde"), ("deviates", "avviker")],
        );
        s.rows.push(vec![
            Value::label("work_or_studies", "Arbete eller studier"),
            Value::Count(Cell::Suppressed),
            Value::Share(Some(0.123456789)),
            Value::PValue(Some(0.00000004)),
            Value::Flag { value: true, label: "ja".into() },
        ]);
        s.rows.push(vec![
            Value::label("total", "Totalt"),
            Value::Count(Cell::Shown(12)),
            Value::Share(None),
            Value::PValue(Some(0.5)),
            Value::Flag { value: false, label: "nej".into() },
        ]);
        s
    }

    #[test]
    fn people_read_headings_labels_and_rounded_numbers() {
        let shown = sample().to_table().unwrap();
        assert_eq!(shown.column_names(), ["mått", "antal", "andel", "p-värde", "avviker"]);
        assert_eq!(shown.rows_as_text().unwrap()[0], ["Arbete eller studier", "<5", "0.1235", "0.0", "ja"]);
    }

    #[test]
    fn machines_read_keys_codes_full_precision_and_null_for_hidden() {
        let data = sample().to_data().unwrap();
        assert_eq!(data.column_names(), ["measure", "k", "share", "p_value", "deviates"]);
        let schema = data.schema();
        assert_eq!(schema.field(1).data_type(), &DataType::UInt64);
        assert_eq!(schema.field(4).data_type(), &DataType::Boolean);
        assert_eq!(schema.field(2).metadata()[LABEL], "andel");
        assert_eq!(schema.field(3).metadata()[KIND], "p_value");
        assert_eq!(schema.metadata()[TITLE], "Utfall");
        let batch = &data.batches()[0];
        let p = batch.column(3).as_any().downcast_ref::<Float64Array>().unwrap();
        assert_eq!(p.value(0), 0.00000004);
        let share = batch.column(2).as_any().downcast_ref::<Float64Array>().unwrap();
        assert_eq!(share.value(0), 0.123456789);
        assert!(share.is_null(1));
        assert_eq!(data.rows_as_text().unwrap()[0][0], "work_or_studies");
        assert_eq!(data.rows_as_text().unwrap()[0][1], "");
    }
}
