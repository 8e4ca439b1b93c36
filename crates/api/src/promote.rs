//! Promoting workloads from one environment to the next as a change branch — with, when asked,
//! a maintenance on the status page in the same commit, so it is reviewed and lands with the
//! promotion. The working tree is not touched.

use crate::{ErrorCode, Problem, Result};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use wheelhouse_desired_state::edit::{self, Promotion};
use wheelhouse_desired_state::Workspace;
use wheelhouse_repo::{CommitSummary, Repository};
use wheelhouse_status::edit::NewMaintenance;
use wheelhouse_status::{Impact, Timestamp};

/// A maintenance to schedule with the promotion: its window, as local times in `time_zone` (the
/// status page's zone when absent). It covers the components that stand for the promoted
/// workloads in the target environments (`links` in components.yaml) and is titled after what
/// moves — decided here, for the app's dialog and the CLI's `--maintenance-from/--until` alike.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct MaintenanceWindow {
    pub start: String,
    pub end: String,
    pub time_zone: Option<String>,
}

/// A promotion asked for: `workloads` (all when empty) from `from` to `to` (an environment,
/// or every variant of a stage), the maintenance to schedule with it, and whether only to plan.
#[derive(Debug, Clone)]
pub struct PromotionRequest {
    pub from: String,
    pub to: String,
    pub workloads: Vec<String>,
    pub maintenance: Option<MaintenanceWindow>,
    pub dry_run: bool,
}

/// The change branch made for a promotion and its commit.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CreatedChange {
    pub branch: String,
    pub commit: CommitSummary,
}

/// A promotion planned, and the change made for it (none on a dry run or when nothing moves).
#[derive(Debug, Clone, Serialize)]
pub struct PromotionOutcome {
    pub promotion: Promotion,
    pub created: Option<CreatedChange>,
}

impl PromotionOutcome {
    /// The change made, or why there is none to review: nothing moves.
    pub fn require_created(self) -> Result<CreatedChange> {
        let Promotion { from, to, .. } = &self.promotion;
        let nothing = format!("Nothing to promote: {to} already runs what {from} runs.");
        self.created
            .ok_or_else(|| Problem::new(ErrorCode::InvalidInput, nothing))
    }
}

/// Plans moving `workloads` (all when empty) from `from` to `to` (an environment, or every
/// variant of a stage) without writing anything.
pub fn plan(ws: &Workspace, from: &str, to: &str, workloads: &[String]) -> Result<Promotion> {
    Ok(edit::plan_promotion(
        ws.state(),
        ws.snapshot(),
        from,
        to,
        workloads,
    )?)
}

/// Plans the promotion and, unless it is a dry run or nothing moves, commits it to its change
/// branch from HEAD, with the maintenance asked for in the same commit.
pub fn create(
    repo: &Repository,
    ws: &Workspace,
    request: PromotionRequest,
    now: Timestamp,
) -> Result<PromotionOutcome> {
    let PromotionRequest {
        from,
        to,
        workloads,
        maintenance,
        dry_run,
    } = request;
    let promotion = plan(ws, &from, &to, &workloads)?;
    if promotion.edits.is_empty() {
        return Ok(PromotionOutcome {
            promotion,
            created: None,
        });
    }
    let mut files: Vec<(String, String)> = promotion
        .edits
        .iter()
        .map(|e| (e.path.clone(), e.after.clone()))
        .collect();
    let mut message = promotion.message.clone();
    if let Some(window) = maintenance {
        let maintenance = maintenance_for(repo, &promotion, window)?;
        let (scheduled, sentence) =
            wheelhouse_status::save::plan_maintenance_files(repo.root(), maintenance, now)?;
        files.extend(scheduled);
        message.push_str(&format!("\n\n{sentence}"));
    }
    let created = if dry_run {
        None
    } else {
        let (branch, commit) = repo.commit_to_new_branch(&promotion.branch, &files, &message)?;
        Some(CreatedChange { branch, commit })
    };
    Ok(PromotionOutcome { promotion, created })
}

/// The maintenance for the components that stand for the promoted workloads in the targets.
fn maintenance_for(
    repo: &Repository,
    promotion: &Promotion,
    window: MaintenanceWindow,
) -> Result<NewMaintenance> {
    let MaintenanceWindow {
        start,
        end,
        time_zone,
    } = window;
    let (folder, dir) = wheelhouse_status::fs::status_dir(repo.root())?;
    let files = wheelhouse_status::fs::read_folder(&dir)?;
    let model = wheelhouse_status::load(&files).map_err(|errors| {
        let listed: Vec<String> = errors.iter().map(|e| format!("{folder}/{e}")).collect();
        Problem::new(ErrorCode::StatusInvalid, listed.join("\n"))
    })?;
    let workloads: Vec<String> = promotion
        .moves
        .iter()
        .filter_map(|m| m.split_whitespace().next().map(str::to_owned))
        .collect();
    let mut components: Vec<String> = Vec::new();
    for target in &promotion.targets {
        for c in wheelhouse_status::save::components_for(&model, target, &workloads) {
            if !components.contains(&c) {
                components.push(c);
            }
        }
    }
    let into = promotion.targets.join(", ");
    if components.is_empty() {
        return Err(Problem::new(
            ErrorCode::NoLinkedComponent,
            format!(
                "No status page component stands for {} in {into} (links: {{env, workloads}} in components.yaml); no maintenance to schedule.",
                workloads.join(", "),
            ),
        ));
    }
    let moves = promotion.moves.join(", ");
    Ok(NewMaintenance {
        title: format!("Deploying {moves} to {into}"),
        impact: Some(Impact::Minor),
        components,
        scheduled_for: start,
        scheduled_until: end,
        time_zone,
        body: format!("We are deploying {moves} to {into}. Short interruptions are possible."),
        description: String::new(),
    })
}
