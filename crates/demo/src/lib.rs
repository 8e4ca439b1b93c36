//! Writes the Wheelhouse demo workspace: a realistic GitOps repository with history and a remote.
//!
//! [`create`] makes, inside an empty or new folder, `acme-gitops/` (a clone on `main`) and
//! `origin.git/` (its bare remote). The repository has a Kustomize base with dev, staging and prod
//! overlays for six workloads, Helm values per environment for one more, a Flux `HelmRelease`,
//! Wheelhouse policy, people and CODEOWNERS, a status page with incidents and a maintenance, and
//! thirty commits by five people. The remote holds one commit not yet pulled and one change branch
//! awaiting approval. Names and timestamps are fixed, so two demos have identical commit ids.
//!
//! Not for: test fixtures of other crates (use `wheelhouse-testsupport`); the demo is a product.

pub mod content;

use content::Shop;
use serde::Serialize;
use std::path::{Path, PathBuf};
use ts_rs::TS;
use wheelhouse_repo::ErrorCode;

pub use content::{ENVIRONMENTS, WORKLOADS};

/// Folder name of the demo repository inside the demo folder.
pub const REPO_DIR: &str = "acme-gitops";
/// Folder name of the bare remote inside the demo folder.
pub const ORIGIN_DIR: &str = "origin.git";
/// The change branch on the remote that awaits approval.
pub const CHANGE_BRANCH: &str = "change/promote-api-1.4.2-prod";

#[derive(Debug, Clone, Serialize, TS)]
pub struct DemoWorkspace {
    /// The repository to open.
    pub repo: String,
    /// Its bare `origin` remote.
    pub origin: String,
    pub commits: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{} already exists and is not empty. Choose a new folder for the demo; nothing was written.", .0.display())]
    NotEmpty(PathBuf),
    #[error("{} exists and is a file. Choose a folder path for the demo; nothing was written.", .0.display())]
    NotAFolder(PathBuf),
    #[error("Could not write the demo in {}: {source}. Nothing was left behind.", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("Could not build the demo's Git history: {}. Nothing was left behind.", .0.message())]
    Git(#[from] git2::Error),
}

wheelhouse_diagnostics::from_coded!(Error);

impl Error {
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::NotEmpty(_) => ErrorCode::DestinationNotEmpty,
            Error::NotAFolder(_) => ErrorCode::NotADirectory,
            Error::Io { .. } => ErrorCode::Io,
            Error::Git(_) => ErrorCode::Git,
        }
    }
}

/// Creates the demo in `dir`, which must not exist or be an empty folder.
///
/// The work happens in a temp folder inside `dir` and is moved into place at the end; on failure
/// nothing is left behind (and `dir` itself is removed again if this call created it).
pub fn create(dir: &Path) -> Result<DemoWorkspace, Error> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    let created_dir = match std::fs::metadata(dir) {
        Ok(meta) if !meta.is_dir() => return Err(Error::NotAFolder(dir.to_path_buf())),
        Ok(_) => {
            if std::fs::read_dir(dir).map_err(io(dir))?.next().is_some() {
                return Err(Error::NotEmpty(dir.to_path_buf()));
            }
            false
        }
        Err(_) => {
            std::fs::create_dir_all(dir).map_err(io(dir))?;
            true
        }
    };
    let result = build_into(dir);
    if result.is_err() && created_dir {
        let _ = std::fs::remove_dir_all(dir);
    }
    result
}

fn build_into(dir: &Path) -> Result<DemoWorkspace, Error> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    let staging = tempfile::Builder::new()
        .prefix(".wheelhouse-demo-")
        .tempdir_in(dir)
        .map_err(io(dir))?;
    let commits = build_history(staging.path())?;

    let repo = dir.join(REPO_DIR);
    let origin = dir.join(ORIGIN_DIR);
    std::fs::rename(staging.path().join(ORIGIN_DIR), &origin).map_err(io(&origin))?;
    std::fs::rename(staging.path().join(REPO_DIR), &repo).map_err(io(&repo))?;
    let origin = origin.canonicalize().map_err(io(&origin))?;
    let repo = repo.canonicalize().map_err(io(&repo))?;
    git2::Repository::open(&repo)?.remote_set_url("origin", &origin.display().to_string())?;
    tracing::info!(repo = %repo.display(), commits, "demo workspace created");
    Ok(DemoWorkspace {
        repo: repo.display().to_string(),
        origin: origin.display().to_string(),
        commits,
    })
}

