//! The facts of the founding documents ("Samverkansarenor i Falun", "Samverkan i Falun", "Gemensam
//! viljeförklaring för samverkan genom samordningsförbund", "Flerpartssamverkan" and "Lokala exempel på
//! välfungerande samverkan mellan socialtjänsten och Arbetsförmedlingen") as data: the federations,
//! the interventions with their parties, target groups, ages and dates, and the 2014 municipality figures.
//! What the documents do not say (intake, durations, costs) is chosen to be plausible and is marked as
//! synthetic illustration wherever it is shown.

use crate::codes::{InterventionKind as Kind, Party, TargetGroup as Tg};

/// A demo federation.
pub struct FederationSpec {
    /// Its id.
    pub id: &'static str,
    /// Its name.
    pub name: &'static str,
    /// The region it lies in.
    pub region: &'static str,
    /// The region's member id.
    pub region_member: &'static str,
    /// Member municipalities with the population used to split their 25 %.
    pub municipalities: &'static [(&'static str, u32)],
}

/// The demo's federations.
pub const FEDERATIONS: &[FederationSpec] = &[
    FederationSpec {
        id: "finsam-falun",
        name: "Finsam-Falun",
        region: "Dalarna",
        region_member: "Region Dalarna",
        municipalities: &[("Falu kommun", 59_000)],
    },
    FederationSpec {
        id: "huddinge-botkyrka-salem",
        name: "Samordningsförbundet Huddinge Botkyrka Salem",
        region: "Stockholm",
        region_member: "Region Stockholm",
        municipalities: &[("Huddinge kommun", 113_000), ("Botkyrka kommun", 95_000), ("Salems kommun", 17_000)],
    },
    FederationSpec {
        id: "sodra-lappland",
        name: "Samordningsförbundet i södra Lappland",
        region: "Västerbotten",
        region_member: "Region Västerbotten",
        municipalities: &[("Lycksele kommun", 12_000), ("Storumans kommun", 6_000), ("Sorsele kommun", 2_400)],
    },
    FederationSpec {
        id: "ale",
        name: "Samordningsförbundet Ale",
        region: "Västra Götaland",
        region_member: "Västra Götalandsregionen",
        municipalities: &[("Ale kommun", 28_000)],
    },
    FederationSpec {
        id: "fagersta",
        name: "Samordningsförbundet Fagersta Norberg Skinnskatteberg",
        region: "Västmanland",
        region_member: "Region Västmanland",
        municipalities: &[("Fagersta kommun", 13_000), ("Norbergs kommun", 5_800), ("Skinnskattebergs kommun", 4_400)],
    },
    FederationSpec {
        id: "lund",
        name: "Samordningsförbundet Lund",
        region: "Skåne",
        region_member: "Region Skåne",
        municipalities: &[("Lunds kommun", 114_000)],
    },
    FederationSpec {
        id: "stockholm",
        name: "Samordningsförbundet Stockholms stad",
        region: "Stockholm",
        region_member: "Region Stockholm",
        municipalities: &[("Stockholms stad", 975_000)],
    },
    FederationSpec {
        id: "soderhamn",
        name: "Samordningsförbundet Söderhamn",
        region: "Gävleborg",
        region_member: "Region Gävleborg",
        municipalities: &[("Söderhamns kommun", 25_000)],
    },
    FederationSpec {
        id: "umea",
        name: "Samordningsförbundet Umeå",
        region: "Västerbotten",
        region_member: "Region Västerbotten",
        municipalities: &[("Umeå kommun", 118_000)],
    },
];

/// How the people of an individual intervention are drawn. Shares of the exit outcome are exact over all
/// of the intervention's exits; `tilt` moves good outcomes towards 2022–2023 (positive) or 2020–2021.
pub struct PeopleSpec {
    /// New participants a year.
    pub intake_per_year: u32,
    /// First and last year with new participants (clipped to the intervention's dates and the data's end).
    pub years: (i32, i32),
    /// The share of women.
    pub female_share: f64,
    /// The range of days in the intervention.
    pub duration_days: (i64, i64),
    /// Outcomes at exit with their shares.
    pub outcomes: &'static [(Outcome, f64)],
    /// How much the outcomes improve over the years (0: not at all).
    pub tilt: f64,
    /// Cost per participant to the federation, SEK, for the budget.
    pub cost_per_participant: u32,
}

