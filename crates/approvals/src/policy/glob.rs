//! Path globs for policy rules and freeze windows.

use globset::{GlobBuilder, GlobMatcher};
use serde::{Serialize, Serializer};
use std::fmt;

/// A repo-relative path glob as written in `policy.yaml`: `*` and `?` stay within one path
/// component, `**` crosses them, `{a,b}` and `[abc]` work as usual. A leading `/` is ignored
/// (paths are repo-relative anyway) and a trailing `/` means everything below that directory.
#[derive(Clone)]
pub struct PathGlob {
    pattern: String,
    matcher: GlobMatcher,
}

impl PathGlob {
    /// Compiles a glob; the error says what is wrong with it in plain words.
    pub fn new(pattern: &str) -> Result<Self, String> {
        let relative = pattern.strip_prefix('/').unwrap_or(pattern);
        if relative.is_empty() {
            return Err("an empty path pattern matches nothing".to_string());
        }
        let mut glob = relative.to_string();
        if glob.ends_with('/') {
            glob.push_str("**");
        }
        let matcher = GlobBuilder::new(&glob)
            .literal_separator(true)
            .backslash_escape(true)
            .build()
            .map_err(|e| format!("`{pattern}` is not a valid glob: {}", e.kind()))?
            .compile_matcher();
        Ok(PathGlob {
            pattern: pattern.to_string(),
            matcher,
        })
    }

    /// The glob as written.
    pub fn as_str(&self) -> &str {
        &self.pattern
    }

    /// Whether a repo-relative path (`/`-separated, no leading `/`) matches.
    pub fn is_match(&self, path: &str) -> bool {
        self.matcher.is_match(path)
    }
}

/// Whether any of `globs` matches `path`.
pub(crate) fn any_match(globs: &[PathGlob], path: &str) -> bool {
    globs.iter().any(|g| g.is_match(path))
}

impl fmt::Debug for PathGlob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PathGlob").field(&self.pattern).finish()
    }
}

impl PartialEq for PathGlob {
    fn eq(&self, other: &Self) -> bool {
        self.pattern == other.pattern
    }
}

impl Eq for PathGlob {}

impl Serialize for PathGlob {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.pattern)
    }
}
