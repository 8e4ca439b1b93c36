//! A branch of generated files beside the project's own history (the published status page's
//! `status-pages`): each publish is one commit whose tree is exactly the files given, on top of
//! the branch as it is here or on the remote, whichever is ahead — never forced over commits it
//! does not have.

use crate::{Error, Repository};
use std::collections::BTreeMap;

/// A commit of source material, as a publish names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceCommit {
    pub id: String,
    pub summary: String,
    /// Committer time, Unix seconds: the moment a publish shows unless told otherwise.
    pub time_unix: i64,
}

/// What [`Repository::commit_pages`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagesCommit {
    /// The tree of the files given: the same files give the same id, wherever they are built.
    pub tree: String,
    /// The branch's commit afterwards (the new one, or the one it was when nothing changed);
    /// none for a dry run that would make one.
    pub commit: Option<String>,
    /// The commit the new one follows; none for the first publish.
    pub parent: Option<String>,
    /// Nothing to commit: the branch's tree already holds exactly these files.
    pub unchanged: bool,
    /// Files added, changed or removed against the parent's tree, sorted.
    pub changed: Vec<PagesFileChange>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagesFileChange {
    pub path: String,
    /// `added`, `modified` or `deleted`.
    pub kind: &'static str,
}

/// The last commit of a pages branch, as the app shows the last publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagesTip {
    pub commit: String,
    pub time_unix: i64,
    pub message: String,
    /// Whether the remote's branch (as last fetched) holds this commit; none without a remote
    /// branch to compare with.
    pub on_remote: Option<bool>,
}

impl Repository {
    /// The last commit of `branch` here, and whether `remote`'s copy holds it; none before the
    /// first publish.
    pub fn pages_tip(&self, branch: &str, remote: Option<&str>) -> Result<Option<PagesTip>, Error> {
        let git = self.git();
        let err = |e| self.git_error(e);
        let Ok(local) = git.refname_to_id(&format!("refs/heads/{branch}")) else {
            return Ok(None);
        };
        let commit = git.find_commit(local).map_err(err)?;
        let theirs = remote.and_then(|r| {
            git.refname_to_id(&format!("refs/remotes/{r}/{branch}"))
                .ok()
        });
        let on_remote = match theirs {
            Some(t) => Some(t == local || git.graph_descendant_of(t, local).map_err(err)?),
            None => None,
        };
        let time_unix = commit.committer().when().seconds();
        Ok(Some(PagesTip {
            commit: local.to_string(),
            time_unix,
            message: commit.message().unwrap_or_default().to_owned(),
            on_remote,
        }))
    }

    /// The id of what `path` (a file or a folder) holds at `rev`; none when it holds nothing.
    pub fn path_id(&self, rev: &str, path: &str) -> Result<Option<String>, Error> {
        let git = self.git();
        let commit = git
            .revparse_single(rev)
            .and_then(|o| o.peel_to_commit())
            .map_err(|_| Error::CommitNotFound { id: rev.to_owned() })?;
        let tree = commit.tree().map_err(|e| self.git_error(e))?;
        Ok(tree
            .get_path(std::path::Path::new(path))
            .ok()
            .map(|e| e.id().to_string()))
    }

    /// The commit `rev` names (a branch, a tag, an id, `HEAD`).
    pub fn source_commit(&self, rev: &str) -> Result<SourceCommit, Error> {
        let git = self.git();
        let commit = git
            .revparse_single(rev)
            .and_then(|o| o.peel_to_commit())
            .map_err(|_| Error::CommitNotFound { id: rev.to_owned() })?;
        let time_unix = commit.committer().when().seconds();
        Ok(SourceCommit {
            id: commit.id().to_string(),
            summary: commit.summary().unwrap_or_default().to_owned(),
            time_unix,
        })
    }

    /// The remote a publish pushes to: the current branch's upstream remote, else `origin`.
    pub fn publish_remote(&self) -> Result<String, Error> {
        if let Ok((_, _, remote)) = self.upstream_remote() {
            return Ok(remote);
        }
        match self.git().find_remote("origin") {
            Ok(_) => Ok("origin".to_owned()),
            Err(_) => Err(Error::InvalidInput {
                message: "This repository has no remote to publish to (no upstream and no origin). Add one, or publish without --push.".into(),
            }),
        }
    }

    /// Commits exactly `files` (path → bytes) as the next commit of `branch`. The commit follows
    /// the branch here or `remote/branch`, whichever contains the other (fetch first to see
    /// the remote's); when they have diverged nothing is written. No commit is made when the
    /// tree would be the same as the branch's. A dry run compares and moves nothing (the
    /// tree's objects are written; nothing refers to them).
    pub fn commit_pages(
        &self,
        branch: &str,
        remote: Option<&str>,
        files: &BTreeMap<String, Vec<u8>>,
        message: &str,
        dry_run: bool,
    ) -> Result<PagesCommit, Error> {
        self.commit_files(branch, remote, files, message, dry_run, None)
    }

