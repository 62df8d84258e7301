//! The calculation's charts, drawn from its published tables: who pays and who gains, the payback over
//! time, and the tornado of the sensitivity analysis.

use finsam_plugin::{AmountRow, ChartBody, ChartKind, Lang, LineSeries, PluginChart, PluginError, Published, Rows};

use crate::report::{ACTOR_SECTION, PAYBACK_SECTION, SENSITIVITY_SECTION};

/// The published table with this id, or why there is nothing to draw (a cohort without exits has one
/// table, which says why).
fn table(output: &Published, id: &str) -> Result<Rows, ChartBody> {
    match output.table(id) {
        Some(t) => Ok(Rows::new(vec![t.batch.clone()])),
        None => Err(ChartBody::Empty { message: output.tables.first().map(|t| t.title.clone()).unwrap_or_default() }),
    }
}

fn chart(title: &str, output: &Published, body: Result<ChartBody, ChartBody>) -> PluginChart {
    PluginChart { title: title.to_string(), subtitle: output.heading.clone(), body: body.unwrap_or_else(|empty| empty) }
}

/// Net per actor over each horizon.
pub struct Actors;

impl ChartKind for Actors {
    fn name(&self) -> &'static str {
        "socio-economic-actors"
    }
    fn description(&self) -> &'static str {
        "The socio-economic calculation's net per actor: who pays and who gains"
    }
    fn analysis(&self) -> &'static str {
        "socio-economic"
    }
    fn draw(&self, output: &Published, lang: Lang) -> Result<PluginChart, PluginError> {
        let body = (|| {
            let rows = table(output, ACTOR_SECTION)?;
            let batch = &output.table(ACTOR_SECTION).ok_or_else(|| ChartBody::Empty { message: String::new() })?.batch;
            let net = lang.pick("netto ", "net ");
            let columns: Vec<String> = batch.schema().fields().iter().map(|f| f.name().clone()).filter(|n| n.starts_with(net)).collect();
            let labels = rows.texts(lang.pick("aktör", "actor")).map_err(|e| ChartBody::Empty { message: e.0 })?;
            let values: Vec<Vec<Option<f64>>> = columns.iter().map(|c| rows.numbers(c).unwrap_or_default()).collect();
            let rows = labels
                .into_iter()
                .enumerate()
                .map(|(i, label)| AmountRow {
                    label: label.unwrap_or_default(),
                    values: values.iter().map(|v| v.get(i).copied().flatten()).collect(),
                })
                .collect();
            let series = columns.iter().map(|c| c.trim_start_matches(net).to_string()).collect();
            Ok(ChartBody::Amounts { rows, series, x_label: lang.pick("Netto, kronor (nuvärde)", "Net, SEK (present value)").to_string() })
        })();
        Ok(chart(lang.pick("Vem betalar och vem vinner", "Who pays and who gains"), output, body))
    }
}

/// Society's cumulative net month by month after the exit, from minus the cost.
pub struct Payback;

impl ChartKind for Payback {
    fn name(&self) -> &'static str {
        "socio-economic-payback"
    }
    fn description(&self) -> &'static str {
        "Society's cumulative net after the exit, against the intervention's cost (payback)"
    }
    fn analysis(&self) -> &'static str {
        "socio-economic"
    }
    fn draw(&self, output: &Published, lang: Lang) -> Result<PluginChart, PluginError> {
        let body = (|| {
            let rows = table(output, PAYBACK_SECTION)?;
            let months = rows.numbers(lang.pick("månad", "month")).map_err(|e| ChartBody::Empty { message: e.0 })?;
            let net = rows.numbers(lang.pick("ackumulerat netto", "cumulative net")).map_err(|e| ChartBody::Empty { message: e.0 })?;
            let points = months.into_iter().zip(net).filter_map(|(m, v)| Some((m?, v?))).collect();
            Ok(ChartBody::Lines {
                series: vec![LineSeries { label: lang.pick("Samhället", "Society").to_string(), points }],
                x_label: lang.pick("Månader efter utskrivning", "Months after the exit").to_string(),
                y_label: lang.pick("Ackumulerat netto, kr", "Cumulative net, SEK").to_string(),
            })
        })();
        Ok(chart(lang.pick("När insatsen har betalat sig", "When the intervention has paid for itself"), output, body))
    }
}

/// The sensitivity analysis: how far society's net moves when each parameter goes to its low or high value.
pub struct Tornado;

impl ChartKind for Tornado {
    fn name(&self) -> &'static str {
        "socio-economic-tornado"
    }
    fn description(&self) -> &'static str {
        "The socio-economic calculation's sensitivity: the ten parameters that move the result most"
    }
    fn analysis(&self) -> &'static str {
        "socio-economic"
    }
    fn draw(&self, output: &Published, lang: Lang) -> Result<PluginChart, PluginError> {
        let body = (|| {
            let rows = table(output, SENSITIVITY_SECTION)?;
            let empty = |e: PluginError| ChartBody::Empty { message: e.0 };
            let names = rows.texts(lang.pick("parameter", "parameter")).map_err(empty)?;
            let low = rows.numbers(lang.pick("förändring vid lågt", "change at low")).map_err(empty)?;
            let high = rows.numbers(lang.pick("förändring vid högt", "change at high")).map_err(empty)?;
            // The table is sorted by the swing, largest first.
            let rows =
                (0..names.len()).take(10).map(|i| AmountRow { label: names[i].clone().unwrap_or_default(), values: vec![low[i], high[i]] }).collect();
            Ok(ChartBody::Amounts {
                rows,
                series: vec![lang.pick("lågt värde", "low value").to_string(), lang.pick("högt värde", "high value").to_string()],
                x_label: lang.pick("Förändring av samhällets netto, kr", "Change in society's net, SEK").to_string(),
            })
        })();
        Ok(chart(lang.pick("Vad resultatet är känsligt för", "What the result is sensitive to"), output, body))
    }
}
