//! The summary's key figures, each with a sentence worded from the published numbers and their
//! uncertainty: "ökade från 48 % till 61 %; skillnaden är statistiskt säkerställd" only when Newcombe's 95 %
//! interval of the difference leaves out zero, "kan bero på slumpen" otherwise.

use serde::Serialize;

use crate::codes::Lang;
use crate::error::Result;
use crate::format::{percent, points, points_number, whole};
use crate::present::section::TitledTable;

/// One key figure: what it is, its value in each period, and the sentence.
#[derive(Debug, Clone, Serialize)]
pub struct KeyFigure {
    pub label: String,
    pub a: String,
    pub b: String,
    pub sentence: String,
}

/// A measure of the published comparison, read from its machine table by name: the label as printed, each
/// period's n and share, and the difference's interval (`None` where nothing is shown).
#[derive(Debug, Clone, Default)]
pub struct ComparedShare {
    pub label: String,
    pub n_a: Option<u64>,
    pub share_a: Option<f64>,
    pub n_b: Option<u64>,
    pub share_b: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
}

impl ComparedShare {
    /// Every measure of a published comparison table, in order.
    pub fn rows(table: &TitledTable) -> Result<Vec<ComparedShare>> {
        let data = &table.data;
        let labels = table.shown.texts(&table.shown.column_names()[0])?;
        let (n_a, share_a, n_b, share_b) = (data.counts("n_a")?, data.numbers("share_a")?, data.counts("n_b")?, data.numbers("share_b")?);
        let (low, high) = (data.numbers("ci_low")?, data.numbers("ci_high")?);
        Ok((0..data.num_rows())
            .map(|i| ComparedShare {
                label: labels[i].clone().unwrap_or_default(),
                n_a: n_a[i],
                share_a: share_a[i],
                n_b: n_b[i],
                share_b: share_b[i],
                ci_low: low[i],
                ci_high: high[i],
            })
            .collect())
    }
}

/// A cost of the published cost comparison, read by name: the label as printed and each period's value.
pub struct ComparedCost {
    pub label: String,
    pub a: Option<f64>,
    pub b: Option<f64>,
}

impl ComparedCost {
    /// The first row (SEK per participant-year) of a published cost comparison.
    pub fn first(table: &TitledTable) -> Result<Option<ComparedCost>> {
        let label = table.shown.texts(&table.shown.column_names()[0])?.into_iter().next().flatten();
        let (a, b) = (table.data.numbers("value_a")?, table.data.numbers("value_b")?);
        Ok(label.map(|label| ComparedCost { label, a: a[0], b: b[0] }))
    }
}

/// The sentence for one share compared between the periods.
pub fn share_figure(row: &ComparedShare, period_a: &str, period_b: &str, lang: Lang) -> KeyFigure {
    let label = row.label.clone();
    let (a, b) = (row.share_a, row.share_b);
    let (n_a, n_b) = (row.n_a, row.n_b);
    let show = |p: Option<f64>, n: Option<u64>| p.map_or_else(|| "–".to_string(), |p| percent(p, n, lang));
    let (a_text, b_text) = (show(a, n_a), show(b, n_b));
    let sentence = match (a, b, row.ci_low, row.ci_high) {
        (Some(_), Some(_), Some(low), Some(high)) => {
            let (pa, pb) = (a_text.clone(), b_text.clone());
            let direction = match (lang, pb == pa, b > a) {
                (Lang::Sv, true, _) => format!("Var {pb} under både {period_a} och {period_b}"),
                (Lang::Sv, false, true) => format!("Ökade från {pa} under {period_a} till {pb} under {period_b}"),
                (Lang::Sv, false, false) => format!("Minskade från {pa} under {period_a} till {pb} under {period_b}"),
                (Lang::En, true, _) => format!("Was {pb} in both {period_a} and {period_b}"),
                (Lang::En, false, true) => format!("Rose from {pa} in {period_a} to {pb} in {period_b}"),
                (Lang::En, false, false) => format!("Fell from {pa} in {period_a} to {pb} in {period_b}"),
            };
            let certain = low > 0.0 || high < 0.0;
            // A bound within a percentage point of zero: the counts' protection noise alone could move it
            // across, so the verdict is given as a borderline case.
            let borderline = low.abs() < 0.01 || high.abs() < 0.01;
            let interval = format!("{} {} {}", points_number(low, lang), lang.pick("till", "to"), points(high, lang));
            let judgement = match (lang, borderline, certain) {
                (Lang::Sv, true, _) => {
                    format!("skillnaden ligger på gränsen till att vara statistiskt säkerställd (95 % konfidensintervall {interval})")
                }
                (Lang::Sv, false, true) => format!("skillnaden är statistiskt säkerställd (95 % konfidensintervall {interval})"),
                (Lang::Sv, false, false) => format!("skillnaden kan bero på slumpen (95 % konfidensintervall {interval})"),
                (Lang::En, true, _) => format!("the difference is on the border of statistical significance (95% confidence interval {interval})"),
                (Lang::En, false, true) => format!("the difference is statistically significant (95% confidence interval {interval})"),
                (Lang::En, false, false) => format!("the difference may be due to chance (95% confidence interval {interval})"),
            };
            // The label stands above the sentence on the page; the sentence starts with the change.
            format!("{direction}; {judgement}.")
        }
        _ => match lang {
            Lang::Sv => "För få avslutade i någon av perioderna för att visa andelar som kan jämföras.".to_string(),
            Lang::En => "Too few exits in one of the periods to show shares that can be compared.".to_string(),
        },
    };
    KeyFigure { label, a: a_text, b: b_text, sentence }
}

