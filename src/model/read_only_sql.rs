//! What SQL on a database opened read-only may not say. DuckDB's `enable_external_access = false` keeps
//! such SQL from every file but the database's own: the database file and its write-ahead logs stay
//! writable to DuckDB, so `COPY (SELECT 'x') TO 'the.duckdb'` would write over the database itself. The
//! statements that write files are therefore refused by name, found by a small lexer that skips strings,
//! quoted names and comments (a column called "copy" in quotes is still fine).

/// The words a read-only statement may not contain outside strings and quoted names: the statements that
/// write files (COPY ... TO, EXPORT DATABASE) and DuckDB's file logging, which ends the process when
/// refused.
const FILE_WRITING_WORDS: [&str; 3] = ["COPY", "EXPORT", "ENABLE_LOGGING"];

/// The first word of `sql` that writes a file, if any.
pub fn file_writing_word(sql: &str) -> Option<&'static str> {
    let chars: Vec<char> = sql.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\'' | '"' => i = after_quoted(&chars, i, c),
            '-' if chars.get(i + 1) == Some(&'-') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '/' if chars.get(i + 1) == Some(&'*') => {
                i += 2;
                while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                    i += 1;
                }
                i += 2;
            }
            '$' => i = after_dollar_quoted(&chars, i),
            c if c.is_alphabetic() || c == '_' => {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect::<String>().to_ascii_uppercase();
                if let Some(found) = FILE_WRITING_WORDS.iter().find(|w| **w == word) {
                    return Some(found);
                }
            }
            _ => i += 1,
        }
    }
    None
}

/// The index after a string or quoted name that starts at `start` (a doubled quote stands for itself).
fn after_quoted(chars: &[char], start: usize, quote: char) -> usize {
    let mut i = start + 1;
    while i < chars.len() {
        if chars[i] == quote {
            if chars.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    i
}

/// After `$tag$ ... $tag$` (or a lone `$`, as in a parameter `$1`).
fn after_dollar_quoted(chars: &[char], start: usize) -> usize {
    let mut end = start + 1;
    while end < chars.len() && (chars[end].is_alphanumeric() || chars[end] == '_') {
        end += 1;
    }
    if chars.get(end) != Some(&'$') || chars[start + 1..end].first().is_some_and(|c| c.is_ascii_digit()) {
        return start + 1;
    }
    let tag: Vec<char> = chars[start..=end].to_vec();
    let mut i = end + 1;
    while i + tag.len() <= chars.len() {
        if chars[i..i + tag.len()] == tag[..] {
            return i + tag.len();
        }
        i += 1;
    }
    chars.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_that_write_files_are_found_outside_strings_and_comments() {
        for sql in [
            "COPY (SELECT 'GONE' AS a) TO 'db.duckdb' (FORMAT csv)",
            "  copy participant to 'x.csv'",
            "SELECT 1; COPY x TO 'y'",
            "/* a comment */ Copy x TO 'y'",
            "EXPORT DATABASE 'dir'",
            "CALL enable_logging(storage='file', storage_path='/x')",
        ] {
            assert!(file_writing_word(sql).is_some(), "{sql}");
        }
        for sql in [
            "SELECT 'COPY x TO y' AS text",
            "SELECT \"copy\" FROM t",
            "SELECT 1 -- copy it\n",
            "SELECT $$ COPY $$",
            "SELECT $1, copyright FROM t",
            "SELECT exported_rows FROM t",
        ] {
            assert_eq!(file_writing_word(sql), None, "{sql}");
        }
    }
}
