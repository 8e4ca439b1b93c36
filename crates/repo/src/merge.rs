//! Merging a reviewed change into its target branch: a merge commit (the default) or a
//! fast-forward. Deciding whether the change may be merged is the approvals crate's; this is the
//! Git part only, and it never touches a working tree that is not on the target or not clean.

use crate::overview::summarize;
use crate::{CommitSummary, Error, Repository};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How a change lands on its target (`settings.merge` in `.wheelhouse/policy.yaml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum MergeStrategy {
    /// A merge commit whose message carries the `Reviewed-by:` trailers.
    #[default]
    MergeCommit,
    /// The target moves to the change's head when it is an ancestor of it (no new commit; the
    /// approvals stay in the notes, where `verify` finds them). Refused otherwise.
    FastForward,
}

impl Repository {
    /// Lands commit `head` on the local branch `target` by `strategy`; `message` is the merge
    /// commit's (unused for a fast-forward). Refuses conflicts and impossible fast-forwards with
    /// nothing changed. The working tree follows only when `target` is checked out (a safe
    /// checkout: local edits are never overwritten).
    pub fn merge_into(
        &self,
        target: &str,
        head: &str,
        message: &str,
        strategy: MergeStrategy,
    ) -> Result<CommitSummary, Error> {
        let git = self.git();
        let err = |e| self.git_error(e);
        let target_ref = format!("refs/heads/{target}");
        let target_commit = git
            .find_reference(&target_ref)
            .and_then(|r| r.peel_to_commit())
            .map_err(err)?;
        let head_oid = git2::Oid::from_str(head).map_err(|_| Error::CommitNotFound {
            id: head.to_owned(),
        })?;
        let head_commit = git
            .find_commit(head_oid)
            .map_err(|_| Error::CommitNotFound {
                id: head.to_owned(),
            })?;
        let landed = match strategy {
            MergeStrategy::FastForward => {
                let ancestor = target_commit.id() == head_oid
                    || git
                        .graph_descendant_of(head_oid, target_commit.id())
                        .map_err(err)?;
                if !ancestor {
                    return Err(Error::NotFastForward {
                        target: target.to_owned(),
                    });
                }
                head_oid
            }
            MergeStrategy::MergeCommit => {
                let mut index = git
                    .merge_commits(&target_commit, &head_commit, None)
                    .map_err(err)?;
                if index.has_conflicts() {
                    let paths = index
                        .conflicts()
                        .map_err(err)?
                        .filter_map(Result::ok)
                        .filter_map(|c| c.our.or(c.their))
                        .map(|e| String::from_utf8_lossy(&e.path).into_owned())
                        .collect();
                    return Err(Error::MergeConflict {
                        target: target.to_owned(),
                        paths,
                    });
                }
                let tree = git
                    .find_tree(index.write_tree_to(git).map_err(err)?)
                    .map_err(err)?;
                let sig = self.signature()?;
                git.commit(
                    None,
                    &sig,
                    &sig,
                    message,
                    &tree,
                    &[&target_commit, &head_commit],
                )
                .map_err(err)?
            }
        };
        let landed_commit = git.find_commit(landed).map_err(err)?;
        let head_is_target =
            git.head().ok().and_then(|h| h.name().map(str::to_owned)) == Some(target_ref.clone());
        if head_is_target {
            let mut checkout = git2::build::CheckoutBuilder::new();
            checkout.safe();
            let tree = landed_commit.tree().map_err(err)?;
            git.checkout_tree(tree.as_object(), Some(&mut checkout))
                .map_err(err)?;
        }
        let reflog = match strategy {
            MergeStrategy::MergeCommit => "wheelhouse: merge change",
            MergeStrategy::FastForward => "wheelhouse: fast-forward to change",
        };
        git.reference(&target_ref, landed, true, reflog)
            .map_err(err)?;
        Ok(summarize(&landed_commit))
    }
}
