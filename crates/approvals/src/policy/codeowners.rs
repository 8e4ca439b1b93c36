//! CODEOWNERS with GitHub semantics and GitLab sections.
//!
//! Patterns are gitignore-style as GitHub reads them: a leading `/` or a `/` in the middle anchors
//! to the repository root, a pattern without `/` matches at any depth, a trailing `/` matches
//! everything below a directory, a pattern that names a directory also covers what is below it
//! unless its last component is a lone `*`, `**` crosses directories, `\` escapes. `[ ]` and
//! `{ }` are literal and `!` negation is refused, as on GitHub. Within a section the last matching
//! line wins; a matching line without owners (and no section default) leaves the path unowned.
//!
//! GitLab sections: `[Name]` (1 approval), `[Name][N]` (N approvals), `^[Name]` (optional: owners
//! shown, no approval required), each optionally followed by default owners. Sections with the
//! same name (case-insensitive) are one section. Lines before any section form GitHub's single
//! unnamed section.

use super::error::{PolicyError, PolicyErrorCode};
use super::people::is_email;
use globset::{GlobBuilder, GlobMatcher};

/// Where GitHub looks for CODEOWNERS, in its order, then GitLab's extra location.
pub const CODEOWNERS_LOCATIONS: [&str; 4] = [
    ".github/CODEOWNERS",
    "CODEOWNERS",
    "docs/CODEOWNERS",
    ".gitlab/CODEOWNERS",
];

/// The CODEOWNERS file that counts among the repo-relative `files` present: `.github/CODEOWNERS`,
/// then `CODEOWNERS`, then `docs/CODEOWNERS` (GitHub's order), then `.gitlab/CODEOWNERS`.
pub fn codeowners_location(files: &[&str]) -> Option<&'static str> {
    CODEOWNERS_LOCATIONS
        .into_iter()
        .find(|location| files.contains(location))
}

/// A parsed CODEOWNERS file. The default value owns nothing.
#[derive(Debug, Clone, Default)]
pub struct Codeowners {
    sections: Vec<Section>,
}

#[derive(Debug, Clone)]
struct Section {
    /// `None` for the lines before any `[Section]` header.
    name: Option<String>,
    /// 0 for an optional (`^[…]`) section.
    required_approvals: u32,
    default_owners: Vec<String>,
    entries: Vec<Entry>,
}

#[derive(Debug, Clone)]
struct Entry {
    pattern: String,
    owners: Vec<String>,
    line: u32,
    matchers: Vec<GlobMatcher>,
}

/// The line that decides who owns a path within one section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeownersMatch {
    /// `None` for the unnamed (GitHub) section.
    pub section: Option<String>,
    pub pattern: String,
    pub line: u32,
    /// As written (`@user`, `@org/team`, email); the section's defaults when the line names none.
    pub owners: Vec<String>,
    /// 1, N for `[Section][N]`, 0 for an optional `^[Section]`.
    pub required_approvals: u32,
}

impl Codeowners {
    /// Parses CODEOWNERS text; `file` labels errors. Lines GitHub or GitLab would reject are
    /// errors here rather than silently skipped, so a broken file cannot lose an owner.
    pub fn parse(file: &str, text: &str) -> Result<Codeowners, PolicyError> {
        let mut owners = Codeowners {
            sections: vec![Section {
                name: None,
                required_approvals: 1,
                default_owners: Vec::new(),
                entries: Vec::new(),
            }],
        };
        let mut current = 0;
        for (index, line) in text.lines().enumerate() {
            let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
            let error = |column: usize, message: String| {
                PolicyError::new(
                    PolicyErrorCode::InvalidCodeowners,
                    file,
                    (number, u32::try_from(column).unwrap_or(u32::MAX)),
                    message,
                )
            };
            let tokens = tokenize(line);
            let Some(&(first_column, ref first)) = tokens.first() else {
                continue;
            };
            if first.starts_with('#') {
                continue;
            }
            if first.starts_with('[') || first.starts_with("^[") {
                let header = section_header(line, first_column).map_err(|(c, m)| error(c, m))?;
                let default_owners = owner_list(&header.rest).map_err(|(c, m)| error(c, m))?;
                current = owners.add_section(header, default_owners);
                continue;
            }
            if first.starts_with('!') {
                return Err(error(
                    first_column,
                    "negated patterns (`!`) are not supported in CODEOWNERS".to_string(),
                ));
            }
            let matchers = pattern_matchers(first).map_err(|m| error(first_column, m))?;
            let entry_owners = owner_list(&tokens[1..]).map_err(|(c, m)| error(c, m))?;
            owners.sections[current].entries.push(Entry {
                pattern: first.clone(),
                owners: entry_owners,
                line: number,
                matchers,
            });
        }
        Ok(owners)
    }

