//! `finsam generate`: a large, plausible synthetic model for benchmarks and load tests, built set-based
//! inside DuckDB (INSERT ... SELECT over `range`), never row by row.
//!
//! Every random choice is `hash(row, seed, salt)` mapped to [0, 1): DuckDB's hash is deterministic, so the
//! same seed gives the same database on every run, whatever the thread count or the insert order.

use crate::codes::{CodeList, TargetGroup};
use crate::error::{FinsamError, Result};
use crate::model::Model;

/// What to generate.
#[derive(Debug, Clone)]
pub struct GenerateOptions {
    /// How many participants to generate.
    pub participants: u64,
    /// The seed: the same seed gives the same model.
    pub seed: u64,
    /// How many chunks the participants are written in; the progress callback is called after each.
    pub chunks: u64,
}

impl GenerateOptions {
    /// Options for `participants` participants from `seed`.
    pub fn new(participants: u64, seed: u64) -> GenerateOptions {
        let chunks = (participants / 200_000).clamp(1, 50);
        GenerateOptions { participants, seed, chunks }
    }
}

/// What was generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateSummary {
    /// Federations generated.
    pub federations: i64,
    /// Interventions generated.
    pub interventions: i64,
    /// Participants generated.
    pub participants: i64,
    /// Enrolments generated.
    pub enrolments: i64,
    /// Observations generated.
    pub observations: i64,
    /// Budget lines generated.
    pub budget_lines: i64,
}

/// The generator's data end: enrolments still open then are censored here.
pub const DATA_END: &str = "2025-06-30";

/// One kind of intervention every synthetic federation runs.
struct Template {
    target_group: TargetGroup,
    age_min: i32,
    age_max: i32,
    mean_days: i32,
    /// The chances of work, studies and job-seeking at exit (the rest: other).
    p_work: f64,
    p_studies: f64,
    p_seeking: f64,
}

const fn template(target_group: TargetGroup, ages: (i32, i32), mean_days: i32, (p_work, p_studies, p_seeking): (f64, f64, f64)) -> Template {
    Template { target_group, age_min: ages.0, age_max: ages.1, mean_days, p_work, p_studies, p_seeking }
}

const TEMPLATES: &[Template] = &[
    template(TargetGroup::Young, (16, 29), 200, (0.30, 0.20, 0.30)),
    template(TargetGroup::SocialAssistance, (18, 64), 300, (0.20, 0.08, 0.40)),
    template(TargetGroup::LongTermSick, (20, 64), 360, (0.25, 0.05, 0.30)),
    template(TargetGroup::NewlyArrived, (18, 64), 250, (0.22, 0.15, 0.40)),
    template(TargetGroup::MentalIllHealth, (18, 64), 330, (0.18, 0.07, 0.35)),
    template(TargetGroup::ActivityCompensation, (19, 29), 400, (0.15, 0.12, 0.35)),
    template(TargetGroup::MultipleNeeds, (18, 64), 300, (0.20, 0.06, 0.38)),
];

/// SQL for a uniform number in [0, 1) from the row key `key`, the seed and a salt naming the choice (the
/// same row, seed and salt always give the same number).
fn uniform_sql(key: &str, seed: u64, salt: u32) -> String {
    format!("((hash({key}, {seed}::UBIGINT, {salt}) % 1000003) / 1000003.0)")
}

