//! A query result as Arrow record batches, and its three printed forms (table, CSV, JSON).

use std::fmt::Write as _;
use std::str::FromStr;

use arrow::array::{Array, ArrayRef};
use arrow::datatypes::{DataType, SchemaRef};
use arrow::record_batch::RecordBatch;
use arrow::util::display::{ArrayFormatter, FormatOptions};

use crate::error::{FinsamError, Result};

/// A whole result: the schema (known even when there are no rows) and the batches.
#[derive(Debug, Clone)]
pub struct Table {
    schema: SchemaRef,
    batches: Vec<RecordBatch>,
}

impl crate::codes::Choice for Format {
    const NAMES: &'static [&'static str] = &["table", "csv", "json"];
}

/// How a table is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// A boxed text table.
    #[default]
    Table,
    /// CSV with a header row.
    Csv,
    /// A JSON array of objects.
    Json,
}

impl FromStr for Format {
    type Err = FinsamError;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "table" => Ok(Format::Table),
            "csv" => Ok(Format::Csv),
            "json" => Ok(Format::Json),
            other => Err(FinsamError::invalid(format!("unknown format '{other}': expected table, csv or json"))),
        }
    }
}

impl Table {
    /// A table of these batches, with their schema.
    pub fn new(schema: SchemaRef, batches: Vec<RecordBatch>) -> Table {
        Table { schema, batches }
    }

    /// The schema.
    pub fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    /// The record batches.
    pub fn batches(&self) -> &[RecordBatch] {
        &self.batches
    }

    /// How many rows.
    pub fn num_rows(&self) -> usize {
        self.batches.iter().map(RecordBatch::num_rows).sum()
    }

    /// The columns' names.
    pub fn column_names(&self) -> Vec<String> {
        self.schema.fields().iter().map(|f| f.name().clone()).collect()
    }

    /// A column by name as numbers (any numeric type; NULL as `None`).
    pub fn numbers(&self, name: &str) -> Result<Vec<Option<f64>>> {
        let index = self.index_of(name)?;
        let mut out = Vec::with_capacity(self.num_rows());
        for batch in &self.batches {
            let column = arrow::compute::cast(batch.column(index), &DataType::Float64)
                .map_err(|e| FinsamError::Render { what: format!("read the column {name} as numbers"), detail: e.to_string() })?;
            let column = column.as_any().downcast_ref::<arrow::array::Float64Array>().expect("cast to Float64 gives Float64");
            out.extend(column.iter());
        }
        Ok(out)
    }

    /// A column by name as whole numbers (counts; NULL, a hidden count, as `None`).
    pub fn counts(&self, name: &str) -> Result<Vec<Option<u64>>> {
        Ok(self.numbers(name)?.into_iter().map(|x| x.filter(|v| *v >= 0.0).map(|v| v as u64)).collect())
    }

    /// A column by name as text (NULL as `None`).
    pub fn texts(&self, name: &str) -> Result<Vec<Option<String>>> {
        let index = self.index_of(name)?;
        let mut out = Vec::with_capacity(self.num_rows());
        for batch in &self.batches {
            let column = arrow::compute::cast(batch.column(index), &DataType::Utf8)
                .map_err(|e| FinsamError::Render { what: format!("read the column {name} as text"), detail: e.to_string() })?;
            let column = column.as_any().downcast_ref::<arrow::array::StringArray>().expect("cast to Utf8 gives Utf8");
            out.extend(column.iter().map(|v| v.map(str::to_string)));
        }
        Ok(out)
    }

    fn index_of(&self, name: &str) -> Result<usize> {
        self.schema.index_of(name).map_err(|_| FinsamError::Internal(format!("the table has no column {name}: {:?}", self.column_names())))
    }