    /// As [`Repository::commit_pages`], except that when the commit the new one would follow is
    /// one `replaces` accepts (by its message) the new commit takes its place: it gets that
    /// commit's parents, and the branch here moves to it although it is not a fast-forward. For
    /// a branch of records whose next commit holds everything the replaced one held (the
    /// monitors' history keeps one commit a day); push it with [`Repository::push_branch_leased`].
    pub fn commit_pages_replacing(
        &self,
        branch: &str,
        remote: Option<&str>,
        files: &BTreeMap<String, Vec<u8>>,
        message: &str,
        replaces: &dyn Fn(&str) -> bool,
    ) -> Result<PagesCommit, Error> {
        self.commit_files(branch, remote, files, message, false, Some(replaces))
    }

    fn commit_files(
        &self,
        branch: &str,
        remote: Option<&str>,
        files: &BTreeMap<String, Vec<u8>>,
        message: &str,
        dry_run: bool,
        replaces: Option<&dyn Fn(&str) -> bool>,
    ) -> Result<PagesCommit, Error> {
        let git = self.git();
        let err = |e| self.git_error(e);
        let refname = format!("refs/heads/{branch}");
        if !git2::Reference::is_valid_name(&refname) {
            return Err(Error::InvalidInput {
                message: format!("\"{branch}\" is not a valid branch name. Nothing was published."),
            });
        }
        if git.head().ok().and_then(|h| h.name().map(str::to_owned)) == Some(refname.clone()) {
            return Err(Error::InvalidInput {
                message: format!("{branch} is checked out here; publishing would change the working tree under you. Check out another branch first. Nothing was published."),
            });
        }
        let local = git.refname_to_id(&refname).ok();
        let theirs = remote.and_then(|r| {
            git.refname_to_id(&format!("refs/remotes/{r}/{branch}"))
                .ok()
        });
        let parent = match (local, theirs) {
            (None, None) => None,
            (Some(l), None) => Some(l),
            (None, Some(t)) => Some(t),
            (Some(l), Some(t)) if l == t || git.graph_descendant_of(l, t).map_err(err)? => Some(l),
            (Some(l), Some(t)) if git.graph_descendant_of(t, l).map_err(err)? => Some(t),
            (Some(_), Some(_)) => {
                return Err(Error::BranchDiverged {
                    branch: branch.to_owned(),
                    remote: remote.unwrap_or_default().to_owned(),
                })
            }
        };
        let tree_id = write_tree(git, files).map_err(err)?;
        let tree = git.find_tree(tree_id).map_err(err)?;
        let parent_commit = match parent {
            Some(p) => Some(git.find_commit(p).map_err(err)?),
            None => None,
        };
        let parent_tree = match &parent_commit {
            Some(c) => Some(c.tree().map_err(err)?),
            None => None,
        };
        let changed = changes(git, parent_tree.as_ref(), &tree).map_err(err)?;
        if let (Some(p), Some(pt)) = (&parent_commit, &parent_tree) {
            if pt.id() == tree_id {
                // Already published; the branch here catches up with the remote's if behind.
                if local != Some(p.id()) && !dry_run {
                    self.move_branch(&refname, local, p.id())?;
                }
                return Ok(PagesCommit {
                    tree: tree_id.to_string(),
                    commit: Some(p.id().to_string()),
                    parent: p.parent_ids().next().map(|id| id.to_string()),
                    unchanged: true,
                    changed,
                });
            }
        }
        if dry_run {
            return Ok(PagesCommit {
                tree: tree_id.to_string(),
                commit: None,
                parent: parent.map(|p| p.to_string()),
                unchanged: false,
                changed,
            });
        }
        let signature = self
            .signature()
            .or_else(|_| git2::Signature::now("Wheelhouse", "wheelhouse@localhost").map_err(err))?;
        let replaced = match (&parent_commit, replaces) {
            (Some(p), Some(replaces)) => replaces(p.message().unwrap_or_default()),
            _ => false,
        };
        let parents: Vec<git2::Commit<'_>> = match &parent_commit {
            Some(p) if replaced => p.parents().collect(),
            Some(p) => vec![p.clone()],
            None => Vec::new(),
        };
        let parents: Vec<&git2::Commit<'_>> = parents.iter().collect();
        let commit = git
            .commit(None, &signature, &signature, message, &tree, &parents)
            .map_err(err)?;
        self.move_branch(&refname, local, commit)?;
        tracing::info!(%branch, %commit, tree = %tree_id, "pages committed");
        Ok(PagesCommit {
            tree: tree_id.to_string(),
            commit: Some(commit.to_string()),
            parent: parent.map(|p| p.to_string()),
            unchanged: false,
            changed,
        })
    }

    /// Whether `commit` is `ancestor` or comes after it.
    pub fn descends_from(&self, commit: &str, ancestor: &str) -> Result<bool, Error> {
        let git = self.git();
        let id = |rev: &str| {
            git.revparse_single(rev)
                .and_then(|o| o.peel_to_commit())
                .map(|c| c.id())
                .map_err(|_| Error::CommitNotFound { id: rev.to_owned() })
        };
        let (c, a) = (id(commit)?, id(ancestor)?);
        Ok(c == a
            || git
                .graph_descendant_of(c, a)
                .map_err(|e| self.git_error(e))?)
    }

    /// Moves `branch` here to `remote`'s copy (as last fetched), from where it is. For a branch
    /// of generated files whose next commit already holds what the branch had here (the
    /// monitors' history, merged hour by hour); never for work.
    pub fn follow_remote_branch(&self, branch: &str, remote: &str) -> Result<(), Error> {
        let git = self.git();
        let err = |e| self.git_error(e);
        let refname = format!("refs/heads/{branch}");
        let theirs = git
            .refname_to_id(&format!("refs/remotes/{remote}/{branch}"))
            .map_err(err)?;
        let local = git.refname_to_id(&refname).ok();
        self.move_branch(&refname, local, theirs)
    }

    /// Moves `refname` from `expected` (none: it must not exist) to `to`, refusing when someone
    /// else moved it in between.
    fn move_branch(
        &self,
        refname: &str,
        expected: Option<git2::Oid>,
        to: git2::Oid,
    ) -> Result<(), Error> {
        let git = self.git();
        let result = match expected {
            Some(old) => git
                .reference_matching(refname, to, true, old, "wheelhouse: publish")
                .map(|_| ()),
            None => git
                .reference(refname, to, false, "wheelhouse: publish")
                .map(|_| ()),
        };
        result.map_err(|e| self.git_error(e))
    }

    /// Pushes `branch` to `remote` as it is here, never forced: a remote that has commits this
    /// branch lacks refuses it. The remote-tracking branch follows, as with `git push`.
    pub fn push_branch(
        &self,
        remote: &str,
        branch: &str,
        net: &mut crate::network::Network<'_>,
    ) -> Result<(), Error> {
        let refname = format!("refs/heads/{branch}");
        self.push_refspecs_to(remote, &[&format!("{refname}:{refname}")], net)?;
        self.track_pushed(remote, branch)
    }

    /// Pushes `branch` to `remote` whether or not it is a fast-forward — but only while the
    /// remote's branch is still `expected` (none: it must not exist there yet), as last fetched:
    /// a lease, so a commit someone else pushed in between is never dropped (the push is
    /// refused, and nothing changes there). For a branch [`Repository::commit_pages_replacing`]
    /// wrote.
    pub fn push_branch_leased(
        &self,
        remote: &str,
        branch: &str,
        expected: Option<&str>,
        net: &mut crate::network::Network<'_>,
    ) -> Result<(), Error> {
        let refname = format!("refs/heads/{branch}");
        let expected = match expected {
            Some(id) => git2::Oid::from_str(id).map_err(|e| self.git_error(e))?,
            None => git2::Oid::zero(),
        };
        self.push_refspecs_leased(
            remote,
            &[&format!("+{refname}:{refname}")],
            Some((&refname, expected)),
            net,
        )?;
        self.track_pushed(remote, branch)
    }

    /// Sets `remote/branch` here to what was just pushed.
    fn track_pushed(&self, remote: &str, branch: &str) -> Result<(), Error> {
        let refname = format!("refs/heads/{branch}");
        let git = self.git();
        let local = git.refname_to_id(&refname).map_err(|e| self.git_error(e))?;
        git.reference(
            &format!("refs/remotes/{remote}/{branch}"),
            local,
            true,
            "wheelhouse: push",
        )
        .map_err(|e| self.git_error(e))?;
        Ok(())
    }
}