/// Fills an empty model. `progress(done, total)` is called after each chunk of participants.
pub fn generate(model: &Model, options: &GenerateOptions, mut progress: impl FnMut(u64, u64)) -> Result<GenerateSummary> {
    if options.participants == 0 {
        return Err(FinsamError::invalid("--participants must be at least 1"));
    }
    if model.count_rows("federation")? > 0 {
        return Err(FinsamError::invalid("the database already holds data; generate into an empty database"));
    }
    let seed = options.seed;
    let federations = options.participants.div_ceil(20_000).clamp(3, 75);
    let templates = TEMPLATES.len() as u64;
    model.transaction(|conn| {
        let run = |what: &str, sql: String| conn.execute_batch(&sql).map_err(FinsamError::db(format!("generating {what}")));
        run("the dataset description", dataset_sql(seed, options.participants))?;
        run("federations and members", federations_sql(seed, federations))?;
        run("interventions", interventions_sql(seed, federations))?;
        let chunk = options.participants.div_ceil(options.chunks);
        let mut done = 0;
        while done < options.participants {
            let end = (done + chunk).min(options.participants);
            run("participants and enrolments", people_sql(seed, federations, templates, done, end))?;
            done = end;
            progress(done, options.participants);
        }
        run("budgets and contributions", money_sql(seed))?;
        run("anonymous counts", anonymous_sql(seed))?;
        conn.execute_batch("DROP TABLE gen_template").map_err(FinsamError::db("cleaning up"))?;
        Ok(())
    })?;
    Ok(GenerateSummary {
        federations: model.count_rows("federation")?,
        interventions: model.count_rows("intervention")?,
        participants: model.count_rows("participant")?,
        enrolments: model.count_rows("enrolment")?,
        observations: model.count_rows("observation")?,
        budget_lines: model.count_rows("budget_line")?,
    })
}

/// What the data is (synthetic, from which seed) and the named periods.
fn dataset_sql(seed: u64, participants: u64) -> String {
    format!(
        "INSERT INTO dataset_info VALUES
           ('synthetic', 'true'), ('source', 'finsam generate'), ('seed', '{seed}'),
           ('participants', '{participants}'), ('data_end_date', '{DATA_END}'),
           ('note_sv', 'Syntetiska data från finsam generate: inga verkliga personer.'),
           ('note_en', 'Synthetic data from finsam generate: no real people.');
         -- Synthetic and fixed by the seed, as the data is: the same seed publishes the same figures.
         UPDATE dataset_info SET value = 'finsam generate {seed}' WHERE key = 'aggregate_key_secret';
         INSERT INTO period VALUES
           ('2020-2021', '2020–2021', DATE '2020-01-01', DATE '2021-12-31'),
           ('2022-2023', '2022–2023', DATE '2022-01-01', DATE '2023-12-31'),
           ('2016-2025', '2016–2025', DATE '2016-01-01', DATE '2025-12-31');"
    )
}

/// The federations, each with the state's two members, the region and two municipalities.
fn federations_sql(seed: u64, federations: u64) -> String {
    format!(
        "INSERT INTO federation SELECT printf('gen-%02d', f + 1), printf('Syntetiskt samordningsförbund %d', f + 1),
            'Region ' || (f % 21 + 1), true FROM range({federations}) t(f);
         INSERT INTO member
           SELECT printf('gen-%02d-%s', f + 1, p.party), printf('gen-%02d', f + 1), p.kind,
                  p.label || ' ' || (f + 1),
                  CASE WHEN p.kind = 'municipality' THEN (5000 + floor({pop}))::INTEGER END
           FROM range({federations}) t(f),
                (VALUES ('fk', 'fk', 'Försäkringskassan'), ('af', 'af', 'Arbetsförmedlingen'),
                        ('region', 'region', 'Region'), ('m1', 'municipality', 'Kommun A'),
                        ('m2', 'municipality', 'Kommun B')) p(party, kind, label);",
        pop = uniform_sql("f, p.party", seed, 1) + " * 120000",
    )
}

