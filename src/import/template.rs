//! Empty templates to fill in: the Swedish column headers (English ones are accepted too) and, in the
//! XLSX template, a second sheet explaining each column and its codes.

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook};

use super::{columns, ImportKind};
use crate::codes::{CodeList, Education, ExitReason, Occupation, Sex, Support};
use crate::error::{FinsamError, Result};

/// What a column holds, in Swedish, and its codes.
fn explain(en: &str) -> (&'static str, Vec<String>) {
    fn codes<T: CodeList>() -> Vec<String> {
        T::ALL.iter().map(|c| format!("{} ({})", c.code(), c.label_sv())).collect()
    }
    match en {
        "personal_identity_number" => {
            ("Personnummer, ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN. Lagras aldrig: blir en pseudonym med förbundets nyckel.", vec![])
        }
        "pseudonym" => ("I stället för personnummer: en pseudonym som redan finns i databasen.", vec![]),
        "federation" => ("Förbundets id (se finsam info).", vec![]),
        "sex" => ("Kön. Tas från personnumret om det saknas.", codes::<Sex>()),
        "birth_year" => ("Födelseår, ÅÅÅÅ. Tas från personnumret om det saknas.", vec![]),
        "education" => ("Högsta utbildning.", codes::<Education>()),
        "intervention" => ("Insatsens id (se finsam info).", vec![]),
        "start_date" => ("Inskrivningsdatum, t.ex. 2023-03-01.", vec![]),
        "exit_date" => ("Utskrivningsdatum; tomt om personen är kvar i insatsen.", vec![]),
        "support_before" | "support_after" => {
            ("Huvudsaklig försörjning före respektive efter insatsen (efter: bara med slutdatum).", codes::<Support>())
        }
        "occupation_before" | "occupation_after" => {
            ("Sysselsättning före respektive efter insatsen (efter: bara med slutdatum).", codes::<Occupation>())
        }
        "extent_before_pct" | "extent_after_pct" => ("Andel av heltid i arbete eller studier, 0–100 (100 = 40 timmar i veckan).", vec![]),
        "subsidised_work_after" => ("ja eller nej: subventionerad anställning, bara när sysselsättning efter är arbete.", vec![]),
        "exit_reason" => ("Avslutsorsak (bara med slutdatum).", codes::<ExitReason>()),
        "consent" => ("ja eller nej; tomt betyder ja.", vec![]),
        _ => ("", vec![]),
    }
}

/// Writes an empty template for `kind` as .xlsx or .csv (by the file's extension); an existing file only
/// with `overwrite`.
pub fn write_template(kind: ImportKind, path: &Path, overwrite: bool) -> Result<()> {
    let target = path;
    crate::files::write_file(target, overwrite, crate::files::Readers::Usual, |path| write_template_to(kind, target, path))
}

/// The template's content, written to `path` (a temporary file); `target` names the file in messages.
fn write_template_to(kind: ImportKind, target: &Path, path: &Path) -> Result<()> {
    let cols = columns(kind);
    match target.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("csv") => {
            // A BOM and semicolons: what Excel with Swedish settings opens as columns.
            let text = format!("\u{feff}{}\n", cols.iter().map(|c| c.sv).collect::<Vec<_>>().join(";"));
            std::fs::write(path, text).map_err(|source| FinsamError::Io { path: target.to_path_buf(), source })
        }
        Some("xlsx") => {
            let err = |e: rust_xlsxwriter::XlsxError| FinsamError::Render {
                what: format!("write the template {}", target.display()),
                detail: e.to_string(),
            };
            let mut book = Workbook::new();
            let bold = Format::new().set_bold();
            let sheet = book.add_worksheet();
            sheet.set_name(if kind == ImportKind::Participants { "Deltagare" } else { "Inskrivningar" }).map_err(err)?;
            for (i, c) in cols.iter().enumerate() {
                sheet.write_string_with_format(0, i as u16, c.sv, &bold).map_err(err)?;
                sheet.set_column_width(i as u16, 22).map_err(err)?;
            }
            let help = book.add_worksheet();
            help.set_name("Förklaring").map_err(err)?;
            for (i, title) in ["Kolumn", "Engelskt namn", "Obligatorisk", "Beskrivning", "Koder"].iter().enumerate() {
                help.write_string_with_format(0, i as u16, *title, &bold).map_err(err)?;
            }
            for (r, c) in cols.iter().enumerate() {
                let (text, codes) = explain(c.en);
                let row = r as u32 + 1;
                help.write_string(row, 0, c.sv).map_err(err)?;
                help.write_string(row, 1, c.en).map_err(err)?;
                help.write_string(row, 2, if c.required { "ja" } else { "nej" }).map_err(err)?;
                help.write_string(row, 3, text).map_err(err)?;
                help.write_string(row, 4, codes.join(", ")).map_err(err)?;
            }
            help.set_column_width(0, 28).map_err(err)?;
            help.set_column_width(3, 70).map_err(err)?;
            book.save(path).map_err(err)
        }
        _ => Err(FinsamError::invalid(format!("{}: a template is .xlsx or .csv", target.display()))),
    }
}
