//! What a federation's own files, templates, keys and SQL cannot do: read a file they were not meant to
//! (the pseudonym key, /proc/self/environ), take the machine's memory or time, store or echo a personnummer,
//! be read other than as written, or write where nobody asked.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use finsam::board::{board_report, BoardRequest};
use finsam::import::{import, ImportKind};
use finsam::FinsamError;

const KEY: &[u8] = b"a federation key, kept elsewhere";
const SECRET: &str = "FINSAM_KEY=the-federations-secret-key";

fn finsam() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_finsam"));
    command.env_remove("FINSAM_KEY").stdin(Stdio::null());
    command
}

fn run(command: &mut Command) -> Output {
    command.output().expect("finsam runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_string()
}

fn request(dir: Option<&Path>) -> BoardRequest {
    BoardRequest {
        federation: "umea".into(),
        interventions: vec![],
        period: "2020-2021".into(),
        vs: "2022-2023".into(),
        lang: finsam::codes::Lang::Sv,
        template_dir: dir.map(Path::to_path_buf),
    }
}

fn demo_db(dir: &Path) -> PathBuf {
    let path = dir.join("demo.duckdb");
    let model = finsam::create(&path).unwrap();
    finsam::demo::load(&model).unwrap();
    path
}

/// A secret outside the template directory, the way a key file or the environment sits beside it.
fn secret_beside(dir: &Path) -> PathBuf {
    let secret = dir.join("nyckel.txt");
    std::fs::write(&secret, SECRET).unwrap();
    secret
}

#[test]
fn a_board_template_reads_only_regular_files_inside_its_directory() {
    let m = finsam::demo::model().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let secret = secret_beside(dir.path());
    let templates = dir.path().join("mall");
    std::fs::create_dir(&templates).unwrap();
    let attempts = [
        format!("{{% include \"{}\" %}}", secret.display()),
        "{% include \"/proc/self/environ\" %}".to_string(),
        "{% include \"/etc/passwd\" %}".to_string(),
        "{% include \"../nyckel.txt\" %}".to_string(),
        "{% include \"sub/../../nyckel.txt\" %}".to_string(),
        "{% import \"../nyckel.txt\" as x %}".to_string(),
        "{% extends \"../nyckel.txt\" %}".to_string(),
        "{% include \".hidden\" %}".to_string(),
    ];
    std::fs::write(templates.join(".hidden"), SECRET).unwrap();
    for attempt in &attempts {
        std::fs::write(templates.join("report.html"), format!("<html><!-- {attempt} --></html>")).unwrap();
        let err = board_report(&m, &request(Some(&templates))).unwrap_err().to_string();
        assert!(err.contains("template"), "{attempt}: {err}");
        assert!(!err.contains("the-federations-secret-key") && !err.contains("root:"), "{attempt}: {err}");
    }
    // A link inside the directory, to the key: refused, also under the built-in page (which includes style.css).
    std::fs::remove_file(templates.join("report.html")).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&secret, templates.join("style.css")).unwrap();
        let err = board_report(&m, &request(Some(&templates))).unwrap_err().to_string();
        assert!(err.contains("symbolic link"), "{err}");
        std::fs::remove_file(templates.join("style.css")).unwrap();
        std::fs::create_dir(templates.join("del")).unwrap();
        std::os::unix::fs::symlink(dir.path(), templates.join("länk")).unwrap();
        std::fs::write(templates.join("report.html"), "<html>{% include \"länk/nyckel.txt\" %}</html>").unwrap();
        let err = board_report(&m, &request(Some(&templates))).unwrap_err().to_string();
        assert!(err.contains("symbolic link") && !err.contains("secret-key"), "{err}");
        // A FIFO named like a template is refused at once, not waited on.
        std::fs::remove_file(templates.join("report.html")).unwrap();
        let fifo = std::ffi::CString::new(templates.join("style.css").to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
        let started = Instant::now();
        let err = board_report(&m, &request(Some(&templates))).unwrap_err().to_string();
        assert!(err.contains("not a regular file") && started.elapsed() < Duration::from_secs(10), "{err}");
        std::fs::remove_file(templates.join("style.css")).unwrap();
    }
    // Files inside the directory, also in a subdirectory, are read as before.
    std::fs::write(templates.join("del/fot.html"), "<footer>Egen fot</footer>").unwrap();
    std::fs::write(templates.join("report.html"), "<html>{% include \"del/fot.html\" %}{% include \"style.css\" %}</html>").unwrap();
    let html = board_report(&m, &request(Some(&templates))).unwrap().html;
    assert!(html.contains("Egen fot") && html.contains("font-family"), "{html}");
    // Without a template directory only the built-in templates exist.
    assert!(board_report(&m, &request(None)).unwrap().html.contains("Styrelserapport"));
}

