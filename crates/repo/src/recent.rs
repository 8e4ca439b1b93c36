//! The list of recently opened repositories, kept as a small JSON file in the app's data folder.
//!
//! Most recent first, one entry per path, at most [`MAX_RECENT`]. A missing or unreadable file is
//! an empty list (a corrupt file must never stop the app from starting); writes are atomic.

use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};
use ts_rs::TS;

pub const MAX_RECENT: usize = 10;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RecentRepository {
    pub path: String,
    pub name: String,
    /// When it was last opened, Unix seconds.
    #[ts(type = "number")]
    pub opened_unix: i64,
}

/// Reads the list; anything unreadable counts as empty.
pub fn load(file: &Path) -> Vec<RecentRepository> {
    std::fs::read(file)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

/// Puts `entry` first, drops older entries for the same path, keeps [`MAX_RECENT`].
pub fn remember(mut list: Vec<RecentRepository>, entry: RecentRepository) -> Vec<RecentRepository> {
    list.retain(|r| r.path != entry.path);
    list.insert(0, entry);
    list.truncate(MAX_RECENT);
    list
}

/// Writes the list atomically: a temp file in the same folder, then a rename.
pub fn save(file: &Path, list: &[RecentRepository]) -> std::io::Result<()> {
    let dir = file
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    std::fs::create_dir_all(&dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(&dir)?;
    tmp.write_all(&serde_json::to_vec_pretty(list).map_err(std::io::Error::other)?)?;
    tmp.as_file().sync_all()?;
    tmp.persist(file).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, t: i64) -> RecentRepository {
        RecentRepository {
            path: path.into(),
            name: path.rsplit('/').next().unwrap_or(path).into(),
            opened_unix: t,
        }
    }

    #[test]
    fn reopening_moves_a_repository_to_the_top_without_duplicating_it() {
        let list = remember(vec![entry("/a", 1), entry("/b", 2)], entry("/b", 3));
        assert_eq!(list, vec![entry("/b", 3), entry("/a", 1)]);
    }

    #[test]
    fn the_list_keeps_the_ten_most_recent() {
        let mut list = Vec::new();
        for i in 0..15 {
            list = remember(list, entry(&format!("/r{i}"), i));
        }
        assert_eq!(list.len(), MAX_RECENT);
        assert_eq!(list[0].path, "/r14");
        assert_eq!(list[9].path, "/r5");
    }

    #[test]
    fn a_corrupt_file_reads_as_empty_and_is_replaced_on_save() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("recent.json");
        std::fs::write(&file, b"{not json").unwrap();
        assert!(load(&file).is_empty());
        save(&file, &[entry("/a", 1)]).unwrap();
        assert_eq!(load(&file), vec![entry("/a", 1)]);
    }
}
