//! The parameter file: read, checked (every error names the file, the key and what was expected) and
//! resolved into one flat list of values in the price year, so that the calculation, the table of
//! parameters and the sensitivity analysis all read the same numbers.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::actors::{Actor, ACTORS};

/// The parameters shipped with finsam.
pub const DEFAULT_FILE: &str = include_str!("../parameters.toml");
pub const DEFAULT_NAME: &str = "the default parameters (parameters.toml)";

/// The support and occupation codes a file must value, each once (the codes of the enrolment table).
pub const SUPPORT_CODES: [&str; 9] = [
    "wage",
    "unemployment_insurance",
    "activity_support",
    "sickness_benefit",
    "activity_compensation",
    "sickness_compensation",
    "social_assistance",
    "study_allowance",
    "no_public_support",
];
pub const OCCUPATION_CODES: [&str; 4] = ["work", "studies", "job_seeking", "other"];
const FINANCIERS: [&str; 7] = ["federation", "state", "region", "municipality", "esf", "in_kind", "other"];

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Unit {
    Sek,
    Rate,
    Years,
}

/// One value of the file, moved to the price year.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Where it is in the file ("support.social_assistance.payment").
    pub key: String,
    pub value: f64,
    pub unit: Unit,
    /// The low and high values of the sensitivity analysis (in the price year).
    pub range: (f64, f64),
    /// The year of the prices it was given in (amounts only).
    pub year: Option<i32>,
    pub source: Option<String>,
    pub assumption: Option<String>,
    /// What a cost is, in Swedish and English (costs only).
    pub what: Option<(String, String)>,
}

/// A yearly flow of a status: `from` loses the value, `to` (when a payment) receives it.
#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    pub entry: usize,
    pub from: Actor,
    pub to: Option<Actor>,
}

/// Who bears the intervention's cost for a financier of a budget line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bearer {
    Members,
    Actor(Actor),
}

/// The indices of the single values in `entries`.
#[derive(Debug, Clone, PartialEq)]
pub struct Keys {
    pub discount_rate: usize,
    pub deadweight: usize,
    pub effect_decay: usize,
    pub pension_age: usize,
    pub write_off_years: usize,
    pub wage: usize,
    pub employer_fee_rate: usize,
    pub municipal_tax_rate: usize,
    pub regional_tax_rate: usize,
    pub basic_deduction: usize,
    pub earned_income_tax_credit: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Parameters {
    /// Where they were read from, for messages and the output.
    pub origin: String,
    pub price_year: i32,
    pub index_source: String,
    /// The price index by year, for restating costs recorded in their own year's prices.
    pub price_index: BTreeMap<i32, f64>,
    pub entries: Vec<Entry>,
    pub keys: Keys,
    /// Flows per support code and per occupation code (in the order of the code lists).
    pub support: Vec<Vec<Flow>>,
    pub occupation: Vec<Vec<Flow>>,
    pub bearers: BTreeMap<String, Bearer>,
}

impl Parameters {
    /// The factor that moves an amount in `year`'s prices to the price year; `None` when the index has no
    /// value for that year.
    pub fn price_factor(&self, year: i32) -> Option<f64> {
        Some(self.price_index.get(&self.price_year)? / self.price_index.get(&year)?)
    }

    pub fn value(&self, i: usize) -> f64 {
        self.entries[i].value
    }

    /// The same parameters with one value changed (the sensitivity analysis).
    pub fn with(&self, i: usize, value: f64) -> Parameters {
        let mut p = self.clone();
        p.entries[i].value = value;
        p
    }

    pub fn assumptions(&self) -> Vec<&Entry> {
        self.entries.iter().filter(|e| e.assumption.is_some()).collect()
    }

    /// The file an analysis's `parameters` argument names, or the defaults.
    pub fn from_args(args: &finsam_plugin::Args) -> Result<Parameters, String> {
        Parameters::load(path_arg(args))
    }

