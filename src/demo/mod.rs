//! The demo: every federation and project of the founding documents, with synthetic people and money
//! that reproduce the documented figures. Deterministic (fixed seed) and marked as synthetic in the
//! database (`dataset_info.synthetic`, `federation.synthetic`) and in everything printed from it.

pub mod catalogue;
mod money;
mod people;

use duckdb::{params, Appender, Connection};

use crate::codes::{CodeList, Party};
use crate::error::{FinsamError, Result};
use crate::model::Model;
use catalogue::{FederationSpec, ALLOCATION_2019, CONTEXT_2014, DATA_END, FEDERATIONS, INTERVENTIONS, PERIODS};
use money::MemberRole;

/// The demo's seed: change it and every synthetic person changes.
pub const DEMO_SEED: u64 = 2014_0315;

pub use crate::model::{SYNTHETIC_NOTE_EN, SYNTHETIC_NOTE_SV};

/// The record keys of the demo's people and enrolments (appended as 0), from their pseudonyms.
fn write_record_keys(conn: &Connection) -> Result<()> {
    use crate::model::record_key;
    conn.execute_batch(&format!(
        "UPDATE participant SET record_key = {participant};
         UPDATE enrolment SET record_key = {enrolment} FROM participant p WHERE p.participant_key = enrolment.participant_key;",
        participant = record_key::participant_sql("participant_id"),
        enrolment = record_key::enrolment_sql("p.participant_id", "enrolment.intervention_id", "enrolment.start_date"),
    ))
    .map_err(FinsamError::db("writing the demo's record keys"))
}

/// The synthetic demo federations of the founding documents, in memory, with the built-in plugins.
pub fn model() -> Result<Model> {
    let model = crate::session::in_memory()?;
    load(&model)?;
    Ok(model)
}

/// Fills an empty model with the demo. Refuses a model that already holds federations.
pub fn load(model: &Model) -> Result<()> {
    if model.count_rows("federation")? > 0 {
        return Err(FinsamError::invalid(format!(
            "{} already holds data; the demo is written only into an empty database",
            model.path().map(|p| p.display().to_string()).unwrap_or_else(|| "the model".into())
        )));
    }
    let mut rng = crate::rng::Rng::new(DEMO_SEED);
    let people = people::build(INTERVENTIONS, &mut rng);
    let mut lines = money::budget_lines(INTERVENTIONS, &mut rng);
    let office = money::office_lines(FEDERATIONS, &lines, &mut rng);
    lines.extend(office);
    let contributions = money::contributions(FEDERATIONS, &lines, member_id);

    model.transaction(|conn| {
        write_info(conn)?;
        write_federations(conn)?;
        write_interventions(conn)?;
        write_contributions(conn, &contributions)?;
        write_budget_lines(conn, &lines)?;
        write_people(conn, &people)?;
        write_context(conn)?;
        write_periods(conn)?;
        write_allocation_inputs(conn, &contributions)
    })
}

/// An error while writing the demo's `what`.
fn db(what: &'static str) -> impl FnOnce(duckdb::Error) -> FinsamError {
    FinsamError::db(format!("writing the demo's {what}"))
}

fn write_contributions(conn: &Connection, contributions: &[money::Contribution]) -> Result<()> {
    let mut app = appender(conn, "contribution")?;
    for c in contributions {
        app.append_row(params![c.member_id, c.year, c.amount_sek]).map_err(db("contributions"))?;
    }
    Ok(())
}

fn write_budget_lines(conn: &Connection, lines: &[money::BudgetLine]) -> Result<()> {
    let mut app = appender(conn, "budget_line")?;
    for (i, l) in lines.iter().enumerate() {
        app.append_row(params![
            i as i64 + 1,
            l.federation,
            l.intervention,
            l.year,
            l.financier.code(),
            l.category.code(),
            l.budget_sek,
            l.actual_sek
        ])
        .map_err(db("budget lines"))?;
    }
    Ok(())
}

/// The participants, their enrolments (with record keys), the follow-up observations and the anonymous counts.
fn write_people(conn: &Connection, people: &people::People) -> Result<()> {
    let mut app = appender(conn, "participant")?;
    for p in &people.participants {
        // Record keys are written below, from the pseudonyms, by the same SQL every other writer uses.
        app.append_row(params![p.key, p.id, p.federation, p.sex.code(), p.birth_year, p.education.code(), 0u32]).map_err(db("participants"))?;
    }
    drop(app);

    let mut app = appender(conn, "enrolment")?;
    for e in &people.enrolments {
        let after = e.after.as_ref();
        app.append_row(params![
            e.id,
            e.participant,
            e.intervention,
            e.start,
            e.exit,
            e.support_before.code(),
            e.occupation_before.code(),
            e.extent_before,
            after.map(|a| a.support.code()),
            after.map(|a| a.occupation.code()),
            after.map(|a| a.extent),
            after.and_then(|a| a.subsidised),
            after.map(|a| a.reason.code()),
            true,
            0u32
        ])
        .map_err(db("enrolments"))?;
    }
    drop(app);
    write_record_keys(conn)?;

    let mut app = appender(conn, "observation")?;
    for o in &people.observations {
        app.append_row(params![o.enrolment, o.observed_on, o.support.code(), o.occupation.code(), o.extent, o.source]).map_err(db("observations"))?;
    }
    drop(app);

    let mut app = appender(conn, "anonymous_count")?;
    for a in &people.anonymous {
        let reason = if a.structural { "structural" } else { "no_consent" };
        app.append_row(params![a.intervention, a.year, a.sex.code(), reason, a.count]).map_err(db("anonymous counts"))?;
    }
    Ok(())
}

