//! Plugin chart kinds: the analysis they name runs (and is protected) first, the plugin turns the published
//! tables into a chart body, and the core draws it with its theme.

use std::panic::{catch_unwind, AssertUnwindSafe};

use arrow::compute::concat_batches;
use finsam_plugin::{ChartBody, Published};

use super::run::{run_analysis, Call};
use crate::charts::build::ChartOptions;
use crate::charts::{Bar, Body, Chart, ChartKind};
use crate::disclosure::{Cell, Protector};
use crate::error::{FinsamError, Result};
use crate::model::Model;

/// Draws the plugin chart kind `call.name` for the call's cohort, language and protection.
pub fn plugin_chart(model: &Model, call: &Call) -> Result<Chart> {
    let registry = model.plugins();
    let (plugin, kind) = registry.chart(&call.name).ok_or_else(|| FinsamError::Unknown {
        what: "chart kind",
        name: call.name.clone(),
        known: crate::charts::ChartKind::ALL.iter().map(|k| k.name().to_string()).chain(registry.chart_names()).collect(),
    })?;
    let output = run_analysis(model, &Call { name: kind.analysis().to_string(), ..call.clone() })?;
    draw(model, call, plugin, kind.as_ref(), &output)
}

/// Draws the plugin chart kind `call.name` from an output of its analysis already published for the same
/// call (the board report runs an analysis once and draws several charts from it).
pub fn plugin_chart_of(model: &Model, call: &Call, output: &crate::present::outputs::Output) -> Result<Chart> {
    let registry = model.plugins();
    let (plugin, kind) = registry.chart(&call.name).ok_or_else(|| FinsamError::Unknown {
        what: "chart kind",
        name: call.name.clone(),
        known: registry.chart_names(),
    })?;
    draw(model, call, plugin, kind.as_ref(), output)
}

fn draw(
    model: &Model,
    call: &Call,
    plugin: &'static str,
    kind: &dyn finsam_plugin::ChartKind,
    output: &crate::present::outputs::Output,
) -> Result<Chart> {
    let failed = |message: String| FinsamError::Plugin { plugin: plugin.to_string(), message };
    let tables = output
        .sections
        .iter()
        .map(|s| {
            let batch = concat_batches(s.shown.schema(), s.shown.batches()).map_err(|e| failed(e.to_string()))?;
            Ok(finsam_plugin::PublishedTable { id: s.id.clone(), title: s.title.clone(), batch })
        })
        .collect::<Result<Vec<_>>>()?;
    let published = Published { heading: output.heading.clone(), tables };
    let drawn = match catch_unwind(AssertUnwindSafe(|| kind.draw(&published, call.lang.into()))) {
        Ok(Ok(chart)) => chart,
        Ok(Err(e)) => return Err(failed(e.0)),
        Err(_) => return Err(failed(format!("the chart kind {} stopped with an internal error (a panic)", kind.name()))),
    };
    let hidden = |v: Option<u64>| v.map_or(Cell::Hidden, Cell::Shown);
    let body = match drawn.body {
        ChartBody::Bars { bars, y_label } => Body::Bars {
            bars: bars
                .into_iter()
                .map(|b| Bar { label: b.label, value: b.value.map(|v| (v, b.low.unwrap_or(v), b.high.unwrap_or(v))), note: b.note })
                .collect(),
            y_label,
        },
        ChartBody::Pyramid { bands, women, men } => {
            if bands.len() != women.len() || bands.len() != men.len() {
                return Err(failed(format!("the pyramid has {} bands but {} and {} counts", bands.len(), women.len(), men.len())));
            }
            Body::Pyramid { bands, women: women.into_iter().map(hidden).collect(), men: men.into_iter().map(hidden).collect() }
        }
        ChartBody::Amounts { rows, series, x_label } => {
            if let Some(row) = rows.iter().find(|r| r.values.len() != series.len()) {
                return Err(failed(format!("the row '{}' has {} amounts for {} series", row.label, row.values.len(), series.len())));
            }
            Body::Amounts { rows, series, x_label }
        }
        ChartBody::Lines { series, x_label, y_label } => Body::Lines { series, x_label, y_label },
        ChartBody::Empty { message } => Body::Empty { message },
    };
    let protector = Protector::new(model, call.protection)?;
    Ok(Chart {
        name: kind.name(),
        title: drawn.title,
        subtitle: drawn.subtitle,
        footnote: crate::charts::build::footnote(model, call.lang, &protector)?,
        lang: call.lang,
        body,
    })
}

/// A chart by the name of its kind: a built-in kind, or a plugin's (drawn from its analysis's protected
/// output with the cohort, language and protection of `o`).
pub fn chart_by_name(model: &Model, name: &str, o: &ChartOptions) -> Result<Chart> {
    match name.parse::<ChartKind>() {
        Ok(kind) => crate::charts::build::chart(model, kind, o),
        Err(_) if model.plugins().chart(name).is_some() => {
            let call = Call {
                name: name.to_string(),
                cohort: (!o.cohort.is_all()).then(|| o.cohort.clone()),
                args: Vec::new(),
                lang: o.lang,
                protection: o.protection,
            };
            plugin_chart(model, &call)
        }
        Err(_) => plugin_chart(model, &Call { name: name.to_string(), ..Default::default() }),
    }
}