/// The occupation at exit, with the work split by whether it is subsidised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Paid work.
    Work,
    /// Work with a wage subsidy.
    SubsidisedWork,
    /// Studies.
    Studies,
    /// Looking for work.
    JobSeeking,
    /// Anything else.
    Other,
}

/// Who pays for an intervention, year by year.
#[derive(Clone, Copy)]
pub enum Funding {
    /// The federation's money, with in-kind co-financing from the parties (share of the federation's).
    Federation {
        /// The yearly cost (SEK).
        yearly_sek: u32,
        /// The parties' in-kind co-financing, as a share of the federation's money.
        in_kind_share: f64,
    },
    /// An ESF project: ESF pays `esf_share` of the total, the federation the rest.
    Esf {
        /// The yearly cost (SEK).
        yearly_sek: u32,
        /// The share of it paid by the ESF.
        esf_share: f64,
    },
    /// Started with the federation's money, the municipality's own from `from_year` on.
    SelfFinancedFrom {
        /// The yearly cost (SEK).
        yearly_sek: u32,
        /// The first year the municipality pays with its own money.
        from_year: i32,
    },
}

/// A demo intervention, from the founding documents.
pub struct InterventionSpec {
    /// Its id.
    pub id: &'static str,
    /// Its federation's id.
    pub federation: &'static str,
    /// Its name.
    pub name: &'static str,
    /// Individual or structural.
    pub kind: Kind,
    /// Its orientation (what it works with).
    pub orientation: &'static str,
    /// Its target group.
    pub target_group: Tg,
    /// The municipality it runs in.
    pub municipality: &'static str,
    /// The participants' ages (youngest, oldest).
    pub ages: Option<(i32, i32)>,
    /// Its first day.
    pub start: &'static str,
    /// Its last day, if it has ended.
    pub end: Option<&'static str>,
    /// How many participants it planned for.
    pub planned_participants: Option<i32>,
    /// What it is, in a sentence.
    pub description: &'static str,
    /// The parties taking part and their roles.
    pub parties: &'static [(Party, &'static str)],
    /// Its participants, if it has any.
    pub people: Option<PeopleSpec>,
    /// How it is funded.
    pub funding: Funding,
    /// People reached by structural work, per year and sex (women, men).
    pub reached: Option<(u32, u32)>,
}

use Outcome::*;

const YOUTH_OUTCOMES: &[(Outcome, f64)] = &[(Work, 0.32), (SubsidisedWork, 0.04), (Studies, 0.18), (JobSeeking, 0.31), (Other, 0.15)];
const ADULT_OUTCOMES: &[(Outcome, f64)] = &[(Work, 0.22), (SubsidisedWork, 0.08), (Studies, 0.08), (JobSeeking, 0.40), (Other, 0.22)];
const SICK_OUTCOMES: &[(Outcome, f64)] = &[(Work, 0.28), (SubsidisedWork, 0.05), (Studies, 0.05), (JobSeeking, 0.30), (Other, 0.32)];