fn write_context(conn: &Connection) -> Result<()> {
    let mut app = appender(conn, "municipality_context")?;
    for (name, population, assistance, young, unemployment) in CONTEXT_2014 {
        app.append_row(params![
            name,
            2014,
            population,
            assistance,
            young,
            unemployment,
            "Arbetsförmedlingen och Socialstyrelsen: Lokala exempel på välfungerande samverkan (uppgifter för 2014)"
        ])
        .map_err(db("municipality context"))?;
    }
    Ok(())
}

fn write_periods(conn: &Connection) -> Result<()> {
    let mut app = appender(conn, "period")?;
    for (name, label, start, end) in PERIODS {
        app.append_row(params![name, label, people::date(start), people::date(end)]).map_err(db("periods"))?;
    }
    Ok(())
}

/// The state allocation model's inputs for 2019–2024, grown 1 % a year, with each federation's equity as a
/// share of what its members paid in.
fn write_allocation_inputs(conn: &Connection, contributions: &[money::Contribution]) -> Result<()> {
    let mut app = appender(conn, "allocation_input")?;
    for (federation, support, population, equity_share) in ALLOCATION_2019 {
        for year in 2019..=2024 {
            let growth = 1.0 + 0.01 * (year - 2019) as f64;
            let paid: i64 =
                contributions.iter().filter(|c| c.year == year && c.member_id.starts_with(&format!("{federation}-"))).map(|c| c.amount_sek).sum();
            let equity = (paid as f64 * equity_share).round();
            app.append_row(params![federation, year, (support * growth).round(), (*population as f64 * growth).round() as i64, equity])
                .map_err(db("allocation inputs"))?;
        }
    }
    Ok(())
}

fn appender<'c>(conn: &'c Connection, table: &str) -> Result<Appender<'c>> {
    conn.appender(table).map_err(FinsamError::db(format!("writing the demo's {table}")))
}

fn member_id(fed: &FederationSpec, role: MemberRole) -> String {
    match role {
        MemberRole::Fk => format!("{}-fk", fed.id),
        MemberRole::Af => format!("{}-af", fed.id),
        MemberRole::Region => format!("{}-region", fed.id),
        MemberRole::Municipality(i) => format!("{}-municipality-{}", fed.id, i + 1),
    }
}

fn write_info(conn: &Connection) -> Result<()> {
    let mut app = appender(conn, "dataset_info")?;
    let rows = [
        ("synthetic", "true".to_string()),
        ("source", "finsam demo".to_string()),
        ("seed", DEMO_SEED.to_string()),
        ("data_end_date", DATA_END.to_string()),
        ("note_sv", SYNTHETIC_NOTE_SV.to_string()),
        ("note_en", SYNTHETIC_NOTE_EN.to_string()),
    ];
    for (key, value) in rows {
        app.append_row(params![key, value]).map_err(FinsamError::db("writing dataset_info"))?;
    }
    drop(app);
    // The data is synthetic and fixed by its seed, and so is the secret of its aggregate rows' keys: every
    // demo database publishes the same figures.
    conn.execute(
        "UPDATE dataset_info SET value = ? WHERE key = ?",
        params![format!("finsam demo {DEMO_SEED}"), crate::model::record_key::AGGREGATE_KEY_SECRET],
    )
    .map_err(FinsamError::db("writing dataset_info"))?;
    Ok(())
}

fn write_federations(conn: &Connection) -> Result<()> {
    let db = || FinsamError::db("writing the demo's federations");
    let mut feds = appender(conn, "federation")?;
    for fed in FEDERATIONS {
        feds.append_row(params![fed.id, fed.name, fed.region, true]).map_err(db())?;
    }
    drop(feds);
    let mut members = appender(conn, "member")?;
    for fed in FEDERATIONS {
        let fixed = [
            (MemberRole::Fk, Party::Fk, "Försäkringskassan".to_string()),
            (MemberRole::Af, Party::Af, "Arbetsförmedlingen".to_string()),
            (MemberRole::Region, Party::Region, fed.region_member.to_string()),
        ];
        for (role, party, name) in fixed {
            members.append_row(params![member_id(fed, role), fed.id, party.code(), name, None::<i32>]).map_err(db())?;
        }
        for (i, (name, population)) in fed.municipalities.iter().enumerate() {
            members
                .append_row(params![member_id(fed, MemberRole::Municipality(i)), fed.id, Party::Municipality.code(), name, population])
                .map_err(db())?;
        }
    }
    Ok(())
}

fn write_interventions(conn: &Connection) -> Result<()> {
    let db = || FinsamError::db("writing the demo's interventions");
    let mut app = appender(conn, "intervention")?;
    for i in INTERVENTIONS {
        app.append_row(params![
            i.id,
            i.federation,
            i.name,
            i.kind.code(),
            i.orientation,
            i.target_group.code(),
            i.municipality,
            i.ages.map(|a| a.0),
            i.ages.map(|a| a.1),
            people::date(i.start),
            i.end.map(people::date),
            i.planned_participants,
            i.description
        ])
        .map_err(db())?;
    }
    drop(app);
    let mut app = appender(conn, "intervention_party")?;
    for i in INTERVENTIONS {
        for (party, unit) in i.parties {
            app.append_row(params![i.id, party.code(), unit]).map_err(db())?;
        }
    }
    Ok(())
}
