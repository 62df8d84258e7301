//! The actors a calculation shares money between (NyttoSam's division): the members of a federation, the
//! rest of the state and the participants. Society as a whole is their sum.

use finsam_plugin::Lang;
use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    Municipality,
    Region,
    Fk,
    Af,
    State,
    Individual,
}

pub const ACTORS: [Actor; 6] = [Actor::Municipality, Actor::Region, Actor::Fk, Actor::Af, Actor::State, Actor::Individual];

/// An amount for each actor, in the order of `ACTORS`.
pub type PerActor = [f64; 6];

impl Actor {
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn code(self) -> &'static str {
        match self {
            Actor::Municipality => "municipality",
            Actor::Region => "region",
            Actor::Fk => "fk",
            Actor::Af => "af",
            Actor::State => "state",
            Actor::Individual => "individual",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Actor::Municipality => lang.pick("Kommunen", "Municipality"),
            Actor::Region => lang.pick("Regionen", "Region"),
            Actor::Fk => lang.pick("Försäkringskassan", "Social Insurance Agency (FK)"),
            Actor::Af => lang.pick("Arbetsförmedlingen", "Public Employment Service (AF)"),
            Actor::State => lang.pick("Övriga staten", "Rest of the state"),
            Actor::Individual => lang.pick("Individen", "The individual"),
        }
    }

    /// The actor a member of a federation is (its party in the member table).
    pub fn of_party(party: &str) -> Option<Actor> {
        match party {
            "municipality" => Some(Actor::Municipality),
            "region" => Some(Actor::Region),
            "fk" => Some(Actor::Fk),
            "af" => Some(Actor::Af),
            _ => None,
        }
    }
}

pub fn society_label(lang: Lang) -> &'static str {
    lang.pick("Samhället totalt", "Society as a whole")
}
