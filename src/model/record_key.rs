//! Record keys: the number each counted unit carries for the cell-key method, a uniform 32-bit value
//! (read as a fraction of 2³²) fixed when the row is written.
//!
//! They are derived from what identifies the unit in every database: the pseudonym for a participant; the
//! pseudonym, intervention and start date (the enrolment's natural key) for an enrolment. A re-import keeps
//! them, a database rebuilt from the same files gets the same ones, and nobody without the database can
//! compute them (the pseudonym is keyed with the federation's key). MD5 is used as a mixing function, not for
//! secrecy; it is a fixed algorithm, so DuckDB upgrades cannot change the keys and with them every
//! published figure.

/// SQL for a participant's record key, from an expression giving the pseudonym.
pub fn participant_sql(pseudonym: &str) -> String {
    format!("(md5_number('finsam participant ' || {pseudonym}) & 4294967295)::UINTEGER")
}

/// SQL for an enrolment's record key, from expressions giving the pseudonym, the intervention and the start
/// date.
pub fn enrolment_sql(pseudonym: &str, intervention: &str, start_date: &str) -> String {
    format!(
        "(md5_number('finsam enrolment ' || {pseudonym} || ' ' || {intervention} || ' ' || CAST({start_date} AS VARCHAR)) & 4294967295)::UINTEGER"
    )
}

/// The `dataset_info` key of the secret the keys of aggregate rows are derived with.
pub const AGGREGATE_KEY_SECRET: &str = "aggregate_key_secret";

/// SQL for that secret. Written when the database is made (schema version 7, random; the demo's and a
/// generated model's are fixed by their seed, as their data is): without it, anyone who knows an
/// intervention's id could compute an aggregate row's key and undo its noise. A database without it is an
/// error, never unkeyed noise.
fn aggregate_secret_sql() -> String {
    format!(
        "(SELECT CASE WHEN any_value(value) IS NULL THEN error('the database has no {AGGREGATE_KEY_SECRET} in dataset_info: \
         counts entered as aggregates cannot be protected without it') ELSE any_value(value) END
          FROM dataset_info WHERE key = '{AGGREGATE_KEY_SECRET}')"
    )
}

/// The identity of a row of `anonymous_count`: intervention, year, sex and reason.
const ANONYMOUS_COUNT_IDENTITY: &str = "intervention_id || ' ' || year || ' ' || sex || ' ' || reason";

/// SQL for the key of a row of `anonymous_count` as schema version 5 gave it: from its identity alone, which
/// anyone can compute (version 7 replaces it with `anonymous_count_sql`).
pub fn anonymous_count_v5_sql() -> String {
    format!("(md5_number('finsam aggregate ' || {ANONYMOUS_COUNT_IDENTITY}) & 4294967295)::UINTEGER")
}

/// SQL for the key of a row of `anonymous_count`, as the view `finsam_anonymous_count` gives it to every
/// reader: from the row's identity, its count and the database's secret, so the same row always gets the
/// same key and nobody without the database can compute it. The count is in it because the row stands for
/// other people when it is corrected: with the key unchanged, a count of 7 or more would get the same noise
/// before and after, and two papers would differ by exactly the correction.
pub fn anonymous_count_sql() -> String {
    format!(
        "(md5_number('finsam aggregate ' || {} || ' ' || {ANONYMOUS_COUNT_IDENTITY} || ' ' || count) & 4294967295)::UINTEGER",
        aggregate_secret_sql()
    )
}

/// SQL for the smallest record key of the people a row of `anonymous_count` counts, as the view gives it
/// (`key_min`; NULL for a row of nobody).
///
/// The people have no keys of their own, so the row stands for `count` people with keys uniform and
/// independent; the smallest of n such keys has the distribution 1 − (1 − h)^(1/n) for h uniform, and h is
/// derived from the row's identity and the secret. Two things follow that the smallest key of real units has
/// too: a cell decides a count of 1–4 as 5 with probability exactly n/5 (`ptable.rs`), and when a row's count
/// grows the value can only fall (for a fixed h it falls with n), as the smallest key of a growing group
/// does, so a chain of ever larger cohorts changes a small cell's published value at most once.
pub fn anonymous_count_min_sql() -> String {
    format!(
        "CASE WHEN count > 0 THEN least(floor((1 - pow(1 - ((md5_number('finsam aggregate smallest ' || {} || ' ' || {ANONYMOUS_COUNT_IDENTITY}) & 4294967295) + 0.5) / 4294967296, 1 / count)) * 4294967296), 4294967295)::UINTEGER END",
        aggregate_secret_sql()
    )
}
