//! Approval policy as code, signed approval records in Git, and the verdict on a change.
//!
//! [`policy`] reads `.wheelhouse/policy.yaml`, `.wheelhouse/people.yaml` and `CODEOWNERS` and
//! decides, as a pure function of (policy, people, signers, change, approvals, time), what a change
//! needs and whether it has it. [`signing`] signs and verifies approval records with SSH keys
//! (SSHSIG, interoperable with `ssh-keygen -Y`), loaded from a file or held by the SSH agent
//! ([`agent`]), as [`key`] chooses. [`notes`] stores records as git notes compatible with git-appraise.
//! What the app and the CLI decide alike about reviews (target branch, signing key, push after a
//! merge) is in `wheelhouse-api`'s `review`.

pub mod agent;
pub mod key;
pub mod notes;
pub mod policy;
pub mod review;
pub mod signing;