#[test]
fn a_template_cannot_reach_out_by_a_swapped_directory_or_a_hard_link_nor_overflow_the_stack() {
    let m = finsam::demo::model().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let secret = secret_beside(dir.path());
    let templates = dir.path().join("mall");
    std::fs::create_dir(&templates).unwrap();
    // A hard link to the key inside the directory.
    std::fs::hard_link(&secret, templates.join("style.css")).unwrap();
    let err = board_report(&m, &request(Some(&templates))).unwrap_err().to_string();
    assert!(err.contains("hard link") && !err.contains("secret-key"), "{err}");
    std::fs::remove_file(templates.join("style.css")).unwrap();
    // A subdirectory swapped for a link while reports are made: never followed.
    let outside = dir.path().join("utanför");
    std::fs::create_dir_all(outside.join("del")).unwrap();
    std::fs::write(outside.join("del/fot.html"), SECRET).unwrap();
    std::fs::create_dir_all(templates.join("del")).unwrap();
    std::fs::write(templates.join("del/fot.html"), "<footer>Egen fot</footer>").unwrap();
    std::fs::write(templates.join("report.html"), "<html>{% include \"del/fot.html\" %}</html>").unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let swapper = {
        let (stop, templates, outside) = (stop.clone(), templates.clone(), outside.clone());
        std::thread::spawn(move || {
            let (real, parked) = (templates.join("del"), templates.join("del-riktig"));
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let _ = std::fs::rename(&real, &parked);
                let _ = std::os::unix::fs::symlink(outside.join("del"), &real);
                std::thread::yield_now();
                let _ = std::fs::remove_file(&real);
                let _ = std::fs::rename(&parked, &real);
            }
        })
    };
    for _ in 0..40 {
        match board_report(&m, &request(Some(&templates))) {
            Ok(report) => assert!(!report.html.contains("secret-key"), "the key came through a swapped directory"),
            Err(e) => assert!(!e.to_string().contains("secret-key"), "{e}"),
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    swapper.join().unwrap();
    // An expression nested fifty thousand deep is parsed on a stack that holds it.
    let deep = format!("<html>{{{{ {} }}}}</html>", vec!["1"; 50_000].join("+"));
    std::fs::write(templates.join("report.html"), deep).unwrap();
    let html = board_report(&m, &request(Some(&templates))).unwrap().html;
    assert!(html.contains("50000"), "{}", &html[..html.len().min(200)]);
}

#[test]
fn a_template_that_loops_or_writes_without_end_stops_with_an_error_naming_it() {
    let m = finsam::demo::model().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    std::fs::write(dir.path().join("report.html"), "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}").unwrap();
    let err = board_report(&m, &request(Some(dir.path()))).unwrap_err().to_string();
    assert!(err.contains("report.html") && err.contains("steps"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(30), "stopped after {:?}", started.elapsed());
    std::fs::write(dir.path().join("report.html"), "{% for i in range(100000) %}{{ \"x\" * 1000 }}{% endfor %}").unwrap();
    let err = board_report(&m, &request(Some(dir.path()))).unwrap_err().to_string();
    assert!(err.contains("report.html") && err.contains("grew past"), "{err}");
}

/// A board report through the CLI with a template directory: the process that a bound stops.
fn board_report_cli(db: &Path, templates: &Path, out: &Path, pdf: bool, bounds: Option<(&str, &str)>) -> Output {
    let mut command = finsam();
    command.args(["board-report", "--db", db.to_str().unwrap(), "--federation", "umea", "--period", "2020-2021", "--vs", "2022-2023"]);
    command.args(["--template-dir", templates.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    if pdf {
        command.args(["--pdf", out.with_extension("pdf").to_str().unwrap()]);
    }
    if let Some((seconds, megabytes)) = bounds {
        command.env("FINSAM_TEMPLATE_SECONDS", seconds).env("FINSAM_TEMPLATE_MEMORY_MB", megabytes);
    }
    run(&mut command)
}

#[test]
fn a_template_that_takes_memory_or_time_is_stopped_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let templates = dir.path().join("mall");
    std::fs::create_dir(&templates).unwrap();
    let out = dir.path().join("rapport.html");
    // A string doubled forty times (a terabyte) in the HTML template.
    let doubling: String = std::iter::once("{% set s = \"x\" %}").chain(std::iter::repeat_n("{% set s = s ~ s %}", 40)).collect();
    std::fs::write(templates.join("report.html"), format!("{doubling}{{{{ s | length }}}}")).unwrap();
    let started = Instant::now();
    let done = board_report_cli(&db, &templates, &out, false, Some(("60", "512")));
    let err = text(&done.stderr);
    assert_eq!(done.status.code(), Some(finsam::limits::EXIT_STOPPED), "{err}");
    assert!(err.contains("report.html") && err.contains("memory"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(60), "{:?}", started.elapsed());
    assert!(!out.exists());
    // A Typst loop over a thousand million numbers, and one that runs without end.
    std::fs::remove_file(templates.join("report.html")).unwrap();
    for (typst, what) in [("#for i in range(1000000000) {}\n", "memory"), ("#for i in range(100000) { for j in range(100000) {} }\n", "longer")] {
        std::fs::write(templates.join("report.typ"), typst).unwrap();
        let started = Instant::now();
        let done = board_report_cli(&db, &templates, &out, true, Some(("3", "512")));
        let err = text(&done.stderr);
        assert_eq!(done.status.code(), Some(finsam::limits::EXIT_STOPPED), "{typst}: {err}");
        assert!(err.contains("report.typ") && err.contains(what), "{typst}: {err}");
        assert!(started.elapsed() < Duration::from_secs(60), "{typst}: {:?}", started.elapsed());
        assert!(!out.exists() && !out.with_extension("pdf").exists(), "{typst}: nothing written");
    }
    // The built-in templates run well within the bounds.
    std::fs::remove_file(templates.join("report.typ")).unwrap();
    let done = board_report_cli(&db, &templates, &out, true, None);
    assert!(done.status.success(), "{}", text(&done.stderr));
}

#[test]
fn read_only_sql_touches_no_file_but_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let secret = secret_beside(dir.path());
    let target = dir.path().join("ut.csv");
    let sql = |query: &str, write: bool| {
        let mut command = finsam();
        command.args(["sql", "--db", db.to_str().unwrap()]).current_dir(dir.path());
        if write {
            command.arg("--write");
        }
        run(command.arg(query))
    };
    for (query, explained) in [
        (format!("COPY (SELECT participant_id, record_key FROM participant) TO '{}'", target.display()), true),
        (format!("SELECT * FROM read_csv('{}')", secret.display()), true),
        (format!("ATTACH '{}' AS other", dir.path().join("other.duckdb").display()), true),
        ("SELECT * FROM read_csv('/etc/passwd')".to_string(), true),
        // A file named as a table is not scanned at all: DuckDB looks for a table of that name.
        (format!("SELECT * FROM '{}'", secret.display()), false),
    ] {
        let done = sql(&query, false);
        let err = text(&done.stderr);
        assert!(!done.status.success(), "{query}: {}", text(&done.stdout));
        assert!(!text(&done.stdout).contains("secret-key") && !err.contains("secret-key"), "{query}: {err}");
        assert!(!explained || err.contains("read-only"), "{query}: {err}");
    }
    assert!(!target.exists() && !dir.path().join("other.duckdb").exists());
    // The database's own file and logs are the files DuckDB still lets it write: refused by name.
    for own in [db.clone(), db.with_extension("duckdb.wal")] {
        for query in [
            format!("COPY (SELECT 'GONE' AS a) TO '{}' (FORMAT csv, USE_TMP_FILE false)", own.display()),
            format!("SELECT 1; copy (SELECT 'GONE') TO '{}'", own.display()),
            format!("/* /* */ ' */ COPY (SELECT 'GONE' AS a) TO '{}' (FORMAT csv, USE_TMP_FILE false)", own.display()),
            format!(" -- hi\rCOPY (SELECT 'GONE' AS a) TO '{}' (FORMAT csv, USE_TMP_FILE false)", own.display()),
            format!("SET log_query_path = '{}'", own.display()),
            format!("EXPORT DATABASE '{}'", dir.path().join("export").display()),
        ] {
            let done = sql(&query, false);
            let err = text(&done.stderr);
            assert!(!done.status.success() && (err.contains("read-only") || err.contains("locked")), "{query}: {err}");
        }
    }
    let done = sql("CALL enable_logging(storage='file', storage_path='/tmp/x')", false);
    assert!(!done.status.success() && done.status.code() == Some(1), "an error, not an abort: {}", text(&done.stderr));
    assert!(finsam::open_read_only(&db).is_ok(), "the database is whole");
    // With --write the SQL may write a file, and is told so.
    let done = sql(&format!("COPY (SELECT intervention_id FROM intervention) TO '{}'", target.display()), true);
    assert!(done.status.success(), "{}", text(&done.stderr));
    assert!(text(&done.stderr).contains("may read and write files") && target.exists());
    // Python's and the library's read-only model is the same: researchers' SQL there reads no file either.
    let model = finsam::open_read_only(&db).unwrap();
    assert!(model.query(&format!("SELECT * FROM read_csv('{}')", secret.display()), &[]).is_err());
    // finsam's own outputs still work on it: a Parquet export is written by finsam, not by the SQL.
    let parquet = dir.path().join("insatser.parquet");
    finsam::export::export(
        &model,
        &"intervention".parse().unwrap(),
        &parquet,
        &finsam::analysis::Cohort::default(),
        finsam::codes::Lang::Sv,
        finsam::disclosure::Protection::Perturbation,
        false,
    )
    .unwrap();
    let back = finsam::in_memory().unwrap();
    let n = back.query(&format!("SELECT count(*) FROM read_parquet('{}')", parquet.display()), &[]).unwrap().rows_as_text().unwrap();
    let expected = model.query("SELECT count(*) FROM intervention", &[]).unwrap().rows_as_text().unwrap();
    assert_eq!(n, expected);
}

#[test]
fn inputs_that_are_not_regular_files_are_refused_at_once_without_showing_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let secret = secret_beside(dir.path());
    let import_cli = |file: &Path| {
        let mut command = finsam();
        command.args(["import", "--db", db.to_str().unwrap(), "--kind", "participants", file.to_str().unwrap()]);
        let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let started = Instant::now();
        while child.try_wait().unwrap().is_none() {
            if started.elapsed() > Duration::from_secs(30) {
                let _ = child.kill();
                panic!("{}: the import still runs after 30 s", file.display());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        child.wait_with_output().unwrap()
    };
    let link = dir.path().join("deltagare.csv");
    std::os::unix::fs::symlink(&secret, &link).unwrap();
    let fifo = dir.path().join("fifo.csv");
    let name = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
    for (file, expected) in [
        (link.as_path(), "symbolic link"),
        (fifo.as_path(), "not a regular file"),
        (Path::new("/dev/zero"), "not a regular file"),
        (dir.path(), "a directory"),
    ] {
        let done = import_cli(file);
        let err = text(&done.stderr);
        assert!(!done.status.success() && err.contains(expected), "{}: {err}", file.display());
        assert!(!err.contains("secret-key") && !err.contains("FINSAM_KEY="), "{}: {err}", file.display());
    }
    // The same for a workbook, a Parquet file and a key file.
    let model = finsam::open(&db).unwrap();
    for name in ["a.xlsx", "a.parquet"] {
        let linked = dir.path().join(name);
        std::os::unix::fs::symlink(&secret, &linked).unwrap();
        let err = import(&model, ImportKind::Participants, &[&linked], Some(KEY)).unwrap_err().to_string();
        assert!(err.contains("symbolic link"), "{name}: {err}");
    }
    let err = finsam::import::key(Some(Path::new("/dev/zero"))).unwrap_err().to_string();
    assert!(err.contains("not a regular file"), "{err}");
}

#[test]
fn a_personnummer_in_a_file_name_or_a_message_is_masked() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let named = dir.path().join("19850505-1238.csv");
    std::fs::write(&named, "personnummer;förbund\n19121212-1212;atlantis\n").unwrap();
    let done = run(finsam()
        .args(["import", "--db", db.to_str().unwrap(), "--kind", "participants", named.to_str().unwrap()])
        .env("FINSAM_KEY", "a federation key, kept elsewhere"));
    let err = text(&done.stderr);
    assert!(!done.status.success() && err.contains("########-####.csv"), "{err}");
    assert!(!err.contains("19850505") && !err.contains("1238"), "{err}");
    let missing = dir.path().join("850505-1238.xlsx");
    let done = run(finsam().args(["import", "--db", db.to_str().unwrap(), "--kind", "participants", missing.to_str().unwrap()]));
    let err = text(&done.stderr);
    assert!(!done.status.success() && !err.contains("850505") && err.contains("######-####.xlsx"), "{err}");
}

#[test]
fn one_key_gives_one_pseudonym_however_it_was_typed_and_a_weak_key_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let people = dir.path().join("deltagare.csv");
    std::fs::write(&people, "personnummer;förbund\n19121212-1212;lund\n").unwrap();
    let key_file = dir.path().join("nyckel");
    std::fs::write(&key_file, "  a federation key, kept elsewhere\r\n").unwrap();
    finsam::files::restrict(&key_file).unwrap();
    let pseudonym = |db: &str, key: Option<&str>| {
        let db = dir.path().join(db);
        assert!(run(finsam().args(["demo", "--db", db.to_str().unwrap()])).status.success());
        let mut command = finsam();
        command.args(["import", "--db", db.to_str().unwrap(), "--kind", "participants", people.to_str().unwrap()]);
        match key {
            Some(value) => command.env("FINSAM_KEY", value),
            None => command.args(["--key-file", key_file.to_str().unwrap()]),
        };
        let done = run(&mut command);
        assert!(done.status.success(), "{}", text(&done.stderr));
        let model = finsam::open_read_only(&db).unwrap();
        model.query("SELECT participant_id FROM participant ORDER BY participant_key DESC LIMIT 1", &[]).unwrap().rows_as_text().unwrap()
    };
    let from_file = pseudonym("a.duckdb", None);
    assert_eq!(pseudonym("b.duckdb", Some("a federation key, kept elsewhere")), from_file);
    assert_eq!(pseudonym("c.duckdb", Some("a federation key, kept elsewhere\n")), from_file);
    assert_eq!(from_file[0][0], finsam::import::pseudonym_of("19121212-1212", KEY).unwrap());
    let weak = dir.path().join("weak.duckdb");
    assert!(run(finsam().args(["demo", "--db", weak.to_str().unwrap()])).status.success());
    let done = run(finsam()
        .args(["import", "--db", weak.to_str().unwrap(), "--kind", "participants", people.to_str().unwrap()])
        .env("FINSAM_KEY", "aaaaaaaaaaaaaaaa"));
    assert!(!done.status.success() && text(&done.stderr).contains("too easy to guess"), "{}", text(&done.stderr));
}

/// A minimal workbook: the sheets (name, state, cells XML), the 1904 date system or not, and a style that
/// formats a number as a date (style 1).
fn workbook(path: &Path, sheets: &[(&str, &str, &str)], date1904: bool) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    let mut part = |name: &str, xml: String| {
        zip.start_file(name, options).unwrap();
        zip.write_all(xml.as_bytes()).unwrap();
    };
    let overrides: String = (1..=sheets.len())
        .map(|i| format!("<Override PartName=\"/xl/worksheets/sheet{i}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"))
        .collect();
    part("[Content_Types].xml", format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>{overrides}</Types>"));
    part("_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>".into());
    let sheet_list: String = sheets
        .iter()
        .enumerate()
        .map(|(i, (name, state, _))| format!("<sheet name=\"{name}\" sheetId=\"{}\" state=\"{state}\" r:id=\"rId{}\"/>", i + 1, i + 1))
        .collect();
    part("xl/workbook.xml", format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><workbookPr date1904=\"{}\"/><sheets>{sheet_list}</sheets></workbook>", if date1904 { 1 } else { 0 }));
    let rels: String = (1..=sheets.len())
        .map(|i| format!("<Relationship Id=\"rId{i}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet{i}.xml\"/>"))
        .collect();
    part("xl/_rels/workbook.xml.rels", format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{rels}<Relationship Id=\"rIdS\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/></Relationships>"));
    part("xl/styles.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><cellXfs count=\"2\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\" applyNumberFormat=\"1\"/></cellXfs></styleSheet>".into());
    for (i, (_, _, cells)) in sheets.iter().enumerate() {
        part(&format!("xl/worksheets/sheet{}.xml", i + 1), format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>{cells}</sheetData></worksheet>"));
    }
    zip.finish().unwrap();
}

/// A row of inline-string cells.
fn string_row(row: usize, values: &[&str]) -> String {
    let cells: String = values
        .iter()
        .enumerate()
        .map(|(i, v)| format!("<c r=\"{}{row}\" t=\"inlineStr\"><is><t>{v}</t></is></c>", (b'A' + i as u8) as char))
        .collect();
    format!("<row r=\"{row}\">{cells}</row>")
}

#[test]
fn a_workbook_is_read_as_excel_shows_it_or_refused() {
    let dir = tempfile::tempdir().unwrap();
    let m = finsam::create(dir.path().join("f.duckdb")).unwrap();
    finsam::demo::load(&m).unwrap();
    let head = string_row(1, &["insats_id", "förbund", "namn", "typ", "målgrupp", "startdatum"]);
    let start_of =
        |id: &str| m.query("SELECT start_date::VARCHAR FROM intervention WHERE intervention_id = ?", &[&id]).unwrap().rows_as_text().unwrap();
    // Serial 43524 in a 1904 workbook is 2023-03-01, formatted as a date or not.
    for (id, style) in [("datum1904", " s=\"1\""), ("tal1904", "")] {
        let path = dir.path().join(format!("{id}.xlsx"));
        let first = string_row(2, &[id, "lund", "Ny", "individual", "young"]);
        let cells = format!("{head}{}<c r=\"F2\"{style}><v>43524</v></c></row>", first.trim_end_matches("</row>"));
        workbook(&path, &[("Insatser", "visible", &cells)], true);
        import(&m, ImportKind::Interventions, &[&path], None).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(start_of(id), vec![vec!["2023-03-01".to_string()]], "{id}");
    }
    // The visible sheet is read, not a hidden one before it.
    let hidden = format!("{}{}", head, string_row(2, &["gömd", "lund", "Gömd", "individual", "young", "2024-01-01"]));
    let shown = format!("{}{}", head, string_row(2, &["synlig", "lund", "Synlig", "individual", "young", "2024-01-01"]));
    for state in ["hidden", "veryHidden"] {
        let path = dir.path().join(format!("{state}.xlsx"));
        workbook(&path, &[("Gömd", state, &hidden), ("Insatser", "visible", &shown)], false);
        import(&m, ImportKind::Interventions, &[&path], None).unwrap();
        assert!(start_of("gömd").is_empty() && start_of("synlig").len() == 1, "{state}");
    }
    // A cell written twice, or a formula without a saved value: refused, naming the cell.
    let twice = format!(
        "{head}{}",
        string_row(2, &["två", "lund", "Två", "individual", "young", "2024-01-01"])
            .replace("</row>", "<c r=\"C2\" t=\"inlineStr\"><is><t>Annat</t></is></c></row>")
    );
    let formula = format!(
        "{head}{}",
        string_row(2, &["formel", "lund", "Formel", "individual", "young"]).replace("</row>", "<c r=\"F2\"><f>DATE(2024,1,1)</f></c></row>")
    );
    for (name, cells, expected) in [("twice", twice, "C2 is written twice"), ("formula", formula, "F2 holds a formula whose value was never saved")] {
        let path = dir.path().join(format!("{name}.xlsx"));
        workbook(&path, &[("Insatser", "visible", &cells)], false);
        let before = m.count_rows("intervention").unwrap();
        let err = import(&m, ImportKind::Interventions, &[&path], None).unwrap_err().to_string();
        assert!(err.contains(expected), "{name}: {err}");
        assert_eq!(m.count_rows("intervention").unwrap(), before);
    }
}

#[test]
fn money_is_stored_as_written_and_messages_show_the_value_they_refuse() {
    let dir = tempfile::tempdir().unwrap();
    let m = finsam::create(dir.path().join("f.duckdb")).unwrap();
    finsam::demo::load(&m).unwrap();
    let file = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let budget = file(
        "budget.csv",
        "förbund;insats;år;finansiär;kategori;budget_kr;utfall_kr\nlund;comung;2031;federation;individual;1.234,50;1,234.75\nlund;comung;2031;region;individual;2 200 000,00;0,5\n",
    );
    import(&m, ImportKind::BudgetLines, &[&budget], None).unwrap();
    let stored = m
        .query("SELECT budget_sek::VARCHAR, actual_sek::VARCHAR FROM budget_line WHERE year = 2031 ORDER BY financier", &[])
        .unwrap()
        .rows_as_text()
        .unwrap();
    assert_eq!(stored, vec![vec!["1234.50".to_string(), "1234.75".into()], vec!["2200000.00".into(), "0.50".into()]]);
    // An end before the start, and a key given twice: the message shows the value it refuses.
    let interventions = file(
        "insatser.csv",
        "insats_id;förbund;namn;typ;målgrupp;startdatum;slutdatum\nny;lund;Ny;individual;young;2024-01-01;2023-06-30\nny2;lund;Ny;individual;young;2024-01-01;\nny2;lund;Ny;individual;young;2024-01-01;\n",
    );
    let FinsamError::Validation { errors, .. } = import(&m, ImportKind::Interventions, &[&interventions], None).unwrap_err() else { panic!() };
    assert!(errors.iter().any(|e| e.column == "slutdatum" && e.value == "2023-06-30"), "{errors:?}");
    assert!(errors.iter().any(|e| e.expected.contains("each key once") && e.value == "ny2"), "{errors:?}");
}

#[test]
fn arguments_and_output_directories_are_checked_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let db = db.to_str().unwrap();
    // A month past 50 years is refused at once, not computed for hours.
    let started = Instant::now();
    let done = run(finsam().args(["survival", "--db", db, "--intervention", "comung", "--months", "4294967295"]));
    assert!(!done.status.success() && text(&done.stderr).contains("0 to 600"), "{}", text(&done.stderr));
    assert!(started.elapsed() < Duration::from_secs(30));
    // A reversed age band says so, instead of suggesting another band of the same order.
    let done = run(finsam().args(["report", "--db", db, "--intervention", "comung", "--age", "40-18"]));
    let err = text(&done.stderr);
    assert!(!done.status.success() && err.contains("is empty") && !err.contains("40–19"), "{err}");
    // An intervention named twice is one intervention.
    let done = run(finsam().args(["report", "--db", db, "--intervention", "comung,comung", "--period", "2022-2023"]));
    let shown = text(&done.stdout);
    assert!(done.status.success() && shown.contains("ComUng") && !shown.contains("ComUng, ComUng"), "{shown}");
    // A chart set refuses a linked directory, and a linked file in it before writing anything.
    let real = dir.path().join("riktig");
    std::fs::create_dir(&real).unwrap();
    let linked = dir.path().join("länkad");
    std::os::unix::fs::symlink(&real, &linked).unwrap();
    let done = run(finsam().args(["charts", "--db", db, "--out", linked.to_str().unwrap(), "--force"]));
    assert!(!done.status.success() && text(&done.stderr).contains("symbolic link"), "{}", text(&done.stderr));
    let out = dir.path().join("diagram");
    std::fs::create_dir(&out).unwrap();
    let last = finsam::charts::ChartKind::ALL.last().unwrap().name();
    std::os::unix::fs::symlink(dir.path().join("elsewhere.png"), out.join(format!("{last}.png"))).unwrap();
    let done = run(finsam().args(["charts", "--db", db, "--out", out.to_str().unwrap(), "--force"]));
    assert!(!done.status.success() && text(&done.stderr).contains("symbolic link"), "{}", text(&done.stderr));
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1, "nothing was written beside the link");
    // Output into a closed pipe ends quietly.
    let mut child = finsam().args(["info", "--db", db]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    drop(child.stdout.take());
    let done = child.wait_with_output().unwrap();
    assert!(!text(&done.stderr).contains("panicked"), "{}", text(&done.stderr));
}