#[derive(Clone, Copy)]
struct Person {
    name: &'static str,
    email: &'static str,
    offset_minutes: i32,
}

const MAYA: Person = Person {
    name: "Maya Chen",
    email: "maya.chen@acme.example",
    offset_minutes: 60,
};
const TOMAS: Person = Person {
    name: "Tomás Rivera",
    email: "tomas.rivera@acme.example",
    offset_minutes: -300,
};
const JONAS: Person = Person {
    name: "Jonas Berg",
    email: "jonas.berg@acme.example",
    offset_minutes: 60,
};
const PRIYA: Person = Person {
    name: "Priya Natarajan",
    email: "priya.natarajan@acme.example",
    offset_minutes: 330,
};
const AIKO: Person = Person {
    name: "Aiko Tanaka",
    email: "aiko.tanaka@acme.example",
    offset_minutes: 540,
};

/// 2026-10-01T07:00:00Z: the first demo commit.
const FIRST_COMMIT_UNIX: i64 = 1_790_838_000;
/// Commits are 31 hours apart: every hour of the day shows up, and thirty commits span six weeks.
const COMMIT_SPACING_SECONDS: i64 = 31 * 3600;

struct Writer {
    git: git2::Repository,
    shop: Shop,
    count: u32,
}

impl Writer {
    fn commit(
        &mut self,
        who: Person,
        message: &str,
        change: impl FnOnce(&mut Shop),
    ) -> Result<git2::Oid, Error> {
        change(&mut self.shop);
        let root = self
            .git
            .workdir()
            .expect("demo repo has a work tree")
            .to_path_buf();
        for (path, content) in self.shop.render() {
            let full = root.join(&path);
            if let Some(parent) = full.parent() {
                std::fs::create_dir_all(parent).map_err(|source| Error::Io {
                    path: parent.to_path_buf(),
                    source,
                })?;
            }
            std::fs::write(&full, content).map_err(|source| Error::Io { path: full, source })?;
        }
        let mut index = self.git.index()?;
        index.add_all(["*"], git2::IndexAddOption::DEFAULT, None)?;
        index.write()?;
        let tree = self.git.find_tree(index.write_tree()?)?;
        let when = git2::Time::new(
            FIRST_COMMIT_UNIX + COMMIT_SPACING_SECONDS * i64::from(self.count),
            who.offset_minutes,
        );
        let sig = git2::Signature::new(who.name, who.email, &when)?;
        let parent = self.git.head().ok().and_then(|h| h.peel_to_commit().ok());
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        let oid = self
            .git
            .commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)?;
        self.count += 1;
        Ok(oid)
    }
}

