//! The export's column names, Swedish first (the national follow-up is in Swedish).

use finsam_plugin::Lang;

/// The financier columns, in the order of the national follow-up.
pub const FINANCIERS: [&str; 6] = ["state", "municipality", "region", "federation", "esf", "other"];

/// The column a financier code of a budget line is reported under (in-kind is among "others").
pub fn financier(code: &str) -> &'static str {
    match code {
        "state" => "state",
        "municipality" => "municipality",
        "region" => "region",
        "federation" => "federation",
        "esf" => "esf",
        _ => "other",
    }
}

fn financier_label(code: &str, lang: Lang) -> &'static str {
    match code {
        "state" => lang.pick("staten", "state"),
        "municipality" => lang.pick("kommuner", "municipalities"),
        "region" => lang.pick("region", "region"),
        "federation" => lang.pick("förbundet", "federation"),
        "esf" => lang.pick("ESF", "ESF"),
        _ => lang.pick("övriga", "others"),
    }
}

pub fn interventions(lang: Lang) -> Vec<String> {
    let names: Vec<&str> = match lang {
        Lang::Sv => vec![
            "förbund",
            "insats-id",
            "insats",
            "år",
            "individ/struktur",
            "inriktning",
            "målgrupp",
            "nya deltagare kvinnor",
            "nya deltagare män",
            "avslutade kvinnor",
            "avslutade män",
            "aktiva deltagare kvinnor",
            "aktiva deltagare män",
            "anonyma deltagare kvinnor",
            "anonyma deltagare män",
        ],
        Lang::En => vec![
            "federation",
            "intervention id",
            "intervention",
            "year",
            "individual/structural",
            "orientation",
            "target group",
            "started women",
            "started men",
            "ended women",
            "ended men",
            "active women",
            "active men",
            "anonymous women",
            "anonymous men",
        ],
    };
    let mut columns: Vec<String> = names.into_iter().map(String::from).collect();
    for code in FINANCIERS {
        let label = financier_label(code, lang);
        columns.push(format!("budget {label}"));
        columns.push(format!("{} {label}", lang.pick("utfall", "actual")));
    }
    columns.push(lang.pick("budget totalt", "budget total").to_string());
    columns.push(lang.pick("utfall totalt", "actual total").to_string());
    columns
}

pub fn funding(lang: Lang) -> Vec<&'static str> {
    match lang {
        Lang::Sv => vec!["förbund", "år", "staten (FK och AF) kr", "region kr", "kommuner kr", "totalt kr", "eget kapital kr"],
        Lang::En => vec!["federation", "year", "state (FK and AF) SEK", "region SEK", "municipalities SEK", "total SEK", "equity SEK"],
    }
}