/// The tree of exactly `files`, every one a plain file (mode 644), written to the object store.
fn write_tree(
    git: &git2::Repository,
    files: &BTreeMap<String, Vec<u8>>,
) -> Result<git2::Oid, git2::Error> {
    let mut index = git2::Index::new()?;
    for (path, bytes) in files {
        let entry = git2::IndexEntry {
            ctime: git2::IndexTime::new(0, 0),
            mtime: git2::IndexTime::new(0, 0),
            dev: 0,
            ino: 0,
            mode: 0o100644,
            uid: 0,
            gid: 0,
            file_size: bytes.len() as u32,
            id: git.blob(bytes)?,
            flags: 0,
            flags_extended: 0,
            path: path.as_bytes().to_vec(),
        };
        index.add(&entry)?;
    }
    index.write_tree_to(git)
}

fn changes(
    git: &git2::Repository,
    before: Option<&git2::Tree<'_>>,
    after: &git2::Tree<'_>,
) -> Result<Vec<PagesFileChange>, git2::Error> {
    let diff = git.diff_tree_to_tree(before, Some(after), None)?;
    let mut out: Vec<PagesFileChange> = diff
        .deltas()
        .filter_map(|d| {
            let kind = match d.status() {
                git2::Delta::Added => "added",
                git2::Delta::Deleted => "deleted",
                _ => "modified",
            };
            let file = if d.status() == git2::Delta::Deleted {
                d.old_file()
            } else {
                d.new_file()
            };
            Some(PagesFileChange {
                path: file.path()?.to_str()?.replace('\\', "/"),
                kind,
            })
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}