/// One individual intervention per template and federation (the last of them ended in 2021) and one
/// structural; the templates stay in a temporary table `gen_template` for the people's statements.
fn interventions_sql(seed: u64, federations: u64) -> String {
    let rows: Vec<String> = TEMPLATES
        .iter()
        .enumerate()
        .map(|(k, t)| {
            let Template { target_group, age_min, age_max, mean_days, p_work, p_studies, p_seeking } = t;
            format!("({k}, '{}', {age_min}, {age_max}, {mean_days}, {p_work}, {p_studies}, {p_seeking})", target_group.code())
        })
        .collect();
    format!(
        "CREATE TEMP TABLE gen_template AS SELECT * FROM (VALUES {rows})
             t(k, target_group, age_min, age_max, mean_days, p_work, p_studies, p_seeking);
         INSERT INTO intervention
           SELECT printf('gen-%02d-%d', f + 1, k), printf('gen-%02d', f + 1),
                  printf('Insats %d.%d', f + 1, k + 1), 'individual', NULL, target_group, NULL,
                  age_min, age_max,
                  DATE '2016-01-01' + INTERVAL (floor({start} * 4)::INTEGER) YEAR,
                  CASE WHEN k = {last} THEN DATE '2021-12-31' END, NULL, 'Syntetisk insats'
           FROM range({federations}) t(f), gen_template;
         INSERT INTO intervention
           SELECT printf('gen-%02d-s', f + 1), printf('gen-%02d', f + 1), printf('Processledning %d', f + 1),
                  'structural', 'Utbildning och metodstöd', 'staff', NULL, NULL, NULL,
                  DATE '2018-01-01', NULL, NULL, 'Syntetisk strukturövergripande insats'
           FROM range({federations}) t(f);",
        rows = rows.join(", "),
        start = uniform_sql("f, k", seed, 2),
        last = TEMPLATES.len() - 1,
    )
}

/// People counted anonymously: a few without consent in individual interventions, more in structural ones.
fn anonymous_sql(seed: u64) -> String {
    format!(
        "INSERT INTO anonymous_count
           SELECT i.intervention_id, y, s, CASE WHEN i.kind = 'structural' THEN 'structural' ELSE 'no_consent' END,
                  CASE WHEN i.kind = 'structural' THEN 20 + floor({u_big} * 80) ELSE floor({u_small} * 8) END
           FROM intervention i, range(2016, 2026) t(y), (VALUES ('female'), ('male')) x(s)
           WHERE y >= year(i.start_date) AND (i.end_date IS NULL OR y <= year(i.end_date));",
        u_big = uniform_sql("i.intervention_id, y, s", seed, 40),
        u_small = uniform_sql("i.intervention_id, y, s", seed, 41),
    )
}

