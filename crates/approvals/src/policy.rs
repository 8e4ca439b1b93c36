//! The policy engine: what a change needs before it may merge, and whether it has it.
//!
//! It reads three files from the **target branch** (never from the change itself):
//! `.wheelhouse/policy.yaml` ([`Policy::parse`]), `.wheelhouse/people.yaml` ([`People::parse`])
//! and `CODEOWNERS` ([`Codeowners::parse`]; [`codeowners_location`] picks which one). Then
//! [`evaluate`] judges a [`Change`] and its [`Approval`]s at a given time and returns a
//! [`Verdict`]: one overall state, a sentence for people, and per rule who counted, who did not
//! and why.
//!
//! [`evaluate`] is a pure function of plain values. Reading files from Git, verifying signatures
//! against `allowed_signers` and computing field changes from the resolved desired state happen
//! elsewhere; their results arrive here as [`SignatureState`], [`FieldChange`] and the change's
//! content id.
//!
//! How a change is judged:
//! 1. A rule applies when any changed path matches its globs, or — for a rule naming
//!    `environments` — when the change alters what one of them renders (narrowed by
//!    `workloads`/`fields`), whatever file it touches; a change that edits what defines
//!    environments or who approves applies every environment rule. Every applicable rule must
//!    be satisfied; each says why it applies, and each rule that does not, why not. CODEOWNERS adds one implicit rule per matched entry (last match wins within each
//!    section): 1 approval from the owners, N for a GitLab `[Section][N]`, none for `^[Section]`.
//! 2. An approval counts only for the head it approved, or for any head with the same content id
//!    (a rebase without content changes keeps approvals); `dismiss_stale_approvals: false` keeps
//!    stale approvals.
//! 3. A signature that is present but does not verify, or that was made by a key of someone else
//!    than the claimed approver, never counts. With `require_signatures: true` only valid
//!    signatures whose principal is the approver's email count.
//! 4. The author never counts unless the rule says `allow_author: true`.
//! 5. Each person counts once per rule; their latest record wins, and a latest
//!    `request_changes` makes the change [`VerdictState::ChangesRequested`].
//! 6. `auto_approve` satisfies a rule without people when every criterion holds; the verdict says
//!    which.
//! 7. An active freeze window on a changed path, or on an environment the change alters,
//!    blocks the change whatever its approvals; so does a head that does not render.
//! 8. **Policy files are protected**: a change touching [`POLICY_FILES`] or a CODEOWNERS location
//!    also needs the approvals of the strictest rule (policy rule or CODEOWNERS entry) covering
//!    any of those files — never fewer than 1, never the author's, never automatic — or, when no
//!    rule covers them, 1 approval from anyone but the author.
//!
//! Not for: reading Git, verifying signatures, merging.

mod change;
mod codeowners;
mod error;
mod evaluate;
mod glob;
mod people;
mod policy_file;
mod verdict;
mod when;

pub use change::{
    Approval, Change, EnvironmentTouch, FieldChange, FieldKind, Identity, ReviewStatus,
    SignatureState,
};
pub use codeowners::{codeowners_location, Codeowners, CodeownersMatch, CODEOWNERS_LOCATIONS};
pub use error::{PolicyError, PolicyErrorCode};
pub use evaluate::{evaluate, POLICY_FILES};
pub use glob::PathGlob;
pub use people::{People, Person, PersonRef};
pub use policy_file::{AutoApprove, Check, FreezeWindow, Policy, Rule, Settings};
pub use verdict::{
    CountedApproval, FreezeInfo, IgnoreReason, IgnoredApproval, NotApplied, RuleSource,
    RuleVerdict, Verdict, VerdictState,
};
pub use when::format_utc;