/// The number of exits in each period (the n of the first measure).
pub fn exits_figure(row: &ComparedShare, period_a: &str, period_b: &str, data_end: &str, lang: Lang) -> KeyFigure {
    let show = |n: Option<u64>| n.map_or_else(|| "–".to_string(), |n| whole(n as f64, lang));
    let (a, b) = (show(row.n_a), show(row.n_b));
    let (label, sentence) = match lang {
        Lang::Sv => (
            "Avslutade inskrivningar".to_string(),
            format!("Av inskrivningarna som började {period_b} hade {b} avslutats t.o.m. {data_end}, mot {a} av dem som började {period_a}. Den senare perioden har kortare uppföljning."),
        ),
        Lang::En => (
            "Enrolments that ended".to_string(),
            format!("Of the enrolments that started in {period_b}, {b} had ended by {data_end}, against {a} of those that started in {period_a}. The later period has had less time to end."),
        ),
    };
    KeyFigure { label, a, b, sentence }
}

/// Cost per participant-year in each period (the first row of the published cost comparison).
pub fn cost_figure(row: &ComparedCost, period_a: &str, period_b: &str, lang: Lang) -> Option<KeyFigure> {
    let (a, b) = (row.a?, row.b?);
    let (a_text, b_text) = (format!("{} kr", whole(a, lang)), format!("{} kr", whole(b, lang)));
    let label = row.label.clone();
    let sentence = match lang {
        Lang::Sv => format!("{b_text} under {period_b} mot {a_text} under {period_a} (faktiska kostnader, alla finansiärer)."),
        Lang::En => format!("{b_text} in {period_b} against {a_text} in {period_a} (actual costs, all financiers)."),
    };
    Some(KeyFigure { label, a: a_text, b: b_text, sentence })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(n_a: u64, share_a: f64, n_b: u64, share_b: f64, low: f64, high: f64) -> ComparedShare {
        ComparedShare {
            label: "Arbete eller studier".into(),
            n_a: Some(n_a),
            share_a: Some(share_a),
            n_b: Some(n_b),
            share_b: Some(share_b),
            ci_low: Some(low),
            ci_high: Some(high),
        }
    }

    #[test]
    fn the_wording_follows_the_interval() {
        let f = share_figure(&row(120, 58.0 / 120.0, 140, 85.0 / 140.0, 0.0326, 0.2386), "2020–2021", "2022–2023", Lang::Sv);
        assert_eq!(f.sentence, "Ökade från 48 % under 2020–2021 till 61 % under 2022–2023; skillnaden är statistiskt säkerställd (95 % konfidensintervall 3 till 24 procentenheter).");
        assert!(share_figure(&row(120, 0.4833, 140, 0.6071, 0.0026, 0.2386), "a", "b", Lang::Sv)
            .sentence
            .contains("på gränsen till att vara statistiskt säkerställd (95 % konfidensintervall 0,3 till"));
        let f = share_figure(&row(120, 0.25, 140, 0.2214, -0.13, 0.07), "2020–2021", "2022–2023", Lang::Sv);
        assert!(f.sentence.contains("Minskade från 25 %") && f.sentence.contains("kan bero på slumpen"), "{}", f.sentence);
        let none = ComparedShare { label: "X".into(), n_b: Some(9), share_b: Some(0.5556), ..ComparedShare::default() };
        assert!(share_figure(&none, "a", "b", Lang::En).sentence.contains("Too few exits"));
    }
}