    /// For each section, the line that decides `path` (the last matching one), when it names
    /// owners. A path without owners in a section is absent from the result.
    pub fn owners_of(&self, path: &str) -> Vec<CodeownersMatch> {
        self.deciding_entries(path)
            .filter_map(|(s, e)| self.describe(s, e))
            .collect()
    }

    /// (section index, entry index) of the deciding line per section.
    pub(crate) fn deciding_entries<'a>(
        &'a self,
        path: &'a str,
    ) -> impl Iterator<Item = (usize, usize)> + 'a {
        self.sections
            .iter()
            .enumerate()
            .filter_map(move |(s, section)| {
                section
                    .entries
                    .iter()
                    .rposition(|entry| entry.matchers.iter().any(|m| m.is_match(path)))
                    .map(|e| (s, e))
            })
    }

    /// The deciding line as a match, or `None` when it leaves the path unowned.
    pub(crate) fn describe(&self, section: usize, entry: usize) -> Option<CodeownersMatch> {
        let s = &self.sections[section];
        let e = &s.entries[entry];
        let owners = if e.owners.is_empty() {
            &s.default_owners
        } else {
            &e.owners
        };
        if owners.is_empty() {
            return None;
        }
        Some(CodeownersMatch {
            section: s.name.clone(),
            pattern: e.pattern.clone(),
            line: e.line,
            owners: owners.clone(),
            required_approvals: s.required_approvals,
        })
    }

    fn add_section(&mut self, header: Header, default_owners: Vec<String>) -> usize {
        let required = if header.optional { 0 } else { header.approvals };
        let existing = self.sections.iter().position(|s| {
            s.name
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(&header.name))
        });
        match existing {
            Some(index) => {
                let section = &mut self.sections[index];
                section.required_approvals = section.required_approvals.max(required);
                if section.default_owners.is_empty() {
                    section.default_owners = default_owners;
                }
                index
            }
            None => {
                self.sections.push(Section {
                    name: Some(header.name),
                    required_approvals: required,
                    default_owners,
                    entries: Vec::new(),
                });
                self.sections.len() - 1
            }
        }
    }
}

/// Splits a line on unescaped whitespace; each token keeps its escapes and its 1-based column.
fn tokenize(line: &str) -> Vec<(usize, String)> {
    let mut tokens = Vec::new();
    let mut current: Option<(usize, String)> = None;
    let mut chars = line.chars().enumerate();
    while let Some((i, c)) = chars.next() {
        if c.is_whitespace() {
            if let Some(token) = current.take() {
                tokens.push(token);
            }
            continue;
        }
        let token = current.get_or_insert_with(|| (i + 1, String::new()));
        token.1.push(c);
        if c == '\\' {
            if let Some((_, escaped)) = chars.next() {
                token.1.push(escaped);
            }
        }
    }
    tokens.extend(current);
    tokens
}

struct Header {
    name: String,
    approvals: u32,
    optional: bool,
    /// The tokens after the header: default owners.
    rest: Vec<(usize, String)>,
}

