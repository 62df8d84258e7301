//! What SQL on a database opened read-only may not say. DuckDB's `enable_external_access = false` keeps
//! such SQL from every file but the database's own: the database file and its write-ahead logs stay
//! writable to DuckDB, so `COPY (SELECT 'x') TO 'the.duckdb'` would write over the database itself (and
//! the locked configuration keeps `SET log_query_path` from doing the same). The statements that write
//! files are therefore refused by name: wherever the word stands, in a string or a comment too. A lexer
//! that skipped strings and comments would have to agree with DuckDB's own on every nested comment, line
//! end and escape, and where it did not, a COPY hid from it (two such places were found by attack); a
//! word found in a string is refused with it, which costs a researcher a rewording at most.

/// The words a read-only statement may not contain: the statements that write files (COPY ... TO, EXPORT
/// DATABASE) and DuckDB's file logging, which ends the process when refused.
const FILE_WRITING_WORDS: [&str; 3] = ["COPY", "EXPORT", "ENABLE_LOGGING"];

/// The first word of `sql` that writes a file, if any. A word is a run of letters, digits, `_` and `$` (every
/// character DuckDB's scanner reads as part of a name, and more), so DuckDB never reads a keyword where
/// this sees a longer word.
pub fn file_writing_word(sql: &str) -> Option<&'static str> {
    sql.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
        .filter(|word| !word.is_empty())
        .find_map(|word| FILE_WRITING_WORDS.iter().find(|w| w.eq_ignore_ascii_case(word)).copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_that_write_files_are_found_wherever_the_word_stands() {
        for sql in [
            "COPY (SELECT 'GONE' AS a) TO 'db.duckdb' (FORMAT csv)",
            "  copy participant to 'x.csv'",
            "SELECT 1; COPY x TO 'y'",
            "/* a comment */ Copy x TO 'y'",
            "/* /* */ ' */ COPY (SELECT 'GONE' AS a) TO 'db.duckdb'",
            " -- hi\rCOPY (SELECT 1) TO 'db.duckdb'",
            "SELECT E'\\''; COPY x TO 'y'",
            "SELECT a$x$; COPY x TO 'y'",
            "EXPORT DATABASE 'dir'",
            "CALL enable_logging(storage='file', storage_path='/x')",
            "SELECT 'COPY x TO y' AS text",
        ] {
            assert!(file_writing_word(sql).is_some(), "{sql}");
        }
        for sql in ["SELECT \"copyright\" FROM t", "SELECT $1, copyright FROM t", "SELECT exported_rows FROM t", "SELECT 1 AS copy_count"] {
            assert_eq!(file_writing_word(sql), None, "{sql}");
        }
    }
}
