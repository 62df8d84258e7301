//! A published table as a notebook shows it (HTML): read like the table text, in the output's language.
//! Shares as percentages with their interval in one cell ("75,7 % (69,0–81,4)"), a difference of shares
//! in percentage points, p-values with three decimals, counts with thousands separated, numbers
//! right-aligned, and the legend under the table.

use arrow::array::{Array, Float64Array};
use arrow::compute::concat_batches;
use arrow::datatypes::DataType;

use crate::codes::Lang;
use crate::error::{FinsamError, Result};
use crate::format::{decimal, points_short, whole};
use crate::present::section::{TitledTable, KIND, LABEL};

/// What the notebook shows under a table.
pub struct Legend<'a> {
    /// The output's language (None: a SQL result, shown in English).
    pub lang: Option<Lang>,
    /// True when the counts were protected for a board.
    pub protected: bool,
    /// What the protection does to the numbers, in the output's language.
    pub note: Option<&'a str>,
}

/// One column as shown: its heading, whether it is a number, and each row's text.
struct Shown {
    heading: String,
    numeric: bool,
    cells: Vec<String>,
}

/// The table as HTML, at most `max_rows` rows, with the legend.
pub fn table_html(table: &TitledTable, title: Option<&str>, legend: &Legend<'_>, max_rows: usize) -> Result<String> {
    let lang = legend.lang.unwrap_or(Lang::En);
    let columns = shown_columns(table, lang, max_rows)?;
    let total = table.data.num_rows();
    let mut html = String::from("<div class=\"finsam-table\">");
    if let Some(t) = title {
        html.push_str(&format!("<p><b>{}</b></p>", escape(t)));
    }
    html.push_str("<table><thead><tr>");
    for c in &columns {
        html.push_str(&format!("<th{}>{}</th>", align(c.numeric), escape(&c.heading)));
    }
    html.push_str("</tr></thead><tbody>");
    for row in 0..total.min(max_rows) {
        html.push_str("<tr>");
        for c in &columns {
            html.push_str(&format!("<td{}>{}</td>", align(c.numeric), escape(&c.cells[row])));
        }
        html.push_str("</tr>");
    }
    html.push_str("</tbody></table><p><small>");
    let shown = total.min(max_rows);
    html.push_str(&match lang {
        Lang::Sv => format!("{shown} av {total} rader."),
        Lang::En => format!("{shown} of {total} rows."),
    });
    match (legend.note, legend.protected) {
        (Some(note), true) => html.push_str(&format!(" {}", escape(note))),
        _ => {
            html.push_str(lang.pick(" Antalen är INTE skyddade (rådata): inte för en styrelse.", " Counts are NOT protected (raw): not for a board."))
        }
    }
    html.push_str("</small></p></div>");
    Ok(html)
}

fn align(numeric: bool) -> &'static str {
    if numeric {
        " style=\"text-align:right\""
    } else {
        " style=\"text-align:left\""
    }
}

