//! Temp repositories, bare remotes and fixture builders shared by tests.
//!
//! Everything here builds real Git repositories on disk (in temp folders that vanish with the
//! value), with fixed authors and timestamps so assertions can be exact; [`http_server`] serves
//! them over loopback smart HTTP behind Basic auth. Not for production code.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub mod http_server;
pub mod probe;
pub mod smtp;
pub mod webhook;

pub use http_server::{AuthOutcome, GitHttpServer, RequestLog};

/// A non-bare repository in a temp folder, removed when dropped.
#[derive(Debug)]
pub struct TempRepo {
    dir: tempfile::TempDir,
    root: PathBuf,
}

/// Fixed time used by fixture commits: 2026-01-05T09:00:00Z, plus one minute per commit.
pub const FIXTURE_EPOCH: i64 = 1_767_603_600;

impl TempRepo {
    /// An initialised repository with no commits, on branch `main`.
    pub fn init() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("repo");
        std::fs::create_dir(&root).expect("create repo dir");
        let mut opts = git2::RepositoryInitOptions::new();
        opts.initial_head("main");
        git2::Repository::init_opts(&root, &opts).expect("git init");
        Self { dir, root }
    }

    /// A repository with one commit holding `files`.
    pub fn with_files(files: &[(&str, &str)]) -> Self {
        let repo = Self::init();
        repo.commit(files, "Initial commit");
        repo
    }

    pub fn path(&self) -> &Path {
        &self.root
    }

    /// A scratch folder beside the repository (same temp dir), for remotes and other fixtures.
    pub fn sibling(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn git(&self) -> git2::Repository {
        git2::Repository::open(&self.root).expect("open fixture repo")
    }

    /// The id of the commit HEAD is at.
    pub fn head_id(&self) -> String {
        let git = self.git();
        let id = git
            .head()
            .expect("a HEAD")
            .peel_to_commit()
            .expect("a commit")
            .id();
        id.to_string()
    }

    /// Writes `files` into the working tree, stages everything and commits on HEAD.
    pub fn commit(&self, files: &[(&str, &str)], message: &str) -> git2::Oid {
        for (path, content) in files {
            self.write(path, content);
        }
        let git = self.git();
        let mut index = git.index().expect("index");
        index
            .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
            .expect("add");
        index.write().expect("write index");
        let tree = git
            .find_tree(index.write_tree().expect("tree"))
            .expect("tree");
        let parents: Vec<git2::Commit<'_>> = git
            .head()
            .ok()
            .and_then(|h| h.peel_to_commit().ok())
            .into_iter()
            .collect();
        let count = count_commits(&git);
        let sig = git2::Signature::new(
            "Test Author",
            "author@example.com",
            &git2::Time::new(FIXTURE_EPOCH + 60 * count, 0),
        )
        .expect("signature");
        let parent_refs: Vec<&git2::Commit<'_>> = parents.iter().collect();
        git.commit(Some("HEAD"), &sig, &sig, message, &tree, &parent_refs)
            .expect("commit")
    }

    /// Writes one file in the working tree without staging it.
    pub fn write(&self, path: &str, content: &str) {
        let full = self.root.join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(full, content).expect("write file");
    }

    /// Creates a bare repository beside this one, adds it as remote `name` and pushes `main` to it
    /// with an upstream set, like `git push -u`.
    pub fn add_bare_remote(&self, name: &str) -> PathBuf {
        let bare = self.sibling(&format!("{name}.git"));
        let mut opts = git2::RepositoryInitOptions::new();
        opts.bare(true).initial_head("main");
        git2::Repository::init_opts(&bare, &opts).expect("init bare");
        let git = self.git();
        let mut remote = git
            .remote(name, &format!("file://{}", bare.display()))
            .expect("add remote");
        remote
            .push(&["refs/heads/main:refs/heads/main"], None)
            .expect("push");
        remote
            .fetch(&["refs/heads/*:refs/remotes/origin/*"], None, None)
            .expect("fetch");
        let mut branch = git
            .find_branch("main", git2::BranchType::Local)
            .expect("main");
        branch
            .set_upstream(Some(&format!("{name}/main")))
            .expect("upstream");
        bare
    }
}

fn count_commits(git: &git2::Repository) -> i64 {
    let Ok(mut walk) = git.revwalk() else {
        return 0;
    };
    if walk.push_head().is_err() {
        return 0;
    }
    walk.count() as i64
}

/// Every file under `root` with its bytes and modification time: compare two snapshots to prove
/// that an operation wrote nothing.
pub fn snapshot(root: &Path) -> BTreeMap<PathBuf, (Vec<u8>, std::time::SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap_or_default();
                out.insert(path, (bytes, meta.modified().expect("mtime")));
            }
        }
    }
    out
}

/// Runs the `git` command line in `repo` (as a user would, hooks and config included) and
/// returns its standard output; a failure fails the test with git's message.
pub fn git_cli(repo: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("git prints UTF-8")
}
