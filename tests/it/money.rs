//! The money tables are worked out in Rust from two reads; here they are written the obvious way, as one
//! SQL statement each (as finsam ran them before), and every value must be the same, to the last bit.

use finsam::analysis::cohort::resolve_period;
use finsam::analysis::costs::{budget_by_year, contributions_by_year};
use finsam::analysis::Cohort;
use finsam::codes::Lang;
use finsam::present::money::{administration_share, budget_vs_actual, funding_shares};
use finsam::present::render::Value;
use finsam::Model;

/// The cohort's filter on money, written out: federations, interventions (when `interventions` is a
/// column) and the period's years.
fn filter(m: &Model, c: &Cohort, year: &str, federation: &str, interventions: Option<&str>) -> String {
    let list = |items: &[String]| items.iter().map(|i| format!("'{i}'")).collect::<Vec<_>>().join(", ");
    let mut sql = String::from("true");
    if !c.federations.is_empty() {
        sql.push_str(&format!(" AND {federation} IN ({})", list(&c.federations)));
    }
    if let (Some(column), false) = (interventions, c.interventions.is_empty()) {
        sql.push_str(&format!(" AND {column} IN ({})", list(&c.interventions)));
    }
    if let Some(p) = &c.period {
        let p = resolve_period(m, p).unwrap();
        sql.push_str(&format!(" AND {year} BETWEEN {} AND {}", chrono::Datelike::year(&p.start), chrono::Datelike::year(&p.end)));
    }
    sql
}

fn rows(m: &Model, sql: &str, read: impl FnMut(&duckdb::Row<'_>) -> duckdb::Result<Vec<Value>>) -> Vec<String> {
    m.query_rows(sql, &[], read).unwrap().iter().map(|r| format!("{r:?}")).collect()
}

fn budget_vs_actual_by_statement(m: &Model, c: &Cohort, lang: Lang) -> Vec<String> {
    let office = lang.pick("(förbundets kansli)", "(the federation''s office)");
    let label = lang.pick("label_sv", "label_en");
    let sql = format!(
        "SELECT f.name AS federation, coalesce(i.name, '{office}') AS intervention, b.year::BIGINT AS year,
                b.financier, cl.{label} AS financier_label,
                sum(b.budget_sek)::DOUBLE AS budget, sum(b.actual_sek)::DOUBLE AS actual,
                (sum(b.actual_sek) - sum(b.budget_sek) FILTER (b.actual_sek IS NOT NULL))::DOUBLE AS deviation,
                (100 * sum(b.actual_sek) / nullif(sum(b.budget_sek) FILTER (b.actual_sek IS NOT NULL), 0))::DOUBLE AS pct
         FROM budget_line b LEFT JOIN intervention i USING (intervention_id)
         JOIN federation f ON f.federation_id = b.federation_id
         JOIN code_list cl ON cl.list = 'financier' AND cl.code = b.financier
         WHERE {}
         GROUP BY ALL ORDER BY 1, 2, 3, 5",
        filter(m, c, "b.year", "b.federation_id", Some("b.intervention_id"))
    );
    rows(m, &sql, |r| {
        Ok(vec![
            Value::Text(r.get("federation")?),
            Value::Text(r.get("intervention")?),
            Value::Integer(r.get("year")?),
            Value::label(r.get::<_, String>("financier")?, r.get::<_, String>("financier_label")?),
            Value::Number(r.get("budget")?),
            Value::Number(r.get("actual")?),
            Value::Number(r.get("deviation")?),
            Value::Rounded(r.get("pct")?, 1),
        ])
    })
}

fn funding_shares_by_statement(m: &Model, c: &Cohort, lang: Lang) -> Vec<String> {
    let (yes, no) = if lang == Lang::Sv { ("ja", "nej") } else { ("yes", "no") };
    let sql = format!(
        "WITH paid AS (
           SELECT m.federation_id, co.year,
                  sum(co.amount_sek) FILTER (m.party IN ('fk', 'af'))::DOUBLE AS state,
                  sum(co.amount_sek) FILTER (m.party = 'region')::DOUBLE AS region,
                  sum(co.amount_sek) FILTER (m.party = 'municipality')::DOUBLE AS municipalities,
                  sum(co.amount_sek)::DOUBLE AS total
           FROM contribution co JOIN member m USING (member_id)
           WHERE {} GROUP BY ALL),
         shares AS (
           SELECT f.name AS federation, paid.year::BIGINT AS year, paid.total,
                  100 * coalesce(paid.state, 0) / paid.total AS state_pct,
                  100 * coalesce(paid.region, 0) / paid.total AS region_pct,
                  100 * coalesce(paid.municipalities, 0) / paid.total AS municipalities_pct
           FROM paid JOIN federation f USING (federation_id) WHERE paid.total > 0)
         SELECT *, greatest(abs(round(state_pct, 2) - 50), abs(round(region_pct, 2) - 25), abs(round(municipalities_pct, 2) - 25))
                   > 0.5 AS deviates
         FROM shares ORDER BY federation, year",
        filter(m, c, "co.year", "m.federation_id", None)
    );
    rows(m, &sql, |r| {
        let deviates: bool = r.get("deviates")?;
        Ok(vec![
            Value::Text(r.get("federation")?),
            Value::Integer(r.get("year")?),
            Value::Number(r.get("total")?),
            Value::Rounded(r.get("state_pct")?, 2),
            Value::Rounded(r.get("region_pct")?, 2),
            Value::Rounded(r.get("municipalities_pct")?, 2),
            Value::Flag { value: deviates, label: if deviates { yes } else { no }.to_string() },
        ])
    })
}