/// The demo's interventions.
pub const INTERVENTIONS: &[InterventionSpec] = &[
    // ---- Finsam-Falun (seeds 000 and 001)
    InterventionSpec {
        id: "framgangen",
        federation: "finsam-falun",
        name: "Framgången",
        kind: Kind::Individual,
        orientation: "ESF-projekt om myndighetssamverkan för personer som behöver stöd till egen försörjning",
        target_group: Tg::MultipleNeeds,
        municipality: "Falun",
        ages: Some((18, 64)),
        start: "2016-01-01",
        end: Some("2018-12-31"),
        planned_participants: Some(120),
        description: "ESF-projektet som avslutades 2018-12-31 och resulterade i samverkansplattformen Vuxenslussen.",
        parties: &[
            (Party::Municipality, "AIK"),
            (Party::Municipality, "Socialförvaltningen"),
            (Party::Af, ""),
            (Party::Fk, ""),
            (Party::Region, "Psykiatrin"),
            (Party::Federation, ""),
        ],
        people: Some(PeopleSpec {
            intake_per_year: 40,
            years: (2016, 2018),
            female_share: 0.52,
            duration_days: (90, 420),
            outcomes: ADULT_OUTCOMES,
            tilt: 0.0,
            cost_per_participant: 30_000,
        }),
        funding: Funding::Esf { yearly_sek: 2_400_000, esf_share: 0.5 },
        reached: None,
    },
    InterventionSpec {
        id: "vuxenslussen",
        federation: "finsam-falun",
        name: "Vuxenslussen",
        kind: Kind::Individual,
        orientation: "Samverkansplattform; styrs av operativa chefsgruppen med chefer från alla parter",
        target_group: Tg::MultipleNeeds,
        municipality: "Falun",
        ages: Some((18, 64)),
        start: "2019-01-01",
        end: None,
        planned_participants: Some(70),
        description: "Ordinarie verksamhet från 1 januari 2019, efter ESF-projektet Framgången.",
        parties: &[
            (Party::Municipality, "AIK"),
            (Party::Municipality, "Socialförvaltningen"),
            (Party::Af, ""),
            (Party::Fk, ""),
            (Party::Region, "Psykiatrin"),
            (Party::Region, "Primärvården"),
            (Party::Federation, ""),
        ],
        people: Some(PeopleSpec {
            intake_per_year: 70,
            years: (2019, 2024),
            female_share: 0.55,
            duration_days: (90, 540),
            outcomes: ADULT_OUTCOMES,
            tilt: 0.05,
            cost_per_participant: 32_000,
        }),
        funding: Funding::Federation { yearly_sek: 0, in_kind_share: 0.4 },
        reached: None,
    },
    InterventionSpec {
        id: "vuxenslussen-processledare",
        federation: "finsam-falun",
        name: "Processledare för Vuxenslussen",
        kind: Kind::Structural,
        orientation: "Processledare som ser över och utvecklar samverkansformerna mellan myndigheterna",
        target_group: Tg::Staff,
        municipality: "Falun",
        ages: None,
        start: "2019-01-01",
        end: Some("2020-12-31"),
        planned_participants: None,
        description: "Processledare på arbetsmarknadsenheten, finansierad av Finsam 2019–2020.",
        parties: &[(Party::Municipality, "AIK"), (Party::Federation, "")],
        people: None,
        funding: Funding::Federation { yearly_sek: 750_000, in_kind_share: 0.0 },
        reached: Some((60, 35)),
    },
    InterventionSpec {
        id: "dua-falun",
        federation: "finsam-falun",
        name: "DUA Falun",
        kind: Kind::Individual,
        orientation: "Tre moduler: 1 planering (2–3 veckor), 2 förberedelse och SFI (0–2 månader), 3 lokala spår",
        target_group: Tg::NewlyArrived,
        municipality: "Falun",
        ages: Some((16, 24)),
        start: "2018-01-01",
        end: None,
        planned_participants: Some(50),
        description: "Unga nyanlända 16–24 år utan gymnasieutbildning; kommunen och Arbetsförmedlingen.",
        parties: &[(Party::Municipality, ""), (Party::Af, "")],
        people: Some(PeopleSpec {
            intake_per_year: 50,
            years: (2018, 2024),
            female_share: 0.38,
            duration_days: (20, 300),
            outcomes: YOUTH_OUTCOMES,
            tilt: -0.05,
            cost_per_participant: 18_000,
        }),
        funding: Funding::Federation { yearly_sek: 0, in_kind_share: 0.5 },
        reached: None,
    },
    InterventionSpec {
        id: "dua-utvecklingsledare",
        federation: "finsam-falun",
        name: "Utvecklingsledare för DUA",
        kind: Kind::Structural,
        orientation: "Utvecklingsledare som byggde upp DUA-samverkan",
        target_group: Tg::Staff,
        municipality: "Falun",
        ages: None,
        start: "2018-01-01",
        end: Some("2018-12-31"),
        planned_participants: None,
        description: "En utvecklingsledare finansierad av Finsam-Falun under 2018.",
        parties: &[(Party::Municipality, ""), (Party::Af, ""), (Party::Federation, "")],
        people: None,
        funding: Funding::Federation { yearly_sek: 650_000, in_kind_share: 0.0 },
        reached: Some((25, 20)),
    },
    // ---- Huddinge Botkyrka Salem (seed 002): the joint declaration and its three need groups
    InterventionSpec {
        id: "hbs-viljeforklaring",
        federation: "huddinge-botkyrka-salem",
        name: "Gemensam viljeförklaring FK–AF: behovsfångst",
        kind: Kind::Structural,
        orientation: "Workshoppar med medarbetare från AF och FK om personer som hamnar emellan",
        target_group: Tg::Staff,
        municipality: "Huddinge, Botkyrka, Salem",
        ages: None,
        start: "2020-01-01",
        end: None,
        planned_participants: None,
        description: "Myndigheternas gemensamma viljeförklaring för samverkan genom samordningsförbund.",
        parties: &[(Party::Fk, ""), (Party::Af, ""), (Party::Federation, "")],
        people: None,
        funding: Funding::Federation { yearly_sek: 400_000, in_kind_share: 0.5 },
        reached: Some((70, 30)),
    },
    InterventionSpec {
        id: "hbs-langtidssjukskrivna",
        federation: "huddinge-botkyrka-salem",
        name: "Samordnad rehabilitering för långtidssjukskrivna",
        kind: Kind::Individual,
        orientation: "Förstärkt arbetslivsinriktad rehabilitering",
        target_group: Tg::LongTermSick,
        municipality: "Huddinge, Botkyrka, Salem",
        ages: Some((20, 64)),
        start: "2019-01-01",
        end: None,
        planned_participants: Some(60),
        description: "Behovsgrupp i viljeförklaringen: långtidssjukskrivna. Syntetisk illustration.",
        parties: &[(Party::Fk, ""), (Party::Af, ""), (Party::Region, "Primärvården"), (Party::Federation, "")],
        people: Some(PeopleSpec {
            intake_per_year: 60,
            years: (2019, 2024),
            female_share: 0.68,
            duration_days: (120, 600),
            outcomes: SICK_OUTCOMES,
            tilt: 0.08,
            cost_per_participant: 38_000,
        }),
        funding: Funding::Federation { yearly_sek: 0, in_kind_share: 0.3 },
        reached: None,
    },
    InterventionSpec {
        id: "hbs-unga-funktionsnedsattning",
        federation: "huddinge-botkyrka-salem",
        name: "Unga med funktionsnedsättning",
        kind: Kind::Individual,
        orientation: "Stöd mot arbete och studier",
        target_group: Tg::YoungDisability,
        municipality: "Huddinge, Botkyrka, Salem",
        ages: Some((16, 29)),
        start: "2019-01-01",
        end: None,
        planned_participants: Some(40),
        description: "Behovsgrupp i viljeförklaringen: unga med funktionsnedsättning. Syntetisk illustration.",
        parties: &[(Party::Fk, ""), (Party::Af, ""), (Party::Municipality, ""), (Party::Federation, "")],
        people: Some(PeopleSpec {
            intake_per_year: 40,
            years: (2019, 2024),
            female_share: 0.42,
            duration_days: (120, 540),
            outcomes: YOUTH_OUTCOMES,
            tilt: 0.0,
            cost_per_participant: 36_000,
        }),
        funding: Funding::Federation { yearly_sek: 0, in_kind_share: 0.3 },
        reached: None,
    },
    InterventionSpec {
        id: "hbs-aktivitetsersattning",
        federation: "huddinge-botkyrka-salem",
        name: "Unga med aktivitetsersättning",
        kind: Kind::Individual,
        orientation: "Stärka förmågan till förvärvsarbete",
        target_group: Tg::ActivityCompensation,
        municipality: "Huddinge, Botkyrka, Salem",
        ages: Some((19, 29)),
        start: "2019-01-01",
        end: None,
        planned_participants: Some(35),
        description: "Behovsgrupp i viljeförklaringen: unga som har aktivitetsersättning. Syntetisk illustration.",
        parties: &[(Party::Fk, ""), (Party::Af, ""), (Party::Region, "Psykiatrin"), (Party::Federation, "")],
        people: Some(PeopleSpec {
            intake_per_year: 35,
            years: (2019, 2024),
            female_share: 0.45,
            duration_days: (150, 720),
            outcomes: SICK_OUTCOMES,
            tilt: -0.06,
            cost_per_participant: 40_000,
        }),
        funding: Funding::Federation { yearly_sek: 0, in_kind_share: 0.3 },
        reached: None,
    },
    // ---- södra Lappland (seed 003)
    InterventionSpec {
        id: "flerpartssamverkan-sodra-lappland",
        federation: "sodra-lappland",
        name: "Flerpartssamverkan i södra Lappland",
        kind: Kind::Structural,
        orientation: "Ny samverkansmodell: utbildning i samverkan, behov av processledare; glesbygd och långa avstånd",
        target_group: Tg::Staff,
        municipality: "Södra Lappland",
        ages: None,
        start: "2022-01-01",
        end: Some("2023-12-31"),
        planned_participants: None,
        description: "Projektperiod 2022-01-01 – 2023-12-31.",
        parties: &[(Party::Municipality, ""), (Party::Af, ""), (Party::Fk, ""), (Party::Region, ""), (Party::Federation, "")],
        people: None,
        funding: Funding::Federation { yearly_sek: 900_000, in_kind_share: 0.2 },
        reached: Some((85, 40)),
    },
    // ---- seed 004: six local examples of social services and AF working together
    InterventionSpec {
        id: "ale-ungdomsteam",
        federation: "ale",
        name: "Ungdomsteamet i Ale",
        kind: Kind::Individual,
        orientation: "Veckovisa möten i ett särskilt ungdomsteam med specialiserade handläggare",
        target_group: Tg::Young,
        municipality: "Ale",
        ages: Some((16, 29)),
        start: "2012-01-01",
        end: None,
        planned_participants: Some(45),
        description: "Försörjningsstöd och Arbetsförmedlingen; långsiktig samverkan som cheferna driver.",
        parties: &[(Party::Municipality, "Försörjningsstöd"), (Party::Af, "")],
        people: Some(PeopleSpec {
            intake_per_year: 45,
            years: (2016, 2024),
            female_share: 0.44,
            duration_days: (60, 420),
            outcomes: YOUTH_OUTCOMES,
            tilt: 0.04,
            cost_per_participant: 20_000,
        }),
        funding: Funding::Federation { yearly_sek: 0, in_kind_share: 0.6 },
        reached: None,
    },
    InterventionSpec {
        id: "ale-vuxna",
        federation: "ale",
        name: "Kvartalsvis genomgång av vuxenärenden",
        kind: Kind::Individual,
        orientation: "Alla vuxenärenden gås igenom varje kvartal av försörjningsstöd och AF",
        target_group: Tg::SocialAssistance,
        municipality: "Ale",
        ages: Some((25, 64)),
        start: "2012-01-01",
        end: None,
        planned_participants: Some(40),
        description: "Samverkan kring vuxna är mindre formaliserad än kring unga.",
        parties: &[(Party::Municipality, "Försörjningsstöd"), (Party::Af, "")],
        people: Some(PeopleSpec {
            intake_per_year: 40,
            years: (2016, 2024),
            female_share: 0.47,
            duration_days: (90, 540),
            outcomes: ADULT_OUTCOMES,
            tilt: 0.0,
            cost_per_participant: 15_000,
        }),
        funding: Funding::Federation { yearly_sek: 0, in_kind_share: 0.8 },
        reached: None,
    },
    InterventionSpec {
        id: "kommunbryggan",
        federation: "fagersta",
        name: "KommunBryggan",
        kind: Kind::Individual,
        orientation: "Samlokaliserat en dag i veckan; deltagare stannar 12–24 månader",
        target_group: Tg::SocialAssistance,
        municipality: "Fagersta",
        ages: Some((18, 64)),
        start: "2012-01-01",
        end: None,
        planned_participants: Some(40),
        description: "Huvuddelen av samverkan i Fagersta, med Norberg och Skinnskatteberg.",
        parties: &[(Party::Municipality, "Fagersta"), (Party::Municipality, "Norberg"), (Party::Municipality, "Skinnskatteberg"), (Party::Af, "")],
        people: Some(PeopleSpec {
            intake_per_year: 40,
            years: (2016, 2024),
            female_share: 0.45,
            duration_days: (365, 730),
            outcomes: ADULT_OUTCOMES,
            tilt: 0.06,
            cost_per_participant: 42_000,
        }),
        funding: Funding::Federation { yearly_sek: 0, in_kind_share: 0.5 },
        reached: None,
    },
    InterventionSpec {
        id: "pnf",
        federation: "fagersta",
        name: "Pilotsamverkan Nyanlända i Fagersta (PNF)",
        kind: Kind::Individual,
        orientation: "Gemensamt redskap och arbetsmetod för nyanlända",
        target_group: Tg::NewlyArrived,
        municipality: "Fagersta",
        ages: Some((18, 64)),
        start: "2016-01-01",
        end: Some("2021-12-31"),
        planned_participants: Some(30),
        description: "Pilot för nyanlända; syntetiskt slutdatum.",
        parties: &[(Party::Municipality, "Fagersta"), (Party::Af, "")],
        people: Some(PeopleSpec {
            intake_per_year: 30,
            years: (2016, 2021),
            female_share: 0.40,
            duration_days: (120, 540),
            outcomes: ADULT_OUTCOMES,
            tilt: 0.0,
            cost_per_participant: 30_000,
        }),
        funding: Funding::Federation { yearly_sek: 0, in_kind_share: 0.5 },
        reached: None,
    },
    InterventionSpec {
        id: "comung",
        federation: "lund",
        name: "ComUng",
        kind: Kind::Individual,
        orientation: "Samlokaliserad samverkan för unga; Finsam-finansierat metodarbete",
        target_group: Tg::Young,
        municipality: "Lund",
        ages: Some((18, 25)),
        start: "2013-01-01",
        end: None,
        planned_participants: Some(80),
        description:
            "Socialtjänsten, Arbetsförmedlingen, ungdomsledare och studie- och yrkesvägledare. Omkring 65 % går vidare till arbete eller studier.",
        parties: &[
            (Party::Municipality, "Socialtjänsten"),
            (Party::Municipality, "Ungdomsledare"),
            (Party::Municipality, "Studie- och yrkesvägledare"),
            (Party::Af, ""),
        ],
        people: Some(PeopleSpec {
            intake_per_year: 80,
            years: (2016, 2024),
            female_share: 0.46,
            duration_days: (60, 365),
            outcomes: &[(Work, 0.38), (SubsidisedWork, 0.02), (Studies, 0.25), (JobSeeking, 0.25), (Other, 0.10)],
            tilt: 0.06,
            cost_per_participant: 22_000,
        }),
        funding: Funding::Federation { yearly_sek: 0, in_kind_share: 0.7 },
        reached: None,
    },
    InterventionSpec {
        id: "spanga-tensta",
        federation: "stockholm",
        name: "Samverkan Spånga–Tensta",
        kind: Kind::Individual,
        orientation: "Stadsdelens socialtjänst, Jobbtorg Stockholm och AF på tre nivåer",
        target_group: Tg::SocialAssistance,
        municipality: "Spånga–Tensta",
        ages: Some((18, 64)),
        start: "2014-01-01",
        end: None,
        planned_participants: Some(150),
        description:
            "En mätgrupp om 150 personer i mars 2014 med målet att minst 50 ska ha egen försörjning inom ett år; 43 stod kvar i december 2014.",
        parties: &[(Party::Municipality, "Stadsdelens socialtjänst"), (Party::Municipality, "Jobbtorg Stockholm"), (Party::Af, "")],
        people: Some(PeopleSpec {
            intake_per_year: 60,
            years: (2015, 2024),
            female_share: 0.45,
            duration_days: (90, 480),
            outcomes: ADULT_OUTCOMES,
            tilt: 0.03,
            cost_per_participant: 25_000,
        }),
        funding: Funding::Federation { yearly_sek: 0, in_kind_share: 0.8 },
        reached: None,
    },
    InterventionSpec {
        id: "100-i-arbete",
        federation: "soderhamn",
        name: "100 i arbete",
        kind: Kind::Individual,
        orientation: "100 årsplatser i 12 månaders skapad anställning; individuella planer följs upp var tredje månad",
        target_group: Tg::SocialAssistance,
        municipality: "Söderhamn",
        ages: Some((18, 64)),
        start: "2009-01-01",
        end: None,
        planned_participants: Some(100),
        description: "Försörjningsenheten, AME och AF. 30 % gick vidare till osubventionerat arbete och 20 % till studier.",
        parties: &[(Party::Municipality, "Försörjningsenheten"), (Party::Municipality, "AME"), (Party::Af, "")],
        people: Some(PeopleSpec {
            intake_per_year: 100,
            years: (2016, 2024),
            female_share: 0.43,
            duration_days: (360, 370),
            outcomes: &[(Work, 0.30), (SubsidisedWork, 0.06), (Studies, 0.20), (JobSeeking, 0.30), (Other, 0.14)],
            tilt: 0.05,
            cost_per_participant: 60_000,
        }),
        funding: Funding::Federation { yearly_sek: 0, in_kind_share: 1.5 },
        reached: None,
    },
    InterventionSpec {
        id: "ungdomstorget",
        federation: "umea",
        name: "Ungdomstorget",
        kind: Kind::Individual,
        orientation: "Samlad ingång för unga",
        target_group: Tg::Young,
        municipality: "Umeå",
        ages: Some((18, 29)),
        start: "2014-01-01",
        end: None,
        planned_participants: Some(90),
        description: "Startade som Finsamprojekt, senare egenfinansierat av kommunen.",
        parties: &[(Party::Municipality, "VIVA"), (Party::Municipality, "Socialtjänsten"), (Party::Af, ""), (Party::Fk, ""), (Party::Region, "")],
        people: Some(PeopleSpec {
            intake_per_year: 90,
            years: (2016, 2024),
            female_share: 0.45,
            duration_days: (60, 400),
            outcomes: YOUTH_OUTCOMES,
            tilt: 0.02,
            cost_per_participant: 21_000,
        }),
        funding: Funding::SelfFinancedFrom { yearly_sek: 1_900_000, from_year: 2021 },
        reached: None,
    },
    InterventionSpec {
        id: "steget-vidare",
        federation: "umea",
        name: "Steget vidare",
        kind: Kind::Individual,
        orientation: "Åtta medarbetare, egen budget och egna indikatorer",
        target_group: Tg::LongTermUnemployed,
        municipality: "Umeå",
        ages: Some((25, 64)),
        start: "2014-01-01",
        end: None,
        planned_participants: Some(60),
        description: "Startade som Finsamprojekt, senare egenfinansierat av kommunen.",
        parties: &[(Party::Municipality, "VIVA"), (Party::Af, ""), (Party::Fk, "")],
        people: Some(PeopleSpec {
            intake_per_year: 60,
            years: (2016, 2024),
            female_share: 0.48,
            duration_days: (180, 720),
            outcomes: ADULT_OUTCOMES,
            tilt: -0.03,
            cost_per_participant: 55_000,
        }),
        funding: Funding::SelfFinancedFrom { yearly_sek: 3_300_000, from_year: 2020 },
        reached: None,
    },
    InterventionSpec {
        id: "nafs",
        federation: "umea",
        name: "NAFS",
        kind: Kind::Individual,
        orientation: "Samverkan kring personer med försörjningsstöd",
        target_group: Tg::SocialAssistance,
        municipality: "Umeå",
        ages: Some((18, 64)),
        start: "2016-01-01",
        end: None,
        planned_participants: Some(35),
        description: "En av Umeås samverkansformer (innehållet är syntetisk illustration).",
        parties: &[(Party::Municipality, "Socialtjänsten"), (Party::Af, "")],
        people: Some(PeopleSpec {
            intake_per_year: 35,
            years: (2016, 2024),
            female_share: 0.46,
            duration_days: (90, 450),
            outcomes: ADULT_OUTCOMES,
            tilt: 0.0,
            cost_per_participant: 24_000,
        }),
        funding: Funding::Federation { yearly_sek: 0, in_kind_share: 0.5 },
        reached: None,
    },
    InterventionSpec {
        id: "krami",
        federation: "umea",
        name: "Krami",
        kind: Kind::Individual,
        orientation: "Arbetslivsinriktat stöd för personer med kriminell bakgrund, med Kriminalvården",
        target_group: Tg::JusticeInvolved,
        municipality: "Umeå",
        ages: Some((18, 64)),
        start: "2016-01-01",
        end: None,
        planned_participants: Some(25),
        description: "Kommunen, AF och Kriminalvården (innehållet är syntetisk illustration).",
        parties: &[(Party::Municipality, "Socialtjänsten"), (Party::Af, ""), (Party::Other, "Kriminalvården")],
        people: Some(PeopleSpec {
            intake_per_year: 25,
            years: (2016, 2024),
            female_share: 0.18,
            duration_days: (90, 540),
            outcomes: ADULT_OUTCOMES,
            tilt: 0.0,
            cost_per_participant: 45_000,
        }),
        funding: Funding::Federation { yearly_sek: 0, in_kind_share: 0.6 },
        reached: None,
    },
    InterventionSpec {
        id: "sams",
        federation: "umea",
        name: "Sams",
        kind: Kind::Individual,
        orientation: "Samordnat stöd vid psykisk ohälsa",
        target_group: Tg::MentalIllHealth,
        municipality: "Umeå",
        ages: Some((18, 64)),
        start: "2016-01-01",
        end: None,
        planned_participants: Some(30),
        description: "Kommunen, regionen, FK och AF (innehållet är syntetisk illustration).",
        parties: &[(Party::Municipality, ""), (Party::Region, "Psykiatrin"), (Party::Fk, ""), (Party::Af, "")],
        people: Some(PeopleSpec {
            intake_per_year: 30,
            years: (2016, 2024),
            female_share: 0.6,
            duration_days: (120, 600),
            outcomes: SICK_OUTCOMES,
            tilt: 0.04,
            cost_per_participant: 40_000,
        }),
        funding: Funding::Federation { yearly_sek: 0, in_kind_share: 0.4 },
        reached: None,
    },
    InterventionSpec {
        id: "insteget",
        federation: "umea",
        name: "Insteget",
        kind: Kind::Individual,
        orientation: "Ett första steg mot arbete",
        target_group: Tg::MultipleNeeds,
        municipality: "Umeå",
        ages: Some((18, 64)),
        start: "2016-01-01",
        end: None,
        planned_participants: Some(30),
        description: "En av Umeås samverkansformer (innehållet är syntetisk illustration).",
        parties: &[(Party::Municipality, ""), (Party::Af, ""), (Party::Fk, "")],
        people: Some(PeopleSpec {
            intake_per_year: 30,
            years: (2016, 2024),
            female_share: 0.5,
            duration_days: (90, 480),
            outcomes: ADULT_OUTCOMES,
            tilt: 0.0,
            cost_per_participant: 28_000,
        }),
        funding: Funding::Federation { yearly_sek: 0, in_kind_share: 0.5 },
        reached: None,
    },
];

