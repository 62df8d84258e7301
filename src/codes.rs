//! The code lists of the model (support, occupation, sex, target group, financier, exit reason, ...).
//!
//! Each list is a Rust enum with a stable code (stored in DuckDB, English, snake_case), a Swedish label
//! (shown first: board members read Swedish) and an English label. The same codes appear as CHECK
//! constraints in `schema.sql`; a test keeps the two in step, and the migration writes every list into the
//! `code_list` table so that SQL users see the labels too.

use std::fmt;
use std::str::FromStr;

use crate::error::FinsamError;

/// A choice a face offers by name (a language, an output format, a protection...): the names a person may
/// type, each of which parses with `FromStr`. The CLI offers exactly these (`clap`'s possible values) and the
/// Python stubs list them as `Literal[...]`, so the choices are written once, here.
pub trait Choice: FromStr + Copy + Send + Sync + 'static {
    /// Every accepted name, the default first where there is one.
    const NAMES: &'static [&'static str];
}

impl Choice for Lang {
    const NAMES: &'static [&'static str] = &["sv", "en"];
}

/// The language of labels in everything a person reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Swedish (the default: board members read Swedish).
    #[default]
    Sv,
    /// English.
    En,
}

impl FromStr for Lang {
    type Err = FinsamError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "sv" | "swedish" | "svenska" => Ok(Lang::Sv),
            "en" | "english" | "engelska" => Ok(Lang::En),
            other => Err(FinsamError::invalid(format!("unknown language '{other}': expected sv or en"))),
        }
    }
}

impl From<Lang> for finsam_plugin::Lang {
    fn from(lang: Lang) -> finsam_plugin::Lang {
        match lang {
            Lang::Sv => finsam_plugin::Lang::Sv,
            Lang::En => finsam_plugin::Lang::En,
        }
    }
}

/// What every code list offers.
pub trait CodeList: Sized + Copy + 'static {
    /// The list's name, as used in the `code_list` table and in messages.
    const LIST: &'static str;
    /// Every value, in display order.
    const ALL: &'static [Self];
    /// The stable code stored in the database.
    fn code(self) -> &'static str;
    /// The Swedish label.
    fn label_sv(self) -> &'static str;
    /// The English label.
    fn label_en(self) -> &'static str;

    /// The label in `lang`.
    fn label(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Sv => self.label_sv(),
            Lang::En => self.label_en(),
        }
    }

    /// Parses a code or either label, ignoring case and surrounding space.
    fn parse(text: &str) -> Result<Self, FinsamError> {
        let wanted = text.trim();
        Self::ALL
            .iter()
            .copied()
            .find(|v| {
                v.code().eq_ignore_ascii_case(wanted)
                    || v.label_sv().to_lowercase() == wanted.to_lowercase()
                    || v.label_en().to_lowercase() == wanted.to_lowercase()
            })
            .ok_or_else(|| {
                let codes: Vec<&str> = Self::ALL.iter().map(|v| v.code()).collect();
                FinsamError::invalid(format!("'{wanted}' is not a valid {}: expected one of {}", Self::LIST, codes.join(", ")))
            })
    }
}