fn administration_share_by_statement(m: &Model, c: &Cohort) -> Vec<String> {
    let sql = format!(
        "SELECT f.name AS federation, b.year::BIGINT AS year,
                sum(b.actual_sek) FILTER (b.category = 'administration')::DOUBLE AS administration,
                sum(b.actual_sek)::DOUBLE AS total,
                (100 * sum(b.actual_sek) FILTER (b.category = 'administration') / nullif(sum(b.actual_sek), 0))::DOUBLE AS pct
         FROM budget_line b JOIN federation f ON f.federation_id = b.federation_id
         WHERE b.financier = 'federation' AND b.actual_sek IS NOT NULL AND {}
         GROUP BY ALL ORDER BY 1, 2",
        filter(m, c, "b.year", "b.federation_id", None)
    );
    rows(m, &sql, |r| {
        Ok(vec![
            Value::Text(r.get("federation")?),
            Value::Integer(r.get("year")?),
            Value::Number(r.get("administration")?),
            Value::Number(r.get("total")?),
            Value::Rounded(r.get("pct")?, 1),
        ])
    })
}

fn by_year_by_statement(m: &Model, c: &Cohort) -> (Vec<String>, Vec<String>) {
    let budget = format!(
        "SELECT b.year::INTEGER, coalesce(sum(b.budget_sek), 0)::DOUBLE, coalesce(sum(b.actual_sek), 0)::DOUBLE
         FROM budget_line b WHERE {} GROUP BY ALL ORDER BY 1",
        filter(m, c, "b.year", "b.federation_id", Some("b.intervention_id"))
    );
    let paid = format!(
        "SELECT co.year::INTEGER,
                coalesce(sum(co.amount_sek) FILTER (m.party IN ('fk', 'af')), 0)::DOUBLE,
                coalesce(sum(co.amount_sek) FILTER (m.party = 'region'), 0)::DOUBLE,
                coalesce(sum(co.amount_sek) FILTER (m.party = 'municipality'), 0)::DOUBLE
         FROM contribution co JOIN member m USING (member_id) WHERE {} GROUP BY ALL ORDER BY 1",
        filter(m, c, "co.year", "m.federation_id", None)
    );
    let budget = m.query_rows(&budget, &[], |r| Ok(format!("{:?}", (r.get::<_, i32>(0)?, r.get::<_, f64>(1)?, r.get::<_, f64>(2)?)))).unwrap();
    let paid = m
        .query_rows(&paid, &[], |r| Ok(format!("{:?}", (r.get::<_, i32>(0)?, r.get::<_, f64>(1)?, r.get::<_, f64>(2)?, r.get::<_, f64>(3)?))))
        .unwrap();
    (budget, paid)
}

fn debug_rows(rows: &[Vec<Value>]) -> Vec<String> {
    rows.iter().map(|r| format!("{r:?}")).collect()
}

fn same_money_tables(m: &Model, cohorts: &[Cohort]) {
    for c in cohorts {
        for lang in [Lang::Sv, Lang::En] {
            let rows = debug_rows(&budget_vs_actual(m, c, lang).unwrap().rows);
            assert!(!rows.is_empty() || c.interventions.iter().any(|i| i == "none"), "{c:?}");
            assert_eq!(rows, budget_vs_actual_by_statement(m, c, lang), "budget against actual of {c:?}");
            assert_eq!(debug_rows(&funding_shares(m, c, lang).unwrap().rows), funding_shares_by_statement(m, c, lang), "shares of {c:?}");
        }
        assert_eq!(debug_rows(&administration_share(m, c, Lang::Sv).unwrap().rows), administration_share_by_statement(m, c), "{c:?}");
        let budget = budget_by_year(m, c).unwrap().iter().map(|y| format!("{:?}", (y.year, y.budget, y.actual))).collect::<Vec<_>>();
        let paid =
            contributions_by_year(m, c).unwrap().iter().map(|y| format!("{:?}", (y.year, y.state, y.region, y.municipalities))).collect::<Vec<_>>();
        assert_eq!((budget, paid), by_year_by_statement(m, c), "yearly sums of {c:?}");
    }
}

fn cohort(federations: &[&str], interventions: &[&str], period: Option<&str>) -> Cohort {
    Cohort {
        federations: federations.iter().map(|s| s.to_string()).collect(),
        interventions: interventions.iter().map(|s| s.to_string()).collect(),
        period: period.map(String::from),
        ..Cohort::default()
    }
}

#[test]
fn money_tables_worked_out_here_are_the_statements_to_the_last_bit() {
    let m = finsam::demo::model().unwrap();
    let cohorts = [
        Cohort::default(),
        cohort(&["umea"], &[], None),
        cohort(&["lund"], &[], Some("2022-2023")),
        cohort(&["finsam-falun", "ale"], &[], Some("2020-2021")),
        cohort(&[], &["krami", "sams"], None),
        cohort(&["umea"], &["krami"], Some("2023")),
        cohort(&["huddinge-botkyrka-salem"], &[], Some("2019-01-01..2021-06-30")),
    ];
    same_money_tables(&m, &cohorts);
    // A line without an actual yet (a year in progress), a party that paid nothing one year, and amounts
    // in öre: sums and percentages where a float sum would round differently.
    m.execute_batch(
        "UPDATE budget_line SET actual_sek = NULL WHERE federation_id = 'umea' AND year = (SELECT max(year) FROM budget_line WHERE federation_id = 'umea');
         UPDATE budget_line SET actual_sek = actual_sek + 0.07, budget_sek = budget_sek + 0.33 WHERE federation_id = 'lund';
         DELETE FROM contribution WHERE member_id = 'lund-region' AND year = 2022;
         UPDATE contribution SET amount_sek = amount_sek + 0.01 WHERE member_id LIKE 'umea%';",
    )
    .unwrap();
    same_money_tables(&m, &cohorts);
}
