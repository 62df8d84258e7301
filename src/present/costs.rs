//! The cost tables as people and machines read them: unit costs with published participants and outcomes
//! (each cost per unit divided by a published count), and the money tables.

use crate::analysis::costs::UnitCost;
use crate::codes::Lang;
use crate::disclosure::{Cell, Protection, Protector};

use super::render::{Section, Value};

/// A column as (key, heading in the output's language).
fn column(lang: Lang, key: &'static str, sv: &'static str, en: &'static str) -> (&'static str, &'static str) {
    (key, lang.pick(sv, en))
}

/// Unit costs as a table. The participants and positive outcomes are published counts, and the costs per
/// unit are divided by the published counts: a cost and a cost per person give away no more than the
/// published count. Where a published count is under 5 (0), nothing is divided by it.
pub fn unit_cost_section(costs: &[UnitCost], lang: Lang, p: &Protector) -> Section {
    let h = |key, sv, en| column(lang, key, sv, en);
    let columns = [
        h("intervention", "insats", "intervention"),
        h("year", "år", "year"),
        h("actual_sek", "utfall kr", "actual SEK"),
        h("participants", "deltagare", "participants"),
        h("participant_months", "deltagarmånader", "participant-months"),
        h("positive_outcomes", "positiva utfall", "positive outcomes"),
        h("sek_per_participant", "kr per deltagare", "SEK per participant"),
        h("sek_per_participant_month", "kr per deltagarmånad", "SEK per participant-month"),
        h("sek_per_positive_outcome", "kr per positivt utfall", "SEK per positive outcome"),
    ];
    let title = lang.pick("Kostnad per deltagare, deltagarmånad och positivt utfall (arbete eller studier); deltagare räknas med eller utan samtycke, deltagarmånader och utfall för dem med samtycke", "Cost per participant, participant-month and positive outcome (work or studies); participants counted with or without consent, participant-months and outcomes of those who consented");
    let mut section = Section::new("unit_costs", title, &columns);
    if p.protection() == Protection::Suppression {
        section.title.push_str(lang.pick(
            "; positiva utfall visas inte vid undertryckning (de är rapportens mått arbete eller studier och redovisas där)",
            "; positive outcomes are not shown under suppression (they are the report's work or studies, shown there)",
        ));
    }
    let enough = |c: Cell| p.divisor_of(c);
    let outcomes = published_outcomes(costs, p);
    for (u, outcomes) in costs.iter().zip(outcomes) {
        let people = published_participants(u, p);
        let per = |units: Option<u64>, divisor: f64| units.filter(|_| divisor > 0.0).map(|_| (u.actual_sek / divisor).round());
        let people_shown = enough(people);
        // Participant-months are of the registered: shown only where they are at least 5 (published), else
        // a year with 1 registered and 5 without consent would show that one person's months.
        let months = enough(p.count(u.registered)).map(|_| u.participant_months);
        section.rows.push(vec![
            Value::Text(u.intervention.clone()),
            Value::Integer(Some(i64::from(u.year))),
            Value::Number(Some(u.actual_sek)),
            Value::Count(people),
            // Rounded to a tenth of a month for machines too: an exact total of days adds nothing to the cost per
            // month and is one more figure about the people to set against others.
            Value::Number(months.map(|m| (m * 10.0).round() / 10.0)),
            Value::Count(outcomes),
            Value::Number(per(people_shown, people_shown.unwrap_or(0) as f64)),
            Value::Number(per(people_shown, months.unwrap_or(0.0))),
            Value::Number(per(enough(outcomes), enough(outcomes).unwrap_or(0) as f64)),
        ]);
    }
    if p.is_raw() {
        section.title.push_str(Protector::raw_mark(lang));
    }
    section
}

/// The positive outcomes of each row as published. Under suppression they are not shown: they are the
/// report's "work or studies" (exits to work plus exits to studies) of the year's enrolments, a sum the
/// report's own audit hides where it would give a cell of 1–4 away, and an attack set the cost table's
/// figure (and, by division, a comparison's cost per positive outcome) beside the report's occupations to
/// find one. Under suppression the report publishes them, by its rules.
pub(crate) fn published_outcomes(costs: &[UnitCost], p: &Protector) -> Vec<Cell> {
    if p.protection() == Protection::Suppression {
        return vec![Cell::Hidden; costs.len()];
    }
    costs.iter().map(|u| p.count(u.positive_outcomes)).collect()
}

/// A year's participants as published. Under suppression they are hidden where they would give a figure a
/// report of the same intervention-year hides (an attack subtracted them): those counted without consent
/// (participants less the registered, whose enrolments a report gives) or the registered (participants less
/// the report's anonymous counts, public margins) when 1–4, and the registered beside a report (counted by
/// overlap) that hides its enrolments because 1–4 of them are still enrolled (taking, as the follow-up
/// export does, that nobody is enrolled twice in a year: the registered people are then its enrolments).
pub(crate) fn published_participants(u: &UnitCost, p: &Protector) -> Cell {
    let without_consent = u.participants.n.saturating_sub(u.registered.n);
    let small = |n: u64| (1..5).contains(&n);
    let gives_a_hidden_figure = small(without_consent) || small(u.registered.n) || small(u.still_enrolled);
    match p.count(u.participants) {
        Cell::Shown(_) if p.protection() == Protection::Suppression && gives_a_hidden_figure => Cell::Hidden,
        other => other,
    }
}