/// Parses `^[Name][N] owners…`, starting at the 1-based column of the first token.
fn section_header(line: &str, column: usize) -> Result<Header, (usize, String)> {
    let chars: Vec<char> = line.chars().collect();
    let mut i = column - 1;
    let optional = chars[i] == '^';
    if optional {
        i += 1;
    }
    let open = i;
    let close = chars[open..]
        .iter()
        .position(|&c| c == ']')
        .map(|p| open + p)
        .ok_or((open + 1, "section header without a closing `]`".to_string()))?;
    let name: String = chars[open + 1..close].iter().collect();
    let name = name.trim().to_string();
    if name.is_empty() {
        return Err((open + 1, "a section needs a name".to_string()));
    }
    i = close + 1;
    let mut approvals = 1;
    if chars.get(i) == Some(&'[') {
        let count_close = chars[i..]
            .iter()
            .position(|&c| c == ']')
            .map(|p| i + p)
            .ok_or((i + 1, "approval count without a closing `]`".to_string()))?;
        let count: String = chars[i + 1..count_close].iter().collect();
        approvals = match count.trim().parse::<u32>() {
            Ok(n) if n >= 1 => n,
            _ => {
                return Err((
                    i + 2,
                    format!("`[{count}]` is not a number of approvals (1 or more)"),
                ))
            }
        };
        i = count_close + 1;
    }
    if chars.get(i).is_some_and(|c| !c.is_whitespace()) {
        return Err((
            i + 1,
            "expected owners after the section header, separated by a space".to_string(),
        ));
    }
    let rest_text: String = chars[i..].iter().collect();
    let rest = tokenize(&rest_text)
        .into_iter()
        .map(|(c, t)| (c + i, t))
        .collect();
    Ok(Header {
        name,
        approvals,
        optional,
        rest,
    })
}

/// Owners up to an inline `#` comment; each must be `@name`, `@org/team` or an email.
fn owner_list(tokens: &[(usize, String)]) -> Result<Vec<String>, (usize, String)> {
    let mut owners = Vec::new();
    for (column, token) in tokens {
        if token.starts_with('#') {
            break;
        }
        let handle = token.strip_prefix('@');
        let valid = match handle {
            Some(h) => !h.is_empty() && !h.ends_with('/'),
            None => is_email(token),
        };
        if !valid {
            return Err((
                *column,
                format!("`{token}` is not an owner; write @user, @org/team or an email address"),
            ));
        }
        if !owners.contains(token) {
            owners.push(token.clone());
        }
    }
    Ok(owners)
}

/// Compiles a CODEOWNERS pattern to the globs that match what it covers.
fn pattern_matchers(pattern: &str) -> Result<Vec<GlobMatcher>, String> {
    if pattern.contains("***") {
        return Err(format!(
            "`{pattern}`: three asterisks in a row are not a pattern"
        ));
    }
    let anchored_at_root = pattern.starts_with('/');
    let body = pattern.trim_start_matches('/');
    let directory_only = body.ends_with('/');
    let body = body.trim_end_matches('/');
    if body.is_empty() {
        return Err(format!("`{pattern}` matches no path"));
    }
    let mut glob = String::new();
    if !anchored_at_root && !body.contains('/') {
        glob.push_str("**/");
    }
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                glob.push('\\');
                glob.extend(chars.next());
            }
            '[' | ']' | '{' | '}' => {
                glob.push('\\');
                glob.push(c);
            }
            _ => glob.push(c),
        }
    }
    let last = body.rsplit('/').next().unwrap_or(body);
    let mut globs = Vec::new();
    if directory_only {
        globs.push(format!("{glob}/**"));
    } else if last == "*" || last == "**" {
        globs.push(glob);
    } else {
        globs.push(format!("{glob}/**"));
        globs.push(glob);
    }
    globs
        .iter()
        .map(|g| {
            GlobBuilder::new(g)
                .literal_separator(true)
                .backslash_escape(true)
                .build()
                .map(|g| g.compile_matcher())
                .map_err(|e| format!("`{pattern}` is not a valid pattern: {}", e.kind()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_keep_escaped_spaces_and_their_columns() {
        let tokens = tokenize("  a\\ b  @x # c");
        let expected: Vec<(usize, String)> = [(3, "a\\ b"), (9, "@x"), (12, "#"), (14, "c")]
            .into_iter()
            .map(|(c, t)| (c, t.to_string()))
            .collect();
        assert_eq!(tokens, expected);
    }

    #[test]
    fn section_headers_read_name_count_and_defaults() {
        let header = section_header("^[Data base][3] @maya", 1).expect("valid header");
        assert_eq!(header.name, "Data base");
        assert_eq!(header.approvals, 3);
        assert!(header.optional);
        assert_eq!(header.rest, [(17, "@maya".to_string())]);
    }
}