    /// Every value as display text, row by row (NULL as an empty string). For tests and small tables.
    pub fn rows_as_text(&self) -> Result<Vec<Vec<String>>> {
        let mut rows = Vec::with_capacity(self.num_rows());
        for batch in &self.batches {
            let formatters = formatters(batch.columns())?;
            for row in 0..batch.num_rows() {
                rows.push(formatters.iter().map(|f| f.value(row).to_string()).collect());
            }
        }
        Ok(rows)
    }

    /// The table in a format.
    pub fn render(&self, format: Format) -> Result<String> {
        match format {
            Format::Table => self.to_text_table(),
            Format::Csv => self.to_csv(),
            Format::Json => self.to_json(),
        }
    }

    /// A boxed text table, as DuckDB's CLI prints.
    pub fn to_text_table(&self) -> Result<String> {
        if self.batches.is_empty() {
            let header = self.column_names().join(" | ");
            return Ok(format!("{header}\n(0 rows)"));
        }
        let shown = arrow::util::pretty::pretty_format_batches(&self.batches)
            .map_err(|e| FinsamError::Render { what: "format the result".into(), detail: e.to_string() })?;
        Ok(format!("{shown}\n({} rows)", self.num_rows()))
    }

    /// RFC 4180 CSV with a header row; NULL is an empty field. Text that a spreadsheet would read as a
    /// formula (starting with =, +, -, @, a tab or a carriage return) gets a leading apostrophe, as OWASP
    /// recommends against CSV injection; numbers are written as they are. A field holding `;` or a tab is
    /// quoted too: Swedish Excel splits on `;`, and `;=1+1` unquoted would give it a cell `=1+1`.
    pub fn to_csv(&self) -> Result<String> {
        let text_columns: Vec<bool> =
            self.schema.fields().iter().map(|f| matches!(f.data_type(), DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)).collect();
        let mut out = String::new();
        push_csv_line(&mut out, self.column_names().iter().map(|c| neutralise_formula(c).into_owned()));
        for row in self.rows_as_text()? {
            push_csv_line(
                &mut out,
                row.iter().zip(&text_columns).map(|(v, text)| if *text { neutralise_formula(v).into_owned() } else { v.clone() }),
            );
        }
        Ok(out)
    }

    /// A JSON array of objects; numbers and booleans stay numbers and booleans, NULL is null.
    pub fn to_json(&self) -> Result<String> {
        let names = self.column_names();
        let mut out = String::from("[");
        let mut first_row = true;
        for batch in &self.batches {
            let formatters = formatters(batch.columns())?;
            for row in 0..batch.num_rows() {
                out.push_str(if first_row { "\n  {" } else { ",\n  {" });
                first_row = false;
                for (i, (column, formatter)) in batch.columns().iter().zip(&formatters).enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    let _ = write!(out, "{}: ", serde_json::Value::from(names[i].as_str()));
                    out.push_str(&json_value(column, formatter, row));
                }
                out.push('}');
            }
        }
        out.push_str(if first_row { "]" } else { "\n]" });
        Ok(out)
    }
}

/// A text cell as a spreadsheet may safely open it: a leading apostrophe before =, +, -, @, tab or CR.
pub fn neutralise_formula(text: &str) -> std::borrow::Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => std::borrow::Cow::Owned(format!("'{text}")),
        _ => std::borrow::Cow::Borrowed(text),
    }
}

fn push_csv_line(out: &mut String, fields: impl Iterator<Item = String>) {
    for (i, field) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&csv_field(&field));
    }
    out.push('\n');
}

