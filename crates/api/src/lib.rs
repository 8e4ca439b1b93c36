//! The use cases both faces call — an edit and its undo and redo, a promotion with the
//! maintenance it schedules, reviews (the target branch, approving with the set-up key, merging
//! and pushing, the signing set-up), a status page edit, sync and push with the approval notes —
//! so that the app's commands and the CLI's subcommands are each a
//! few lines that call one function here and show its answer.
//!
//! Every function takes the state it works on (the workspace, the repository, the edit history)
//! and the moment, and answers a value or a [`Problem`]: the code from the one list
//! (`wheelhouse_diagnostics`), the message, where. The faces hold the state between calls
//! (the app in its session, the CLI for one run) and never decide anything themselves.

mod committed;
pub mod edits;
pub mod monitor;
pub mod notify;
pub mod promote;
pub mod publish;
pub mod review;
mod smtp;
pub mod status;
pub mod sync;

pub use wheelhouse_diagnostics::{ErrorCode, ErrorReport, Problem};

pub type Result<T> = std::result::Result<T, Problem>;