fn build_history(staging: &Path) -> Result<u32, Error> {
    let repo_path = staging.join(REPO_DIR);
    let origin_path = staging.join(ORIGIN_DIR);
    let mut init = git2::RepositoryInitOptions::new();
    init.initial_head("main");
    let git = git2::Repository::init_opts(&repo_path, &init)?;
    let mut bare = git2::RepositoryInitOptions::new();
    bare.bare(true).initial_head("main");
    git2::Repository::init_opts(&origin_path, &bare)?;

    let mut w = Writer {
        git,
        shop: Shop::default(),
        count: 0,
    };
    use content::*;

    w.commit(MAYA, "Initial layout: base and overlays for dev, staging and prod\n\nStarts with api and web; Argo CD syncs overlays/<env> into shop-<env>.", |s| {
        s.put("README.md", README);
        s.put(".wheelhouse/config.yaml", CONFIG);
        s.add_workload("api");
        s.add_workload("web");
    })?;
    w.commit(
        MAYA,
        "Add worker, payments, search and notifications to base",
        |s| {
            for name in ["worker", "payments", "search", "notifications"] {
                s.add_workload(name);
            }
        },
    )?;
    w.commit(TOMAS, "Add approval policy, CODEOWNERS and people", |s| {
        s.put(".wheelhouse/policy.yaml", POLICY);
        s.put(".wheelhouse/people.yaml", PEOPLE);
        s.put(".wheelhouse/allowed_signers", ALLOWED_SIGNERS);
        s.put(".github/CODEOWNERS", CODEOWNERS);
    })?;
    w.commit(JONAS, "Add ledger: Helm values per environment", |s| {
        s.put("helm/ledger/values.yaml", LEDGER_VALUES);
        for env in ENVIRONMENTS {
            s.put(
                &format!("helm/ledger/values-{env}.yaml"),
                ledger_env_values(env, "2.1.0", false),
            );
        }
    })?;
    w.commit(JONAS, "Add ingress-nginx HelmRelease for Flux", |s| {
        s.put(
            "infrastructure/ingress-nginx.yaml",
            ingress_release("4.11.3"),
        );
    })?;
    w.commit(MAYA, "Add status page: components in groups", |s| {
        s.put("status/page.yaml", STATUS_PAGE);
        s.put("status/components.yaml", status_components("operational"));
        s.put(
            "status/templates/slower-than-usual.md",
            STATUS_TEMPLATE_DEGRADED,
        );
        s.put(
            "status/templates/card-payments-failing.md",
            STATUS_TEMPLATE_PAYMENTS,
        );
    })?;
    w.commit(MAYA, "prod: patch api resources for production load", |s| {
        s.put("overlays/prod/api-resources.yaml", PROD_RESOURCES_PATCH);
    })?;
    w.commit(AIKO, "web 2.3.0 → dev", |s| {
        s.set_tag("dev", "web", "2.3.0")
    })?;
    w.commit(AIKO, "promote web 2.3.0 → staging", |s| {
        s.set_tag("staging", "web", "2.3.0")
    })?;
    w.commit(PRIYA, "payments 3.8.0 → dev", |s| {
        s.set_tag("dev", "payments", "3.8.0")
    })?;
    w.commit(
        JONAS,
        "Incident: elevated error rates on the public API",
        |s| {
            s.put(
                "status/incidents/2026-10-16-api-errors.md",
                INCIDENT_API_OPEN,
            );
        },
    )?;
    w.commit(
        JONAS,
        "prod: api replicas 3 → 4 to absorb the traffic spike",
        |s| s.set_replicas("prod", "api", 4),
    )?;
    w.commit(
        MAYA,
        "Incident resolved: API error rates, with postmortem",
        |s| {
            s.put(
                "status/incidents/2026-10-16-api-errors.md",
                INCIDENT_API_RESOLVED,
            );
        },
    )?;
    w.commit(PRIYA, "promote payments 3.8.0 → staging", |s| {
        s.set_tag("staging", "payments", "3.8.0")
    })?;
    w.commit(TOMAS, "promote web 2.3.0 → prod", |s| {
        s.set_tag("prod", "web", "2.3.0")
    })?;
    w.commit(AIKO, "dev: debug logging and the new cart for api", |s| {
        s.put("overlays/dev/api-debug.yaml", DEV_DEBUG_PATCH);
    })?;
    w.commit(PRIYA, "ledger: enable the read replica in staging", |s| {
        s.put(
            "helm/ledger/values-staging.yaml",
            ledger_env_values("staging", "2.1.0", true),
        );
    })?;
    w.commit(JONAS, "ingress-nginx 4.11.3 → 4.11.5", |s| {
        s.put(
            "infrastructure/ingress-nginx.yaml",
            ingress_release("4.11.5"),
        );
    })?;
    w.commit(TOMAS, "promote payments 3.8.0 → prod", |s| {
        s.set_tag("prod", "payments", "3.8.0")
    })?;
    w.commit(
        MAYA,
        "Incident: card payments failing for some customers",
        |s| {
            s.put(
                "status/incidents/2026-10-27-card-payments.md",
                INCIDENT_PAYMENTS_OPEN,
            );
        },
    )?;
    w.commit(PRIYA, "hotfix payments 3.8.1 → dev, staging", |s| {
        s.set_tag("dev", "payments", "3.8.1");
        s.set_tag("staging", "payments", "3.8.1");
    })?;
    w.commit(TOMAS, "promote payments 3.8.1 → prod", |s| {
        s.set_tag("prod", "payments", "3.8.1")
    })?;
    w.commit(
        MAYA,
        "Incident resolved: card payments, with postmortem",
        |s| {
            s.put(
                "status/incidents/2026-10-27-card-payments.md",
                INCIDENT_PAYMENTS_RESOLVED,
            );
        },
    )?;
    w.commit(
        JONAS,
        "prod: worker memory limit 768Mi → 1536Mi for the stock sync",
        |s| {
            s.put("overlays/prod/worker-memory.yaml", PROD_WORKER_PATCH);
        },
    )?;
    w.commit(
        JONAS,
        "Schedule maintenance: database upgrade on 3 December",
        |s| {
            s.put(
                "status/maintenances/2026-12-03-database-upgrade.md",
                MAINTENANCE_DB,
            );
        },
    )?;
    w.commit(AIKO, "notifications 0.9.0 → dev", |s| {
        s.set_tag("dev", "notifications", "0.9.0")
    })?;
    w.commit(AIKO, "api 1.4.2 → dev", |s| {
        s.set_tag("dev", "api", "1.4.2")
    })?;
    w.commit(JONAS, "Incident: search results updating slowly", |s| {
        s.put(
            "status/incidents/2026-11-05-search-indexing.md",
            INCIDENT_SEARCH,
        );
        s.put(
            "status/components.yaml",
            status_components("degraded_performance"),
        );
    })?;
    w.commit(PRIYA, "promote api 1.4.2 → staging", |s| {
        s.set_tag("staging", "api", "1.4.2")
    })?;
    let main_tip = w.commit(TOMAS, "policy: freeze prod over the holidays", |s| {
        s.put(
            ".wheelhouse/policy.yaml",
            format!("{POLICY}{POLICY_FREEZE}"),
        );
    })?;

    // A teammate's commit that reached origin but not this clone.
    let shop_at_main = w.shop.clone();
    let incoming = w.commit(
        JONAS,
        "search 1.12.1 → dev: faster incremental indexing",
        |s| s.set_tag("dev", "search", "1.12.1"),
    )?;

    // A change branch awaiting approval, branched from the local tip.
    w.git.set_head_detached(main_tip)?;
    w.git
        .checkout_head(Some(git2::build::CheckoutBuilder::new().force()))?;
    let mut change = Writer {
        git: git2::Repository::open(&repo_path)?,
        shop: shop_at_main,
        count: w.count,
    };
    let change_tip = change.commit(
        PRIYA,
        "promote api 1.4.2 → prod\n\nstaging has run 1.4.2 for two days without errors.",
        |s| s.set_tag("prod", "api", "1.4.2"),
    )?;
    let total = change.count;

    let git = &w.git;
    git.reference("refs/heads/main", incoming, true, "demo: incoming commit")?;
    git.reference(
        &format!("refs/heads/{CHANGE_BRANCH}"),
        change_tip,
        true,
        "demo: change branch",
    )?;
    let mut remote = git.remote("origin", &origin_path.display().to_string())?;
    remote.push(
        &[
            "refs/heads/main:refs/heads/main",
            &format!("refs/heads/{CHANGE_BRANCH}:refs/heads/{CHANGE_BRANCH}"),
        ],
        None,
    )?;
    remote.fetch(&["+refs/heads/*:refs/remotes/origin/*"], None, None)?;

    // Back to the local state: main one commit behind origin/main, the change only on the remote.
    git.reference("refs/heads/main", main_tip, true, "demo: local main")?;
    git.find_branch(CHANGE_BRANCH, git2::BranchType::Local)?
        .delete()?;
    git.set_head("refs/heads/main")?;
    git.checkout_head(Some(git2::build::CheckoutBuilder::new().force()))?;
    git.find_branch("main", git2::BranchType::Local)?
        .set_upstream(Some("origin/main"))?;
    Ok(total)
}
