//! Presentation: analysis values and a `Protector` become titled tables (`Output`: a heading and
//! `TitledTable`s) in Swedish or English, each in two Arrow forms from the same values (`shown` for people,
//! `data` for machines). Analyses below compute true numbers; disclosure control below decides what may be
//! published; nothing here computes a figure about people or decides what is hidden on its own.

pub mod costs;
pub mod money;
pub mod outputs;
pub mod printed;
pub mod published;
pub mod render;
pub mod section;
