//! A planned change to one file of the status folder, and the folder as it will be once changes
//! are written: pure, shared by the editor's planning ([`crate::edit`]) and its writes
//! ([`crate::save`]).

use serde::Serialize;
use std::collections::BTreeMap;

/// A planned change to one file: the text it was planned from (`None`: the file is new), the
/// new text, and a unified diff. Paths are relative to the status folder as [`plan`] returns
/// them ([`FileChange::in_folder`] makes them relative to the repository).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(rename = "StatusFileChange")]
pub struct FileChange {
    pub path: String,
    /// A new file.
    pub created: bool,
    #[serde(skip)]
    pub before: Option<String>,
    #[serde(skip)]
    pub after: String,
    pub diff: String,
}

impl FileChange {
    pub fn new(path: &str, before: Option<String>, after: String) -> FileChange {
        let diff =
            wheelhouse_yaml::unified_diff(path, before.as_deref().unwrap_or_default(), &after);
        FileChange {
            path: path.to_string(),
            created: before.is_none(),
            before,
            after,
            diff,
        }
    }

    /// The same change named from a parent folder, e.g. `status/` + `components.yaml`.
    pub fn in_folder(self, folder: &str) -> FileChange {
        let folder = folder.trim_end_matches('/');
        if folder.is_empty() {
            return self;
        }
        FileChange::new(&format!("{folder}/{}", self.path), self.before, self.after)
    }
}

/// The folder's files as they will be once `changes` are written (to preview or check a plan).
pub fn with_changes(
    files: &BTreeMap<String, String>,
    changes: &[FileChange],
) -> BTreeMap<String, String> {
    let mut out = files.clone();
    for c in changes {
        out.insert(c.path.clone(), c.after.clone());
    }
    out
}