/// The columns as shown: a share or a difference followed by its interval (`ci_low`, `ci_high`) becomes
/// one column.
fn shown_columns(table: &TitledTable, lang: Lang, max_rows: usize) -> Result<Vec<Shown>> {
    let rows = table.data.num_rows().min(max_rows);
    let schema = table.data.schema();
    let data =
        concat_batches(schema, table.data.batches()).map_err(|e| FinsamError::Render { what: "show the table".into(), detail: e.to_string() })?;
    // The text people read (headings, labels, "<5" and ".."), for what is not formatted here.
    let text = table.shown.rows_as_text()?;
    let numbers: Vec<Option<Float64Array>> = data
        .columns()
        .iter()
        .map(|c| {
            (c.data_type().is_numeric())
                .then(|| arrow::compute::cast(c, &DataType::Float64).ok())
                .flatten()
                .map(|a| a.as_any().downcast_ref::<Float64Array>().expect("cast to Float64").clone())
        })
        .collect();
    let value = |c: usize, r: usize| numbers[c].as_ref().filter(|a| !a.is_null(r)).map(|a| a.value(r));
    let mut out = Vec::new();
    let mut c = 0;
    while c < schema.fields().len() {
        let field = schema.field(c);
        let kind = field.metadata().get(KIND).map_or("", String::as_str);
        let heading = field.metadata().get(LABEL).cloned().unwrap_or_else(|| field.name().clone());
        let interval = c + 2 < schema.fields().len()
            && schema.field(c + 1).name().starts_with("ci_low")
            && schema.field(c + 2).name().starts_with("ci_high")
            && kind == "share";
        let points = field.name() == "difference";
        let cells = (0..rows)
            .map(|r| {
                let Some(x) = value(c, r) else { return text[r][c].clone() };
                match kind {
                    "share" if points => points_short(x, lang),
                    "share" => format!("{} %", decimal(x * 100.0, 1, lang)),
                    "p_value" if x < 0.001 => format!("<{}", decimal(0.001, 3, lang)),
                    "p_value" => decimal(x, 3, lang),
                    "count" => whole(x, lang),
                    "integer" => format!("{x}"),
                    "number" if x.fract() == 0.0 => whole(x, lang),
                    "number" => decimal(x, if x.abs() < 10.0 { 2 } else { 1 }, lang),
                    _ => text[r][c].clone(),
                }
            })
            .collect::<Vec<_>>();
        if interval {
            let bound = |b: Option<f64>| b.map_or(String::new(), |x| decimal(x * 100.0, 1, lang));
            let cells = cells
                .into_iter()
                .enumerate()
                .map(|(r, shown)| match (value(c + 1, r), value(c + 2, r)) {
                    (None, None) => shown,
                    (low, high) => format!("{shown} ({}–{})", bound(low), bound(high)),
                })
                .collect();
            let ci = lang.pick("95 % intervall", "95% interval");
            out.push(Shown { heading: format!("{heading} ({ci})"), numeric: true, cells });
            c += 3;
        } else {
            let numeric = field.data_type().is_numeric() || (kind == "count");
            out.push(Shown { heading, numeric, cells });
            c += 1;
        }
    }
    Ok(out)
}

/// Text as HTML text or attribute value.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::disclosure::Cell;
    use crate::present::section::{Section, Value};

    fn outcomes() -> TitledTable {
        let mut s = Section::new(
            "outcomes",
            "Utfall",
            &[("measure", "mått"), ("k", "antal"), ("n", "av"), ("share", "andel"), ("ci_low", "lägre 95 %"), ("ci_high", "övre 95 %")],
        );
        s.rows.push(vec![
            Value::label("work_or_studies", "Arbete eller studier"),
            Value::Count(Cell::Shown(1234)),
            Value::Count(Cell::Shown(1630)),
            Value::Share(Some(0.757)),
            Value::Share(Some(0.690)),
            Value::Share(Some(0.814)),
        ]);
        s.rows.push(vec![
            Value::label("self", "Egen försörjning"),
            Value::Count(Cell::Suppressed),
            Value::Count(Cell::Hidden),
            Value::Share(None),
            Value::Share(None),
            Value::Share(None),
        ]);
        TitledTable::of(&s).unwrap()
    }

    #[test]
    fn shares_read_as_percentages_with_their_interval_in_the_outputs_language() {
        let legend = Legend { lang: Some(Lang::Sv), protected: true, note: Some("Antal är justerade.") };
        let html = table_html(&outcomes(), Some("Utfall"), &legend, 20).unwrap();
        assert!(html.contains("<th style=\"text-align:right\">andel (95 % intervall)</th>"), "{html}");
        assert!(html.contains(">75,7 % (69,0–81,4)</td>"), "{html}");
        assert!(html.contains(">1\u{a0}234</td>"), "{html}");
        assert!(html.contains(">&lt;5</td>") && html.contains(">..</td>"), "{html}");
        assert!(html.contains(">Arbete eller studier</td>"), "{html}");
        assert!(html.contains("2 av 2 rader. Antal är justerade."), "{html}");
        assert!(!html.contains("rows"), "{html}");
    }

    #[test]
    fn raw_output_says_so_in_its_language() {
        let legend = Legend { lang: Some(Lang::En), protected: false, note: None };
        let html = table_html(&outcomes(), None, &legend, 1).unwrap();
        assert!(html.contains("1 of 2 rows. Counts are NOT protected (raw)"), "{html}");
    }
}