macro_rules! code_list {
    (
        $(#[$meta:meta])*
        $name:ident, $list:literal {
            $( $(#[$vmeta:meta])* $variant:ident = ($code:literal, $sv:literal, $en:literal) ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $( $(#[$vmeta])* #[doc = concat!("`", $code, "`: ", $en, " (", $sv, ").")] $variant ),+ }

        impl CodeList for $name {
            const LIST: &'static str = $list;
            const ALL: &'static [Self] = &[ $( $name::$variant ),+ ];
            fn code(self) -> &'static str { match self { $( $name::$variant => $code ),+ } }
            fn label_sv(self) -> &'static str { match self { $( $name::$variant => $sv ),+ } }
            fn label_en(self) -> &'static str { match self { $( $name::$variant => $en ),+ } }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.code()) }
        }

        impl FromStr for $name {
            type Err = FinsamError;
            fn from_str(s: &str) -> Result<Self, Self::Err> { <Self as CodeList>::parse(s) }
        }
    };
}

code_list! {
    /// Main source of support (*försörjning*) before or after an intervention.
    Support, "support" {
        Wage = ("wage", "Lön", "Wage"),
        UnemploymentInsurance = ("unemployment_insurance", "A-kassa", "Unemployment insurance"),
        ActivitySupport = ("activity_support", "Aktivitetsstöd", "Activity support"),
        SicknessBenefit = ("sickness_benefit", "Sjukpenning", "Sickness benefit"),
        ActivityCompensation = ("activity_compensation", "Aktivitetsersättning", "Activity compensation"),
        SicknessCompensation = ("sickness_compensation", "Sjukersättning", "Sickness compensation"),
        SocialAssistance = ("social_assistance", "Försörjningsstöd", "Social assistance"),
        StudyAllowance = ("study_allowance", "Studiemedel", "Study allowance"),
        /// Parental benefit, pension, family: no public support in SUS's sense.
        NoPublicSupport = ("no_public_support", "Ingen offentlig försörjning", "No public support"),
    }
}

impl Support {
    /// *Offentlig försörjning* as SUS defined it: unemployment insurance, Försäkringskassan's benefits or
    /// social assistance. Wages, study allowance, parental benefit and pensions are not public support, so
    /// a person living on them is self-supporting (*egen försörjning*).
    pub fn is_public(self) -> bool {
        matches!(
            self,
            Support::UnemploymentInsurance
                | Support::ActivitySupport
                | Support::SicknessBenefit
                | Support::ActivityCompensation
                | Support::SicknessCompensation
                | Support::SocialAssistance
        )
    }
}

code_list! {
    /// Occupation (*sysselsättning*) in SUS's four classes.
    Occupation, "occupation" {
        Work = ("work", "Förvärvsarbete", "Paid work"),
        Studies = ("studies", "Studier", "Studies"),
        JobSeeking = ("job_seeking", "Aktivt arbetssökande", "Actively job-seeking"),
        Other = ("other", "Övrigt", "Other"),
    }
}

code_list! {
    /// A participant's sex as registered.
    Sex, "sex" {
        Female = ("female", "Kvinna", "Woman"),
        Male = ("male", "Man", "Man"),
    }
}

code_list! {
    /// Target group (*målgrupp*) of an intervention.
    TargetGroup, "target_group" {
        Young = ("young", "Unga 16–29 år", "Young people 16–29"),
        NewlyArrived = ("newly_arrived", "Nyanlända", "Newly arrived"),
        SocialAssistance = ("social_assistance", "Personer med försörjningsstöd", "People on social assistance"),
        LongTermSick = ("long_term_sick", "Långtidssjukskrivna", "Long-term sick-listed"),
        YoungDisability = ("young_disability", "Unga med funktionsnedsättning", "Young people with disabilities"),
        ActivityCompensation = ("activity_compensation", "Unga med aktivitetsersättning", "Young people with activity compensation"),
        LongTermUnemployed = ("long_term_unemployed", "Långtidsarbetslösa", "Long-term unemployed"),
        MentalIllHealth = ("mental_ill_health", "Personer med psykisk ohälsa", "People with mental ill-health"),
        JusticeInvolved = ("justice_involved", "Personer med kriminell bakgrund", "People with a criminal record"),
        MultipleNeeds = ("multiple_needs", "Personer i behov av samordnat stöd", "People needing coordinated support"),
        Staff = ("staff", "Personal hos parterna", "The parties' staff"),
    }
}

code_list! {
    /// Who pays for a budget line. `Federation` is the federation's pooled Finsam money (50/25/25).
    Financier, "financier" {
        Federation = ("federation", "Samordningsförbundet", "The federation"),
        State = ("state", "Staten (FK/AF)", "The state (FK/AF)"),
        Region = ("region", "Regionen", "The region"),
        Municipality = ("municipality", "Kommun", "Municipality"),
        Esf = ("esf", "ESF", "ESF"),
        InKind = ("in_kind", "Medfinansiering i annat än pengar", "In-kind co-financing"),
        Other = ("other", "Övriga", "Other"),
    }
}

code_list! {
    /// Why an enrolment ended (*avslutsorsak*).
    ExitReason, "exit_reason" {
        Completed = ("completed", "Planenligt avslutad", "Completed as planned"),
        Work = ("work", "Fått arbete", "Got a job"),
        Studies = ("studies", "Börjat studera", "Started studies"),
        OtherIntervention = ("other_intervention", "Till annan insats", "Moved to another intervention"),
        Illness = ("illness", "Sjukdom", "Illness"),
        Moved = ("moved", "Flyttat", "Moved away"),
        DroppedOut = ("dropped_out", "Avbrutit", "Dropped out"),
        Other = ("other", "Annan orsak", "Other reason"),
    }
}

code_list! {
    /// Individual interventions have participants; structural work (training, process leaders, methods)
    /// is counted anonymously if at all.
    InterventionKind, "intervention_kind" {
        Individual = ("individual", "Individinriktad", "Individual"),
        Structural = ("structural", "Strukturövergripande", "Structural"),
    }
}

code_list! {
    /// A member of a federation, or another party working in an intervention.
    Party, "party" {
        Fk = ("fk", "Försäkringskassan", "Social Insurance Agency"),
        Af = ("af", "Arbetsförmedlingen", "Public Employment Service"),
        Region = ("region", "Regionen", "Region"),
        Municipality = ("municipality", "Kommunen", "Municipality"),
        Federation = ("federation", "Samordningsförbundet", "The federation"),
        Other = ("other", "Annan part", "Other party"),
    }
}

code_list! {
    /// The federation's three cost categories.
    CostCategory, "cost_category" {
        Individual = ("individual", "Individinriktade insatser", "Individual interventions"),
        Structural = ("structural", "Strukturövergripande insatser", "Structural interventions"),
        Administration = ("administration", "Styrning, ledning och administration", "Governance and administration"),
    }
}

code_list! {
    /// The highest completed education.
    Education, "education" {
        PrimaryIncomplete = ("primary_incomplete", "Ej fullständig grundskola", "Compulsory school not completed"),
        Primary = ("primary", "Grundskola", "Compulsory school"),
        UpperSecondary = ("upper_secondary", "Gymnasieskola", "Upper-secondary school"),
        PostSecondary = ("post_secondary", "Eftergymnasial utbildning", "Post-secondary education"),
    }
}

code_list! {
    /// Why people are counted anonymously rather than registered one by one.
    AnonymousReason, "anonymous_reason" {
        NoConsent = ("no_consent", "Utan samtycke", "Without consent"),
        Structural = ("structural", "Strukturövergripande insats", "Structural intervention"),
    }
}

/// One row of the `code_list` table.
pub struct CodeRow {
    /// The code list's name.
    pub list: &'static str,
    /// The code.
    pub code: &'static str,
    /// The Swedish label.
    pub label_sv: &'static str,
    /// The English label.
    pub label_en: &'static str,
}

fn rows_of<T: CodeList>() -> impl Iterator<Item = CodeRow> {
    T::ALL.iter().map(|v| CodeRow { list: T::LIST, code: v.code(), label_sv: v.label_sv(), label_en: v.label_en() })
}

/// Every code of every list, for the `code_list` table.
pub fn all_code_rows() -> Vec<CodeRow> {
    let mut rows = Vec::new();
    rows.extend(rows_of::<Support>());
    rows.extend(rows_of::<Occupation>());
    rows.extend(rows_of::<Sex>());
    rows.extend(rows_of::<TargetGroup>());
    rows.extend(rows_of::<Financier>());
    rows.extend(rows_of::<ExitReason>());
    rows.extend(rows_of::<InterventionKind>());
    rows.extend(rows_of::<Party>());
    rows.extend(rows_of::<CostCategory>());
    rows.extend(rows_of::<Education>());
    rows.extend(rows_of::<AnonymousReason>());
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes_and_both_labels() {
        assert_eq!(Support::parse("social_assistance").unwrap(), Support::SocialAssistance);
        assert_eq!(Support::parse(" försörjningsstöd ").unwrap(), Support::SocialAssistance);
        assert_eq!(Support::parse("Social Assistance").unwrap(), Support::SocialAssistance);
        let err = Occupation::parse("astronaut").unwrap_err().to_string();
        assert!(err.contains("occupation") && err.contains("job_seeking"), "{err}");
    }

    #[test]
    fn codes_are_unique_within_each_list() {
        let rows = all_code_rows();
        let mut keys: Vec<(&str, &str)> = rows.iter().map(|r| (r.list, r.code)).collect();
        let n = keys.len();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), n);
    }

    #[test]
    fn public_support_follows_sus() {
        assert!(Support::SocialAssistance.is_public());
        assert!(Support::SicknessBenefit.is_public());
        assert!(!Support::Wage.is_public());
        assert!(!Support::StudyAllowance.is_public());
        assert!(!Support::NoPublicSupport.is_public());
    }
}