    /// The text of the defaults, or of the file at `path`.
    fn text(path: Option<&str>) -> Result<String, String> {
        match path {
            None => Ok(DEFAULT_FILE.to_string()),
            Some(path) => std::fs::read_to_string(path).map_err(|e| format!("cannot read the parameter file {path}: {e}")),
        }
    }

    /// Reads the defaults, or the file at `path`.
    pub fn load(path: Option<&str>) -> Result<Parameters, String> {
        Parameters::parse(&Parameters::text(path)?, path.unwrap_or(DEFAULT_NAME))
    }

    pub fn parse(text: &str, origin: &str) -> Result<Parameters, String> {
        let file: File = toml::from_str(text).map_err(|e| format!("{origin}: {}", e.to_string().trim_end()))?;
        Resolver::new(origin, &file)?.resolve(&file)
    }
}

/// The file the `parameters` argument names, if any.
fn path_arg(args: &finsam_plugin::Args) -> Option<&str> {
    match args.get("parameters") {
        Some(finsam_plugin::ArgValue::Text(path)) => Some(path.as_str()),
        _ => None,
    }
}

/// Writes the parameter file in use (the defaults, or the `parameters` file) to `target`, a new file: the
/// starting point of a federation's own parameters. An existing file is never replaced.
pub fn write_copy(args: &finsam_plugin::Args, target: &str) -> Result<(), String> {
    let text = Parameters::text(path_arg(args))?;
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(target).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => {
            format!("write_to: {target} already exists; choose a new file name (an existing file is never replaced)")
        }
        _ => format!("write_to: cannot create {target}: {e}"),
    })?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(|e| format!("write_to: cannot write {target}: {e}"))
}

