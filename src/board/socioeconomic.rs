//! The socio-economic section of the board report, present when the socio-economic plugin is: what the
//! later period's participants' change is worth to each actor, against the intervention's cost, with the
//! default parameters. One run of the analysis gives its tables and both charts.

use serde::Serialize;

use super::content::{tables, ChartView, TableView};
use crate::analysis::Cohort;
use crate::codes::Lang;
use crate::disclosure::Protection;
use crate::error::Result;
use crate::model::Model;
use crate::plugins::{plugin_chart_of, run_analysis, Call};

/// The plugin's analysis and the ids of the tables the page shows (plugins/socioeconomic/src/report.rs).
const ANALYSIS: &str = "socio-economic";
const SHOWN: [&str; 3] = ["key_figures", "actors", "scenarios"];
const ASSUMPTIONS: &str = "assumptions";

#[derive(Debug, Serialize)]
pub struct SocioEconomicView {
    pub heading: String,
    pub intro: String,
    pub tables: Vec<TableView>,
    pub charts: Vec<ChartView>,
    /// What the calculation rests on, for the appendix.
    pub assumptions: Vec<String>,
}

pub fn section(model: &Model, cohort: &Cohort, lang: Lang, protection: Protection) -> Result<Option<SocioEconomicView>> {
    if model.plugins().analysis(ANALYSIS).is_none() {
        return Ok(None);
    }
    let call = Call { name: ANALYSIS.into(), cohort: Some(cohort.clone()), args: Vec::new(), lang, protection };
    let output = run_analysis(model, &call)?;
    // A cohort without exits gives one table that says why.
    let Some(assumptions) = output.section(ASSUMPTIONS) else {
        let why = output.sections.first().map(|s| s.title.clone()).unwrap_or_default();
        return Ok(Some(SocioEconomicView {
            heading: output.heading.clone(),
            intro: why,
            tables: Vec::new(),
            charts: Vec::new(),
            assumptions: Vec::new(),
        }));
    };
    let mut charts = Vec::new();
    for kind in ["socio-economic-actors", "socio-economic-payback"] {
        let drawn = plugin_chart_of(model, &Call { name: kind.into(), ..call.clone() }, &output)?;
        charts.push(ChartView { title: drawn.title.clone(), svg: drawn.to_svg()? });
    }
    let assumptions = assumptions.shown.rows_as_text()?.into_iter().filter_map(|r| r.into_iter().next()).collect();
    let intro = match lang {
        Lang::Sv => {
            "Vad deltagarnas förändring från läget före till läget efter insatsen är värd för kommunen, regionen, \
                     Försäkringskassan, Arbetsförmedlingen, övriga staten och individen, mot insatsens kostnad. Beräknat med \
                     finsams standardparametrar (nuvärden, 3 % diskonteringsränta); kalkylens antaganden finns i bilagan."
        }
        Lang::En => {
            "What the participants' change from their status before to their status after the intervention is worth to \
                     the municipality, the region, Försäkringskassan, Arbetsförmedlingen, the rest of the state and the individual, \
                     against the intervention's cost. Computed with finsam's default parameters (present values, 3% discount \
                     rate); the calculation's assumptions are in the appendix."
        }
    };
    Ok(Some(SocioEconomicView {
        heading: output.heading.clone(),
        intro: intro.to_string(),
        tables: tables(&output, lang, &SHOWN)?,
        charts,
        assumptions,
    }))
}