/// Participants `from..to`, their enrolments (one, a quarter of them two) and a follow-up six months after
/// each exit the data reaches.
fn people_sql(seed: u64, federations: u64, templates: u64, from: u64, to: u64) -> String {
    let p = |salt| uniform_sql("i", seed, salt);
    let e = |salt| uniform_sql("i, n", seed, salt);
    format!(
        "INSERT INTO participant
           SELECT i + 1, 'g' || i, printf('gen-%02d', i % {federations} + 1),
                  CASE WHEN {sex} < 0.52 THEN 'female' ELSE 'male' END,
                  1950 + floor({age} * 55)::INTEGER,
                  CASE WHEN {edu} < 0.15 THEN 'primary_incomplete' WHEN {edu} < 0.45 THEN 'primary'
                       WHEN {edu} < 0.85 THEN 'upper_secondary' ELSE 'post_secondary' END,
                  {participant_record_key}
           FROM range({from}, {to}) t(i);
         CREATE OR REPLACE TEMP TABLE gen_enrolment AS
           WITH p AS (
             SELECT i, i % {federations} AS f, CASE WHEN {two} < 0.25 THEN 2 ELSE 1 END AS n_enrolments,
                    CASE WHEN {sex} < 0.52 THEN 'female' ELSE 'male' END AS sex
             FROM range({from}, {to}) t(i)
           ), e AS (
             SELECT p.i, p.f, p.sex, unnest(range(p.n_enrolments)) AS n FROM p
           ), placed AS (
             SELECT e.*, t.*, iv.intervention_id, iv.start_date AS i_start,
                    least(coalesce(iv.end_date, DATE '{DATA_END}'), DATE '{DATA_END}') AS i_end
             FROM e
             JOIN gen_template t ON t.k = floor({pick} * {templates})::INTEGER
             JOIN intervention iv ON iv.intervention_id = printf('gen-%02d-%d', e.f + 1, t.k)
           ), dated AS (
             SELECT *,
                    i_start + floor({when} * (i_end - i_start))::INTEGER AS start_date,
                    30 + floor(-ln(1 - {dur}) * mean_days)::INTEGER AS days,
                    CASE WHEN year(i_start + floor({when} * (i_end - i_start))::INTEGER) >= 2022 THEN 0.05 ELSE 0 END
                      + CASE WHEN sex = 'female' THEN 0.02 ELSE 0 END AS lift
             FROM placed
           )
           SELECT i * 2 + n + 1 AS enrolment_id, i + 1 AS participant_key, intervention_id, start_date,
                  CASE WHEN start_date + least(days, 900) <= DATE '{DATA_END}' THEN start_date + least(days, 900) END AS exit_date,
                  target_group, p_work + lift AS p_work, p_studies, p_seeking, {out} AS u_out, {sup} AS u_sup,
                  {later} AS u_later
           FROM dated;
         INSERT INTO enrolment
           SELECT enrolment_id, participant_key, intervention_id, start_date, exit_date,
                  CASE target_group
                    WHEN 'long_term_sick' THEN CASE WHEN u_sup < 0.85 THEN 'sickness_benefit' ELSE 'sickness_compensation' END
                    WHEN 'activity_compensation' THEN CASE WHEN u_sup < 0.9 THEN 'activity_compensation' ELSE 'social_assistance' END
                    WHEN 'newly_arrived' THEN CASE WHEN u_sup < 0.6 THEN 'activity_support' ELSE 'social_assistance' END
                    WHEN 'young' THEN CASE WHEN u_sup < 0.5 THEN 'social_assistance' WHEN u_sup < 0.75 THEN 'activity_support' ELSE 'no_public_support' END
                    ELSE CASE WHEN u_sup < 0.7 THEN 'social_assistance' WHEN u_sup < 0.9 THEN 'activity_support' ELSE 'unemployment_insurance' END
                  END,
                  CASE WHEN u_sup < 0.55 THEN 'job_seeking' ELSE 'other' END, 0,
                  CASE WHEN exit_date IS NULL THEN NULL
                       WHEN u_out < p_work THEN 'wage'
                       WHEN u_out < p_work + p_studies THEN 'study_allowance'
                       WHEN u_out < p_work + p_studies + p_seeking THEN 'unemployment_insurance'
                       ELSE 'social_assistance' END,
                  CASE WHEN exit_date IS NULL THEN NULL
                       WHEN u_out < p_work THEN 'work'
                       WHEN u_out < p_work + p_studies THEN 'studies'
                       WHEN u_out < p_work + p_studies + p_seeking THEN 'job_seeking'
                       ELSE 'other' END,
                  CASE WHEN exit_date IS NULL THEN NULL WHEN u_out < p_work + p_studies THEN 100 ELSE 0 END,
                  CASE WHEN exit_date IS NOT NULL AND u_out < p_work THEN u_later < 0.1 END,
                  CASE WHEN exit_date IS NULL THEN NULL
                       WHEN u_out < p_work THEN 'work'
                       WHEN u_out < p_work + p_studies THEN 'studies'
                       WHEN u_out < p_work + p_studies + p_seeking THEN 'completed'
                       WHEN u_later < 0.5 THEN 'dropped_out' ELSE 'illness' END,
                  true, {enrolment_record_key}
           FROM gen_enrolment
           -- A person drawn twice into one intervention on one day is one enrolment (the natural key).
           QUALIFY row_number() OVER (PARTITION BY participant_key, intervention_id, start_date ORDER BY enrolment_id) = 1;
         INSERT INTO observation
           SELECT enrolment_id, exit_date + 182,
                  CASE WHEN u_out < p_work OR u_later < 0.15 THEN 'wage' ELSE 'social_assistance' END,
                  CASE WHEN u_out < p_work OR u_later < 0.15 THEN 'work' ELSE 'job_seeking' END,
                  CASE WHEN u_out < p_work OR u_later < 0.15 THEN 100 ELSE 0 END,
                  'uppföljning 6 mån'
           FROM gen_enrolment WHERE exit_date + 182 <= DATE '{DATA_END}' AND enrolment_id IN (SELECT enrolment_id FROM enrolment);",
        sex = p(10),
        age = p(11),
        edu = p(12),
        two = p(13),
        pick = e(20),
        when = e(21),
        dur = e(22),
        out = e(23),
        sup = e(24),
        later = e(25),
        participant_record_key = crate::model::record_key::participant_sql("'g' || i"),
        enrolment_record_key = crate::model::record_key::enrolment_sql("'g' || (participant_key - 1)", "intervention_id", "start_date"),
    )
}

