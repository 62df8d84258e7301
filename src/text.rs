//! How finsam says a thing in both languages: `lang.pick(sv, en)` where the words are fixed, `Words` where
//! a result carries its words in both (a cohort's description) and what is printed picks one. Swedish comes
//! first: board members read Swedish.

use crate::codes::Lang;

impl Lang {
    /// The Swedish or the English words, by the language.
    pub fn pick<'a>(self, sv: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Sv => sv,
            Lang::En => en,
        }
    }
}

/// A text in Swedish and in English (results carry both; what is printed picks one).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Words {
    /// In Swedish.
    pub sv: String,
    /// In English.
    pub en: String,
}

impl Words {
    /// The same words in both languages.
    pub fn new(sv: impl Into<String>, en: impl Into<String>) -> Words {
        Words { sv: sv.into(), en: en.into() }
    }

    /// The words in one language.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Sv => &self.sv,
            Lang::En => &self.en,
        }
    }

    /// Parts joined with " · ", or `empty` when there are none.
    pub(crate) fn joined(parts: &[Words], empty: Words) -> Words {
        if parts.is_empty() {
            return empty;
        }
        let join = |lang| parts.iter().map(|w| w.get(lang)).collect::<Vec<_>>().join(" · ");
        Words::new(join(Lang::Sv), join(Lang::En))
    }
}
