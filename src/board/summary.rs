//! The summary's key figures, each with a sentence worded from the published numbers and their
//! uncertainty: "ökade från 48 % till 61 %; skillnaden är statistiskt säkerställd" only when Newcombe's 95 %
//! interval of the difference leaves out zero, "kan bero på slumpen" otherwise.

use serde::Serialize;

use crate::codes::Lang;
use crate::format::{percent, points, points_number, whole};

/// One key figure: what it is, its value in each period, and the sentence.
#[derive(Debug, Clone, Serialize)]
pub struct KeyFigure {
    pub label: String,
    pub a: String,
    pub b: String,
    pub sentence: String,
}

/// A row of the published comparison table, by position (measure; k, n, share of A; k, n, share of B;
/// difference, its interval, the p-value), values as printed ("" for nothing shown).
pub struct ComparisonRow<'a>(pub &'a [String]);

impl ComparisonRow<'_> {
    fn number(&self, i: usize) -> Option<f64> {
        self.0.get(i).and_then(|t| t.parse().ok())
    }
    fn count(&self, i: usize) -> Option<u64> {
        self.0.get(i).and_then(|t| t.parse().ok())
    }
}

/// The sentence for one share compared between the periods.
pub fn share_figure(row: &ComparisonRow, period_a: &str, period_b: &str, lang: Lang) -> KeyFigure {
    let label = row.0.first().cloned().unwrap_or_default();
    let (a, b) = (row.number(3), row.number(6));
    let (n_a, n_b) = (row.count(2), row.count(5));
    let show = |p: Option<f64>, n: Option<u64>| p.map_or_else(|| "–".to_string(), |p| percent(p, n, lang));
    let (a_text, b_text) = (show(a, n_a), show(b, n_b));
    let sentence = match (a, b, row.number(8), row.number(9)) {
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
            let interval = format!("{} {} {}", points_number(low, lang), if lang == Lang::Sv { "till" } else { "to" }, points(high, lang));
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
pub fn exits_figure(row: &ComparisonRow, period_a: &str, period_b: &str, data_end: &str, lang: Lang) -> KeyFigure {
    let show = |n: Option<u64>| n.map_or_else(|| "–".to_string(), |n| whole(n as f64, lang));
    let (a, b) = (show(row.count(2)), show(row.count(5)));
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

/// Cost per participant-year in each period (a row of the published cost comparison: label, A, B, change).
pub fn cost_figure(row: &[String], period_a: &str, period_b: &str, lang: Lang) -> Option<KeyFigure> {
    let (a, b) = (row.get(1)?.parse::<f64>().ok()?, row.get(2)?.parse::<f64>().ok()?);
    let (a_text, b_text) = (format!("{} kr", whole(a, lang)), format!("{} kr", whole(b, lang)));
    let label = row.first()?.clone();
    let sentence = match lang {
        Lang::Sv => format!("{b_text} under {period_b} mot {a_text} under {period_a} (faktiska kostnader, alla finansiärer)."),
        Lang::En => format!("{b_text} in {period_b} against {a_text} in {period_a} (actual costs, all financiers)."),
    };
    Some(KeyFigure { label, a: a_text, b: b_text, sentence })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| v.to_string()).collect()
    }

    #[test]
    fn the_wording_follows_the_interval() {
        let r = row(&["Arbete eller studier", "58", "120", "0.4833", "85", "140", "0.6071", "0.1238", "0.0326", "0.2386", "0.04"]);
        let f = share_figure(&ComparisonRow(&r), "2020–2021", "2022–2023", Lang::Sv);
        assert_eq!(f.sentence, "Ökade från 48 % under 2020–2021 till 61 % under 2022–2023; skillnaden är statistiskt säkerställd (95 % konfidensintervall 3 till 24 procentenheter).");
        let r = row(&["Arbete eller studier", "58", "120", "0.4833", "85", "140", "0.6071", "0.1238", "0.0026", "0.2386", "0.04"]);
        assert!(share_figure(&ComparisonRow(&r), "a", "b", Lang::Sv)
            .sentence
            .contains("på gränsen till att vara statistiskt säkerställd (95 % konfidensintervall 0,3 till"));
        let r = row(&["Egen försörjning", "30", "120", "0.25", "31", "140", "0.2214", "-0.0286", "-0.13", "0.07", "0.6"]);
        let f = share_figure(&ComparisonRow(&r), "2020–2021", "2022–2023", Lang::Sv);
        assert!(f.sentence.contains("Minskade från 25 %") && f.sentence.contains("kan bero på slumpen"), "{}", f.sentence);
        let r = row(&["X", "0", "0", "", "5", "9", "0.5556", "", "", "", ""]);
        assert!(share_figure(&ComparisonRow(&r), "a", "b", Lang::En).sentence.contains("Too few exits"));
    }
}