/// The 2014 figures of seed 004, exactly as written: population, and the shares (in per cent) of
/// inhabitants on social assistance, of young adults on social assistance, and unemployment.
pub const CONTEXT_2014: &[(&str, u32, f64, f64, f64)] = &[
    ("Ale", 28_000, 2.8, 6.6, 9.3),
    ("Fagersta", 13_000, 5.1, 11.0, 13.9),
    ("Lund", 114_000, 2.8, 3.0, 8.0),
    ("Spånga–Tensta", 38_000, 8.9, 12.3, 16.0),
    ("Söderhamn", 25_000, 5.6, 13.7, 15.6),
    ("Umeå", 118_000, 3.1, 5.3, 10.6),
];

/// Named periods boards compare.
pub const PERIODS: &[(&str, &str, &str, &str)] = &[
    ("2014", "2014", "2014-01-01", "2014-12-31"),
    ("2020-2021", "2020–2021", "2020-01-01", "2021-12-31"),
    ("2022-2023", "2022–2023", "2022-01-01", "2023-12-31"),
    ("2019-2024", "2019–2024", "2019-01-01", "2024-12-31"),
];

/// The demo's data end: enrolments still open then are censored here.
pub const DATA_END: &str = "2024-12-31";
/// The Spånga–Tensta measured group of March 2014 (seed 004).
pub const SPANGA_TENSTA_GROUP: usize = 150;
/// Spånga–Tensta's participants still on the list after a year, as its final report says (43 of 150).
pub const SPANGA_TENSTA_LEFT_IN_DECEMBER: usize = 43;
/// The group's goal was at least 50 self-supporting within a year; the demo lets 52 reach it (synthetic).
pub const SPANGA_TENSTA_SELF_SUPPORTING: usize = 52;

/// Inputs of the state allocation model in 2019 (synthetic, of plausible size): federation,
/// försörjningsmått, population 16–64, and equity as a share of the year's contributions. Later years grow
/// by a percent a year; södra Lappland carries equity above the reasonable level, so the reduction shows.
pub const ALLOCATION_2019: &[(&str, f64, u32, f64)] = &[
    ("finsam-falun", 4_000.0, 36_600, 0.12),
    ("huddinge-botkyrka-salem", 17_000.0, 144_000, 0.15),
    ("sodra-lappland", 1_500.0, 11_800, 1.6),
    ("ale", 1_400.0, 17_400, 0.08),
    ("fagersta", 2_100.0, 13_900, 0.10),
    ("lund", 5_300.0, 77_500, 0.18),
    ("stockholm", 60_000.0, 653_000, 0.05),
    ("soderhamn", 2_400.0, 15_000, 0.12),
    ("umea", 6_500.0, 78_000, 0.14),
];
