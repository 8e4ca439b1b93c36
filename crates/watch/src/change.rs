//! The deciding half of the watcher: which paths matter, and how a burst of them becomes one
//! [`RepoChange`]. Plain values in, plain values out; nothing here touches the disk or a clock.

use serde::Serialize;
use std::collections::BTreeSet;
use std::path::{Component, Path};
use ts_rs::TS;

/// How many paths a [`RepoChange`] lists at most; [`RepoChange::paths_total`] says how many
/// changed in all. A checkout can rewrite thousands of files, and views only need a sample to
/// decide what to reload.
pub const PATHS_LIMIT: usize = 200;

/// What changed in a repository during one burst of file activity.
///
/// The flags say which parts of the app's picture of the repository are stale; `paths` says where
/// in the working tree. A burst that touched only Git's internals has `worktree == false` and no
/// paths.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RepoChange {
    /// Some file or folder in the working tree (outside `.git/`) was created, changed, removed or
    /// renamed.
    pub worktree: bool,
    /// `.git/HEAD` was rewritten: a checkout, a switch, a detach.
    pub head: bool,
    /// `.git/index` was rewritten: staging, unstaging, a commit, a checkout, a merge.
    pub git_index: bool,
    /// A ref under `.git/refs/` or `.git/packed-refs` was written or deleted: a commit, a fetch, a
    /// new branch or tag.
    pub git_refs: bool,
    /// The operating system dropped events, so the exact paths are unknown. Every flag is set and
    /// `paths` may be incomplete: reload everything.
    pub rescan: bool,
    /// Changed working-tree paths, relative to the root with `/` separators, sorted, without
    /// duplicates; at most [`PATHS_LIMIT`].
    pub paths: Vec<String>,
    /// How many distinct working-tree paths changed in all.
    pub paths_total: u32,
}

/// Where a path sits in a repository, as far as refreshing views is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PathClass {
    Worktree,
    Head,
    Index,
    Refs,
    /// Git's own bookkeeping (objects, logs, lock files, hooks, config) or a nested repository's:
    /// nothing a view shows changes until one of the other classes does.
    Ignored,
}

/// One relevant thing the watcher saw, already classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Observation {
    Path(PathClass, String),
    /// The OS event queue overflowed.
    Rescan,
}