/// Yearly budgets from the intake (25 000 SEK a participant, in-kind beside it), the office at 11 %, and
/// contributions a little above the budget under the 50/25/25 rule.
fn money_sql(seed: u64) -> String {
    format!(
        "CREATE TEMP TABLE gen_budget AS
           SELECT iv.federation_id, iv.intervention_id, y AS year,
                  CASE WHEN iv.kind = 'structural' THEN 800000
                       ELSE 25000 * (SELECT count(*) FROM enrolment e
                                     WHERE e.intervention_id = iv.intervention_id AND year(e.start_date) = y) END AS budget,
                  0.85 + 0.2 * {act} AS actual_factor
           FROM intervention iv, range(2016, 2026) t(y)
           WHERE y >= year(iv.start_date) AND (iv.end_date IS NULL OR y <= year(iv.end_date));
         INSERT INTO budget_line
           SELECT row_number() OVER (ORDER BY intervention_id, year, financier), federation_id, intervention_id, year,
                  financier, category, budget_sek, actual_sek
           FROM (
             SELECT b.federation_id, b.intervention_id, b.year, 'federation' AS financier,
                    CASE WHEN i.kind = 'structural' THEN 'structural' ELSE 'individual' END AS category,
                    round(b.budget, -3) AS budget_sek, round(b.budget * b.actual_factor, -2) AS actual_sek
             FROM gen_budget b JOIN intervention i USING (intervention_id)
             UNION ALL
             SELECT b.federation_id, b.intervention_id, b.year, 'in_kind', 'individual',
                    round(b.budget * 0.4, -3), round(b.budget * 0.4 * b.actual_factor, -2)
             FROM gen_budget b JOIN intervention i USING (intervention_id) WHERE i.kind = 'individual'
           );
         INSERT INTO budget_line
           SELECT (SELECT max(budget_line_id) FROM budget_line) + row_number() OVER (ORDER BY federation_id, year),
                  federation_id, NULL, year, 'federation', 'administration',
                  round(greatest(total * 0.11, 300000), -3), round(greatest(total * 0.11, 300000) * 0.97, -2)
           FROM (SELECT federation_id, year, sum(budget_sek) AS total FROM budget_line
                 WHERE financier = 'federation' GROUP BY ALL);
         INSERT INTO contribution
           SELECT m.member_id, t.year,
                  t.total * CASE m.party WHEN 'fk' THEN 0.5 WHEN 'region' THEN 0.25 ELSE 0.125 END
           FROM (SELECT federation_id, year, ceil(sum(budget_sek) * 1.04 / 8000) * 8000 AS total
                 FROM budget_line WHERE financier = 'federation' GROUP BY ALL) t
           JOIN member m ON m.federation_id = t.federation_id AND m.party <> 'af';
         DROP TABLE gen_budget;
         DROP TABLE gen_enrolment;",
        act = uniform_sql("iv.intervention_id, y", seed, 30),
    )
}