// ---- The file as written -------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    price_year: i32,
    price_index: PriceIndex,
    rates: Rates,
    work: Work,
    cost_bearers: BTreeMap<String, String>,
    support: BTreeMap<String, Status>,
    occupation: BTreeMap<String, Status>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PriceIndex {
    source: String,
    values: BTreeMap<String, f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Rates {
    discount_rate: Rate,
    deadweight: Rate,
    effect_decay: Rate,
    pension_age: Rate,
    write_off_years: Rate,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Work {
    wage: Amount,
    employer_fee_rate: Rate,
    municipal_tax_rate: Rate,
    regional_tax_rate: Rate,
    basic_deduction: Amount,
    earned_income_tax_credit: Amount,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Rate {
    value: f64,
    range: Option<[f64; 2]>,
    source: Option<String>,
    assumption: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Amount {
    sek: f64,
    year: i32,
    range: Option<[f64; 2]>,
    source: Option<String>,
    assumption: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Payment {
    payer: Actor,
    sek: f64,
    year: i32,
    range: Option<[f64; 2]>,
    source: Option<String>,
    assumption: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Cost {
    actor: Actor,
    what: String,
    what_en: Option<String>,
    sek: f64,
    year: i32,
    range: Option<[f64; 2]>,
    source: Option<String>,
    assumption: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Status {
    payment: Option<Payment>,
    #[serde(default)]
    costs: Vec<Cost>,
}

// ---- Checking and resolving ----------------------------------------------------------------------

struct Resolver<'a> {
    origin: &'a str,
    price_year: i32,
    index: BTreeMap<i32, f64>,
    entries: Vec<Entry>,
}

impl<'a> Resolver<'a> {
    fn new(origin: &'a str, file: &File) -> Result<Resolver<'a>, String> {
        let mut index = BTreeMap::new();
        for (year, value) in &file.price_index.values {
            let parsed: i32 = year.parse().map_err(|_| format!("{origin}: price_index.values.{year}: expected a year (such as 2023) as the key"))?;
            if !(value.is_finite() && *value > 0.0) {
                return Err(format!("{origin}: price_index.values.{year}: expected a positive index value, found {value}"));
            }
            index.insert(parsed, *value);
        }
        let r = Resolver { origin, price_year: file.price_year, index, entries: Vec::new() };
        if !r.index.contains_key(&file.price_year) {
            return Err(r.error("price_year", &format!("{} has no value in price_index.values: add the index of that year", file.price_year)));
        }
        Ok(r)
    }

    fn error(&self, key: &str, message: &str) -> String {
        format!("{}: {key}: {message}", self.origin)
    }

    /// The factor that moves a price of `year` to the price year.
    fn restate(&self, key: &str, year: i32) -> Result<f64, String> {
        let from = self.index.get(&year).ok_or_else(|| {
            self.error(key, &format!("the price year {year} has no value in price_index.values: add the index of {year} or give the amount in the prices of a year that has one"))
        })?;
        Ok(self.index[&self.price_year] / from)
    }

    fn push(&mut self, entry: Entry) -> usize {
        self.entries.push(entry);
        self.entries.len() - 1
    }

    fn rate(&mut self, key: &str, rate: &Rate, unit: Unit, max: f64) -> Result<usize, String> {
        let check = |v: f64| v.is_finite() && (0.0..=max).contains(&v);
        let expected = match unit {
            Unit::Years => format!("expected a number of years from 0 to {max}"),
            _ => format!("expected a share from 0 to {max} (0.03 is 3 %)"),
        };
        if !check(rate.value) {
            return Err(self.error(key, &format!("{expected}, found {}", rate.value)));
        }
        let range = match rate.range {
            Some([lo, hi]) if check(lo) && check(hi) && lo <= rate.value && rate.value <= hi => (lo, hi),
            Some([lo, hi]) => {
                return Err(
                    self.error(&format!("{key}.range"), &format!("{expected} with low ≤ value ≤ high, found [{lo}, {hi}] around {}", rate.value))
                )
            }
            None => ((rate.value * 0.75).max(0.0), (rate.value * 1.25).min(max)),
        };
        self.described(key, rate.source.as_deref(), rate.assumption.as_deref())?;
        Ok(self.push(Entry {
            key: key.to_string(),
            value: rate.value,
            unit,
            range,
            year: None,
            source: rate.source.clone(),
            assumption: rate.assumption.clone(),
            what: None,
        }))
    }

    fn amount(
        &mut self,
        key: &str,
        sek: f64,
        year: i32,
        range: Option<[f64; 2]>,
        source: &Option<String>,
        assumption: &Option<String>,
    ) -> Result<usize, String> {
        if !(sek.is_finite() && sek >= 0.0) {
            return Err(self.error(key, &format!("expected an amount of at least 0 SEK a year, found {sek}")));
        }
        let factor = self.restate(&format!("{key}.year"), year)?;
        let range = match range {
            Some([lo, hi]) if lo >= 0.0 && lo <= sek && sek <= hi => (lo * factor, hi * factor),
            Some([lo, hi]) => {
                return Err(self.error(&format!("{key}.range"), &format!("expected [low, high] with 0 ≤ low ≤ {sek} ≤ high, found [{lo}, {hi}]")))
            }
            None => (sek * factor * 0.75, sek * factor * 1.25),
        };
        self.described(key, source.as_deref(), assumption.as_deref())?;
        Ok(self.push(Entry {
            key: key.to_string(),
            value: sek * factor,
            unit: Unit::Sek,
            range,
            year: Some(year),
            source: source.clone(),
            assumption: assumption.clone(),
            what: None,
        }))
    }

    /// Every value says where it comes from: a source, or why it is assumed.
    fn described(&self, key: &str, source: Option<&str>, assumption: Option<&str>) -> Result<(), String> {
        match (source.map(str::trim).filter(|s| !s.is_empty()), assumption.map(str::trim).filter(|s| !s.is_empty())) {
            (Some(_), Some(_)) => Err(self.error(key, "expected either `source` or `assumption`, not both")),
            (None, None) => Err(self.error(
                key,
                "expected a `source` (publication, table, year) or, for a value no public source gives, an `assumption` saying why it was chosen",
            )),
            _ => Ok(()),
        }
    }

    fn statuses(&mut self, list: &str, codes: &[&str], given: &BTreeMap<String, Status>) -> Result<Vec<Vec<Flow>>, String> {
        if let Some(unknown) = given.keys().find(|k| !codes.contains(&k.as_str())) {
            return Err(self.error(&format!("{list}.{unknown}"), &format!("unknown {list} status: expected one of {}", codes.join(", "))));
        }
        let mut all = Vec::new();
        for code in codes {
            let key = format!("{list}.{code}");
            let status = given.get(*code).ok_or_else(|| {
                self.error(&key, &format!("missing: every {list} status must be valued (an empty table [{key}] when it has no payment or cost)"))
            })?;
            let mut flows = Vec::new();
            if let Some(p) = &status.payment {
                if p.payer == Actor::Individual {
                    return Err(self.error(
                        &format!("{key}.payment.payer"),
                        "expected the actor who pays (municipality, region, fk, af, state), not the individual who receives",
                    ));
                }
                let entry = self.amount(&format!("{key}.payment"), p.sek, p.year, p.range, &p.source, &p.assumption)?;
                flows.push(Flow { entry, from: p.payer, to: Some(Actor::Individual) });
            }
            for (i, c) in status.costs.iter().enumerate() {
                if c.what.trim().is_empty() {
                    return Err(self.error(&format!("{key}.costs[{}].what", i + 1), "expected a few words saying what the cost is"));
                }
                let entry = self.amount(&format!("{key}.costs[{}]", i + 1), c.sek, c.year, c.range, &c.source, &c.assumption)?;
                self.entries[entry].what = Some((c.what.clone(), c.what_en.clone().unwrap_or_else(|| c.what.clone())));
                flows.push(Flow { entry, from: c.actor, to: None });
            }
            all.push(flows);
        }
        Ok(all)
    }

    fn resolve(mut self, file: &File) -> Result<Parameters, String> {
        let r = &file.rates;
        let w = &file.work;
        let keys = Keys {
            discount_rate: self.rate("rates.discount_rate", &r.discount_rate, Unit::Rate, 0.5)?,
            deadweight: self.rate("rates.deadweight", &r.deadweight, Unit::Rate, 1.0)?,
            effect_decay: self.rate("rates.effect_decay", &r.effect_decay, Unit::Rate, 1.0)?,
            pension_age: self.rate("rates.pension_age", &r.pension_age, Unit::Years, 100.0)?,
            write_off_years: self.rate("rates.write_off_years", &r.write_off_years, Unit::Years, 50.0)?,
            wage: self.amount("work.wage", w.wage.sek, w.wage.year, w.wage.range, &w.wage.source, &w.wage.assumption)?,
            employer_fee_rate: self.rate("work.employer_fee_rate", &w.employer_fee_rate, Unit::Rate, 1.0)?,
            municipal_tax_rate: self.rate("work.municipal_tax_rate", &w.municipal_tax_rate, Unit::Rate, 1.0)?,
            regional_tax_rate: self.rate("work.regional_tax_rate", &w.regional_tax_rate, Unit::Rate, 1.0)?,
            basic_deduction: self.amount(
                "work.basic_deduction",
                w.basic_deduction.sek,
                w.basic_deduction.year,
                w.basic_deduction.range,
                &w.basic_deduction.source,
                &w.basic_deduction.assumption,
            )?,
            earned_income_tax_credit: self.amount(
                "work.earned_income_tax_credit",
                w.earned_income_tax_credit.sek,
                w.earned_income_tax_credit.year,
                w.earned_income_tax_credit.range,
                &w.earned_income_tax_credit.source,
                &w.earned_income_tax_credit.assumption,
            )?,
        };
        if self.entries[keys.write_off_years].value < 1.0 {
            return Err(self.error("rates.write_off_years", "expected at least 1 year"));
        }
        if self.entries[keys.municipal_tax_rate].value + self.entries[keys.regional_tax_rate].value > 1.0 {
            return Err(self.error("work.municipal_tax_rate", "the municipal and regional tax rates together exceed 100 %"));
        }
        let mut bearers = BTreeMap::new();
        if let Some(unknown) = file.cost_bearers.keys().find(|k| !FINANCIERS.contains(&k.as_str())) {
            return Err(self.error(&format!("cost_bearers.{unknown}"), &format!("unknown financier: expected one of {}", FINANCIERS.join(", "))));
        }
        for financier in FINANCIERS {
            let key = format!("cost_bearers.{financier}");
            let given = file
                .cost_bearers
                .get(financier)
                .ok_or_else(|| self.error(&key, "missing: say who bears this financier's money (an actor or \"members\")"))?;
            let bearer = if given == "members" {
                Bearer::Members
            } else {
                match ACTORS.iter().find(|a| a.code() == given) {
                    Some(Actor::Individual) | None => {
                        return Err(self.error(&key, &format!("unknown bearer '{given}': expected members, municipality, region, fk, af or state")))
                    }
                    Some(a) => Bearer::Actor(*a),
                }
            };
            bearers.insert(financier.to_string(), bearer);
        }
        let support = self.statuses("support", &SUPPORT_CODES, &file.support)?;
        let occupation = self.statuses("occupation", &OCCUPATION_CODES, &file.occupation)?;
        Ok(Parameters {
            origin: self.origin.to_string(),
            price_year: self.price_year,
            index_source: file.price_index.source.clone(),
            price_index: self.index.clone(),
            entries: self.entries,
            keys,
            support,
            occupation,
            bearers,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_read_and_every_value_has_a_source_or_an_assumption() {
        let p = Parameters::load(None).unwrap();
        assert_eq!(p.price_year, 2023);
        assert!(p.entries.iter().all(|e| e.source.is_some() != e.assumption.is_some()));
        // Social assistance 57 380 kr in 2019 prices, moved to 2023 by KPI 403.70 / 334.26.
        let sa = &p.entries[p.support[6][0].entry];
        assert_eq!(sa.key, "support.social_assistance.payment");
        assert!((sa.value - 57380.0 * 403.70 / 334.26).abs() < 1e-6);
        assert_eq!(p.value(p.keys.discount_rate), 0.03);
    }

    fn broken(from: &str, to: &str) -> String {
        let text = DEFAULT_FILE.replacen(from, to, 1);
        assert_ne!(text, DEFAULT_FILE, "the test's edit must change the file");
        Parameters::parse(&text, "my.toml").unwrap_err()
    }

    #[test]
    fn bad_files_are_named_with_the_key_and_what_was_expected() {
        let e = broken("[support.activity_support]\npayment", "[support.activity_supp]\npayment");
        assert!(e.starts_with("my.toml: support.activity_supp: unknown support status"), "{e}");
        let e = broken("[support.no_public_support]\n", "");
        assert!(e.starts_with("my.toml: support.no_public_support: missing"), "{e}");
        let e = broken("value = 0.03,", "value = -0.03,");
        assert!(e.contains("rates.discount_rate: expected a share from 0") && e.contains("found -0.03"), "{e}");
        let e = broken("actor = \"af\"", "actor = \"kommun\"");
        assert!(e.starts_with("my.toml: ") && e.contains("unknown variant `kommun`") && e.contains("municipality"), "{e}");
        let e = broken("sek = 57380, year = 2019", "sek = 57380, year = 2011");
        assert!(e.contains("support.social_assistance.payment.year: the price year 2011 has no value in price_index.values"), "{e}");
        let e = broken("price_year = 2023", "price_year = 2030");
        assert!(e.contains("price_year: 2030 has no value in price_index.values"), "{e}");
        let e = broken("sek = 300000, year = 2023, assumption", "sek = 300000, year = 2023, source = \"x\", assumption");
        assert!(e.contains("work.wage: expected either `source` or `assumption`"), "{e}");
        let e = broken("federation = \"members\"", "federation = \"everyone\"");
        assert!(e.contains("cost_bearers.federation: unknown bearer 'everyone'"), "{e}");
    }
}