/// A CSV field, quoted where a comma, a quote, a line break, a `;` or a tab would otherwise split it.
fn csv_field(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains([',', '"', '\n', '\r', ';', '\t']) {
        std::borrow::Cow::Owned(format!("\"{}\"", text.replace('"', "\"\"")))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

fn formatters(columns: &[ArrayRef]) -> Result<Vec<ArrayFormatter<'_>>> {
    const OPTIONS: FormatOptions<'static> = FormatOptions::new().with_null("");
    columns
        .iter()
        .map(|c| {
            ArrayFormatter::try_new(c.as_ref(), &OPTIONS)
                .map_err(|e| FinsamError::Render { what: format!("format a {} column", c.data_type()), detail: e.to_string() })
        })
        .collect()
}

fn json_value(column: &ArrayRef, formatter: &ArrayFormatter<'_>, row: usize) -> String {
    if column.is_null(row) {
        return "null".into();
    }
    let text = formatter.value(row).to_string();
    match column.data_type() {
        DataType::Boolean => text,
        DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::UInt64
        | DataType::Decimal128(_, _)
        | DataType::Decimal256(_, _) => text,
        DataType::Float16 | DataType::Float32 | DataType::Float64 => match text.parse::<f64>() {
            Ok(v) if v.is_finite() => text,
            // JSON has no NaN or infinity: say "not a number" rather than print one.
            _ => "null".into(),
        },
        _ => serde_json::Value::from(text).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow::array::{Float64Array, Int64Array, StringArray};
    use arrow::datatypes::{Field, Schema};

    use super::*;

    fn sample() -> Table {
        let schema = Arc::new(Schema::new(vec![
            Field::new("name", DataType::Utf8, true),
            Field::new("n", DataType::Int64, true),
            Field::new("share", DataType::Float64, true),
        ]));
        let batch = RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(StringArray::from(vec![Some("Lund, \"ComUng\""), None])),
                Arc::new(Int64Array::from(vec![Some(12), None])),
                Arc::new(Float64Array::from(vec![Some(0.65), Some(f64::NAN)])),
            ],
        )
        .unwrap();
        Table::new(schema, vec![batch])
    }

    #[test]
    fn csv_quotes_and_leaves_null_empty() {
        let csv = sample().to_csv().unwrap();
        assert_eq!(csv, "name,n,share\n\"Lund, \"\"ComUng\"\"\",12,0.65\n,,NaN\n");
    }

    #[test]
    fn csv_neutralises_formulas_in_text_but_not_numbers() {
        let schema = Arc::new(Schema::new(vec![Field::new("name", DataType::Utf8, true), Field::new("n", DataType::Int64, true)]));
        let batch = RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(StringArray::from(vec!["=HYPERLINK(\"http://x\")", "-2+3", "@SUM(A1)", "Anna"])),
                Arc::new(Int64Array::from(vec![-5, 1, 2, 3])),
            ],
        )
        .unwrap();
        let csv = Table::new(schema, vec![batch]).to_csv().unwrap();
        assert_eq!(csv, "name,n\n\"'=HYPERLINK(\"\"http://x\"\")\",-5\n'-2+3,1\n'@SUM(A1),2\nAnna,3\n");
    }

    #[test]
    fn csv_quotes_a_semicolon_so_swedish_excel_gets_no_formula() {
        let schema = Arc::new(Schema::new(vec![Field::new("name", DataType::Utf8, true)]));
        let batch = RecordBatch::try_new(schema.clone(), vec![Arc::new(StringArray::from(vec![";=1+1", "a\t=2"]))]).unwrap();
        assert_eq!(Table::new(schema, vec![batch]).to_csv().unwrap(), "name\n\";=1+1\"\n\"a\t=2\"\n");
    }

    #[test]
    fn json_keeps_types_and_never_prints_nan() {
        let json = sample().to_json().unwrap();
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed[0]["name"], "Lund, \"ComUng\"");
        assert_eq!(parsed[0]["n"], 12);
        assert_eq!(parsed[0]["share"], 0.65);
        assert!(parsed[1]["name"].is_null() && parsed[1]["n"].is_null() && parsed[1]["share"].is_null());
    }

    #[test]
    fn empty_result_still_has_a_header() {
        let t = Table::new(sample().schema().clone(), vec![]);
        assert_eq!(t.to_text_table().unwrap(), "name | n | share\n(0 rows)");
        assert_eq!(t.to_csv().unwrap(), "name,n,share\n");
        assert_eq!(t.to_json().unwrap(), "[]");
    }
}
