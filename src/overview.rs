//! What `finsam info` shows: what is in a database, at a glance.

use crate::error::Result;
use crate::model::{Model, TABLES};
use crate::table::Table;

/// What a database holds.
pub struct Overview {
    /// Its schema version.
    pub schema_version: i64,
    /// Whether it holds synthetic demo data.
    pub synthetic: bool,
    /// What its data are (the demo's note).
    pub note: Option<String>,
    /// The federations.
    pub federations: Table,
    /// The interventions.
    pub interventions: Table,
    /// The named periods.
    pub periods: Table,
    /// Rows per table.
    pub row_counts: Vec<(&'static str, i64)>,
}

/// What the database holds, for `finsam info`.
pub fn overview(model: &Model) -> Result<Overview> {
    let federations = model.query(
        "SELECT f.federation_id AS id, f.name,
                (SELECT count(*) FROM member m WHERE m.federation_id = f.federation_id) AS members,
                (SELECT count(*) FROM intervention i WHERE i.federation_id = f.federation_id) AS interventions,
                (SELECT count(*) FROM participant p WHERE p.federation_id = f.federation_id) AS participants
         FROM federation f ORDER BY f.name",
        &[],
    )?;
    let interventions = model.query(
        "SELECT i.intervention_id AS id, i.name, i.federation_id AS federation, i.kind, i.target_group,
                CASE WHEN i.age_min IS NULL THEN '' ELSE i.age_min || '–' || i.age_max END AS ages,
                i.start_date AS start, i.end_date AS \"end\",
                (SELECT count(*) FROM enrolment e WHERE e.intervention_id = i.intervention_id) AS enrolments
         FROM intervention i ORDER BY i.federation_id, i.start_date, i.name",
        &[],
    )?;
    let periods = model.query("SELECT name, label, start_date, end_date FROM period ORDER BY start_date, end_date", &[])?;
    let mut row_counts = Vec::new();
    for table in TABLES {
        row_counts.push((*table, model.count_rows(table)?));
    }
    let synthetic = model.is_synthetic()?;
    Ok(Overview {
        schema_version: model.schema_version()?,
        synthetic,
        note: model.dataset_info("note_sv")?,
        federations,
        interventions,
        periods,
        row_counts,
    })
}