/// The path of `path` relative to `root`, with `/` separators; `None` if it is not under `root`.
/// The root itself is the empty string.
pub(crate) fn relative_path(root: &Path, path: &Path) -> Option<String> {
    let rest = path.strip_prefix(root).ok()?;
    let mut parts = Vec::new();
    for component in rest.components() {
        match component {
            Component::Normal(part) => parts.push(part.to_string_lossy()),
            Component::CurDir => {}
            // A `..` or a second root would point outside the repository.
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.join("/"))
}

/// Classifies a path relative to the repository root (`/` separators).
pub(crate) fn classify(relative: &str) -> PathClass {
    if let Some(inside_git) = relative.strip_prefix(".git/") {
        return classify_git_dir(inside_git);
    }
    if relative == ".git" || relative.split('/').any(|part| part == ".git") {
        // A nested repository or submodule: its internals are not this repository's tree.
        return PathClass::Ignored;
    }
    PathClass::Worktree
}

fn classify_git_dir(inside: &str) -> PathClass {
    // Git writes every file it cares about as `<name>.lock` and renames it into place. The lock
    // alone means "someone is about to write", not "something changed"; the rename shows up as
    // an event on the final name. Ref names may not end in `.lock`, so no real ref is lost.
    if inside.ends_with(".lock") {
        return PathClass::Ignored;
    }
    match inside {
        "HEAD" => PathClass::Head,
        "index" => PathClass::Index,
        "packed-refs" | "refs" => PathClass::Refs,
        _ if inside.starts_with("refs/") => PathClass::Refs,
        _ => PathClass::Ignored,
    }
}

/// Everything seen so far in one burst, folded as it arrives.
#[derive(Debug, Default)]
pub(crate) struct PendingChange {
    worktree: bool,
    head: bool,
    git_index: bool,
    git_refs: bool,
    rescan: bool,
    paths: BTreeSet<String>,
}

impl PendingChange {
    pub(crate) fn add(&mut self, observation: Observation) {
        match observation {
            Observation::Rescan => self.rescan = true,
            Observation::Path(class, path) => match class {
                PathClass::Worktree => {
                    self.worktree = true;
                    // The root itself (moved or deleted) is a change, but not a path to list.
                    if !path.is_empty() {
                        self.paths.insert(path);
                    }
                }
                PathClass::Head => self.head = true,
                PathClass::Index => self.git_index = true,
                PathClass::Refs => self.git_refs = true,
                PathClass::Ignored => {}
            },
        }
    }

    /// The change to deliver, or `None` if the burst held nothing a view shows.
    pub(crate) fn finish(self) -> Option<RepoChange> {
        let any_flag = self.worktree || self.head || self.git_index || self.git_refs;
        if !any_flag && !self.rescan {
            return None;
        }
        let paths_total = u32::try_from(self.paths.len()).unwrap_or(u32::MAX);
        Some(RepoChange {
            worktree: self.worktree || self.rescan,
            head: self.head || self.rescan,
            git_index: self.git_index || self.rescan,
            git_refs: self.git_refs || self.rescan,
            rescan: self.rescan,
            paths: self.paths.into_iter().take(PATHS_LIMIT).collect(),
            paths_total,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// Folds one batch of observations, as the delivery loop does for a burst.
    fn fold(batch: impl IntoIterator<Item = Observation>) -> Option<RepoChange> {
        let mut pending = PendingChange::default();
        batch
            .into_iter()
            .for_each(|observation| pending.add(observation));
        pending.finish()
    }

    #[test]
    fn the_typescript_type_is_plain_json() {
        // Doc comments aside, every field must be a JSON boolean, string or number (a `u64`
        // would become a `bigint`, which JSON cannot carry).
        let mut shape = RepoChange::inline(&ts_rs::Config::new());
        while let (Some(start), Some(end)) = (shape.find("/**"), shape.find("*/")) {
            shape.replace_range(start..end + 2, "");
        }
        shape.retain(|c| !c.is_whitespace());
        assert_eq!(
            shape,
            "{worktree:boolean,head:boolean,git_index:boolean,git_refs:boolean,rescan:boolean,\
             paths:Array<string>,paths_total:number,}"
        );
    }

    #[test]
    fn paths_are_classified_by_where_they_sit() {
        let table = [
            // Working tree, including names that only look like Git's.
            ("apps/api/deployment.yaml", PathClass::Worktree),
            ("README.md", PathClass::Worktree),
            ("charts/api/Chart.lock", PathClass::Worktree),
            ("HEAD", PathClass::Worktree),
            ("index", PathClass::Worktree),
            ("refs/heads/main", PathClass::Worktree),
            (".github/workflows/ci.yaml", PathClass::Worktree),
            (".gitignore", PathClass::Worktree),
            (".gitops/policy.yaml", PathClass::Worktree),
            ("", PathClass::Worktree),
            // The Git state views show.
            (".git/HEAD", PathClass::Head),
            (".git/index", PathClass::Index),
            (".git/packed-refs", PathClass::Refs),
            (".git/refs", PathClass::Refs),
            (".git/refs/heads/main", PathClass::Refs),
            (".git/refs/heads/feature/login", PathClass::Refs),
            (".git/refs/remotes/origin/main", PathClass::Refs),
            (".git/refs/tags/v1.4.2", PathClass::Refs),
            // Locks: about to change, not changed.
            (".git/HEAD.lock", PathClass::Ignored),
            (".git/index.lock", PathClass::Ignored),
            (".git/packed-refs.lock", PathClass::Ignored),
            (".git/refs/heads/main.lock", PathClass::Ignored),
            // Git's bookkeeping.
            (".git", PathClass::Ignored),
            (".git/objects/ab/cdef0123", PathClass::Ignored),
            (".git/objects/pack/pack-1.pack", PathClass::Ignored),
            (".git/logs/HEAD", PathClass::Ignored),
            (".git/logs/refs/heads/main", PathClass::Ignored),
            (".git/ORIG_HEAD", PathClass::Ignored),
            (".git/FETCH_HEAD", PathClass::Ignored),
            (".git/COMMIT_EDITMSG", PathClass::Ignored),
            (".git/config", PathClass::Ignored),
            (".git/hooks/pre-commit", PathClass::Ignored),
            (".git/index.stash.1234", PathClass::Ignored),
            // Someone else's repository inside ours.
            ("vendor/lib/.git/HEAD", PathClass::Ignored),
            ("vendor/lib/.git", PathClass::Ignored),
        ];
        for (path, expected) in table {
            assert_eq!(classify(path), expected, "classify({path:?})");
        }
    }

    #[test]
    fn event_paths_are_made_relative_with_forward_slashes() {
        let root = PathBuf::from("/home/ana/acme-gitops");
        let table: [(PathBuf, Option<&str>); 6] = [
            (
                root.join("apps").join("api").join("kustomization.yaml"),
                Some("apps/api/kustomization.yaml"),
            ),
            (root.join(".git").join("HEAD"), Some(".git/HEAD")),
            (root.clone(), Some("")),
            (PathBuf::from("/home/ana/acme-gitops-old/a.yaml"), None),
            (PathBuf::from("/home/ana/other/a.yaml"), None),
            (root.join("..").join("other"), None),
        ];
        for (path, expected) in table {
            assert_eq!(
                relative_path(&root, &path).as_deref(),
                expected,
                "relative_path({})",
                path.display()
            );
        }
    }

    fn seen(class: PathClass, path: &str) -> Observation {
        Observation::Path(class, path.to_string())
    }

    #[test]
    fn a_batch_of_ignored_paths_reports_nothing() {
        assert_eq!(fold([]), None);
        assert_eq!(
            fold([
                seen(PathClass::Ignored, ".git/objects/ab/cd"),
                seen(PathClass::Ignored, ".git/index.lock"),
            ]),
            None
        );
    }

    #[test]
    fn worktree_paths_are_sorted_and_deduplicated() {
        let change = fold([
            seen(PathClass::Worktree, "b.yaml"),
            seen(PathClass::Worktree, "a/x.yaml"),
            seen(PathClass::Worktree, "b.yaml"),
            seen(PathClass::Ignored, ".git/objects/ab/cd"),
        ])
        .unwrap();
        assert_eq!(
            change,
            RepoChange {
                worktree: true,
                head: false,
                git_index: false,
                git_refs: false,
                rescan: false,
                paths: vec!["a/x.yaml".to_string(), "b.yaml".to_string()],
                paths_total: 2,
            }
        );
    }

    #[test]
    fn git_state_sets_its_flags_and_lists_no_paths() {
        let change = fold([
            seen(PathClass::Index, ".git/index"),
            seen(PathClass::Refs, ".git/refs/heads/main"),
            seen(PathClass::Head, ".git/HEAD"),
        ])
        .unwrap();
        assert!(change.head && change.git_index && change.git_refs);
        assert!(!change.worktree && !change.rescan);
        assert_eq!((change.paths, change.paths_total), (vec![], 0));
    }

    #[test]
    fn a_large_batch_lists_the_first_paths_and_counts_all() {
        let batch = (0..3000)
            .rev()
            .map(|i| seen(PathClass::Worktree, &format!("apps/f{i:04}.yaml")));
        let change = fold(batch).unwrap();
        assert_eq!(change.paths_total, 3000);
        assert_eq!(change.paths.len(), PATHS_LIMIT);
        assert_eq!(change.paths.first().unwrap(), "apps/f0000.yaml");
        assert_eq!(change.paths.last().unwrap(), "apps/f0199.yaml");
    }

    #[test]
    fn the_root_itself_changes_the_worktree_without_a_path() {
        let change = fold([seen(PathClass::Worktree, "")]).unwrap();
        assert!(change.worktree);
        assert_eq!((change.paths, change.paths_total), (vec![], 0));
    }

    #[test]
    fn a_dropped_event_queue_marks_everything_stale() {
        let change = fold([seen(PathClass::Worktree, "a.yaml"), Observation::Rescan]).unwrap();
        assert!(change.rescan);
        assert!(change.worktree && change.head && change.git_index && change.git_refs);
        assert_eq!(change.paths, vec!["a.yaml".to_string()]);
    }
}
