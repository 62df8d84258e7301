//! An output as printed text: tables for people one after another; for machines, CSV with a "# title" line
//! before each and JSON as an object of arrays, both with the tables' stable column names and full
//! precision (JSON lists where a hidden count's null stands for "<5" or ".."). The command line prints it;
//! the notebook kernel will show the same text.

use super::section::TitledTable;
use crate::error::Result;
use crate::table::Format;

/// The heading, the sections and the note under them, in a format.
pub fn sections_text(heading: &str, sections: &[TitledTable], note: Option<&str>, format: Format) -> Result<String> {
    let mut out = String::new();
    match format {
        Format::Table => {
            out.push_str(&format!("{heading}\n"));
            for section in sections {
                out.push_str(&format!("\n{}\n{}\n", section.title, section.shown.to_text_table()?));
            }
            if let Some(note) = note {
                out.push_str(&format!("{note}\n"));
            }
        }
        Format::Csv => {
            for section in sections {
                out.push_str(&format!("# {}\n", section.title));
                out.push_str(&section.data.to_csv()?);
            }
        }
        Format::Json => {
            // Written as text so that each row keeps its columns in order (the table's own JSON).
            let mut json = format!("{{\"heading\": {}, \"sections\": [", serde_json::Value::from(heading));
            for (i, section) in sections.iter().enumerate() {
                let separator = if i == 0 { "" } else { ", " };
                let labels =
                    serde_json::Value::from_iter(section.labels().into_iter().map(|(name, label)| serde_json::json!({"name": name, "label": label})));
                // A hidden count is null in its row; what people read there ("<5" or "..") is listed apart.
                let marks =
                    serde_json::Value::from_iter(section.marks.iter().map(|m| serde_json::json!({"row": m.row, "column": m.column, "mark": m.mark})));
                json.push_str(&format!(
                    "{separator}{{\"id\": {}, \"title\": {}, \"columns\": {labels}, \"rows\": {}, \"marks\": {marks}}}",
                    serde_json::Value::from(section.id.as_str()),
                    serde_json::Value::from(section.title.as_str()),
                    section.data.to_json()?
                ));
            }
            json.push(']');
            if let Some(note) = note {
                json.push_str(&format!(", \"note\": {}", serde_json::Value::from(note)));
            }
            json.push('}');
            out.push_str(&format!("{json}\n"));
        }
    }
    Ok(out)
}
