//! The one list of error codes that every crate and both faces report — each with a title and a
//! hint for people — and the located [`Problem`] that errors convert into.
//!
//! Consumers (the UI, scripts reading `--json`) match on the code, never on a message. A code is
//! added at the end and never changes meaning; `as_str` is its name on the wire, the same as its
//! serde name (a test walks the list and checks both, and that each has a title and a hint).

use serde::Serialize;
use ts_rs::TS;

/// The stable code of every error the app and the CLI report.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    TS,
    strum::EnumIter,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ErrorCode {
    PathNotFound,
    NotADirectory,
    NotARepository,
    BareRepository,
    EmptyRepository,
    NoCommits,
    NoRepositoryOpen,
    DestinationNotEmpty,
    InvalidInput,
    Git,
    Io,
    AuthRequired,
    CloneFailed,
    AuthFailed,
    Cancelled,
    RemoteUnreachable,
    NotAGitRemote,
    InvalidUrl,
    IndexLocked,
    OperationInProgress,
    IdentityMissing,
    PathOutsideRepository,
    RevertConflict,
    CommitNotFound,
    NothingToCommit,
    PushRejected,
    DetachedHead,
    NoUpstream,
    FileChanged,
    UpdateBlocked,
    KeyringUnavailable,
    NotEditable,
    MergeConflict,
    NotFastForward,
    /// A signature did not verify (a release feed not signed by the configured key).
    BadSignature,
    /// A feature is off until it is configured (update checks without a release feed).
    NotConfigured,
    // --- Editing desired state and files.
    UnknownEnvironment,
    UnknownWorkload,
    InvalidValue,
    InvalidYaml,
    InvalidFile,
    MissingFile,
    /// A construct the format-preserving editor does not change (an alias, a flow list…).
    Unsupported,
    /// The edit would have written text that does not read back as intended: a bug, reported
    /// instead of writing a damaged file.
    Internal,
    // --- The credential store and the watcher.
    KeyringFailed,
    WatchLimitReached,
    WatchFailed,
    // --- Signing keys and the ssh-agent.
    KeyUnreadable,
    NotAPrivateKey,
    PassphraseRequired,
    WrongPassphrase,
    UnsupportedEncryption,
    KeyLocked,
    UnsupportedKey,
    SigningFailed,
    NoSigningKey,
    InvalidPublicKey,
    AgentUnavailable,
    KeyNotInAgent,
    AgentRefused,
    // --- Approval records and reviews.
    InvalidRecord,
    InvalidRef,
    ConcurrentUpdate,
    NotesFailed,
    MergeNotAllowed,
    PolicyNotSatisfied,
    InvalidGlob,
    InvalidCodeowners,
    // --- The status page.
    UnknownComponent,
    UnknownIncident,
    UnknownMaintenance,
    UnknownTemplate,
    UnknownStatus,
    InvalidPosition,
    InvalidTime,
    InvalidTimeZone,
    InvalidFrontMatter,
    UpdateBeforeStart,
    UpdateBeforePrevious,
    OverlappingMaintenance,
    DuplicateComponent,
    InvalidTransition,
    StatusInvalid,
    NoLinkedComponent,
    // --- Importing a status page.
    PathOutsideSource,
    InvalidSource,
    DestinationExists,
    // --- Checks the CLI runs for CI.
    NotFound,
    CheckFailed,
    ValidationFailed,
    /// The render disagrees with `kubectl kustomize`.
    Disagreement,
    // --- What reading the desired state found (shown beside the matrix; warnings).
    /// Something the reconciler evaluates that Wheelhouse does not (a chart, a variable from
    /// the cluster): the value is shown as written or left out, never guessed.
    NotEvaluated,
    /// An entry that changes nothing (a patch or an image rule that matches no resource).
    NoEffect,
    /// A field Wheelhouse does not know in a file it reads.
    UnknownField,
    /// A status notification was not delivered (recorded as failed; the next run retries it).
    DeliveryFailed,
    /// A monitor's check failed (recorded; past its threshold the monitor counts as down).
    MonitorFailing,
}

impl ErrorCode {
    /// The code as it appears on the wire and in `--json` output (`path_not_found`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Every code, in the order they were added.
    pub fn all() -> impl Iterator<Item = ErrorCode> {
        <ErrorCode as strum::IntoEnumIterator>::iter()
    }

    /// A short heading for people: what went wrong, in a few words.
    pub fn title(self) -> &'static str {
        self.words().0
    }

    /// What to do about it, in one sentence. The error's own message says the particulars.
    pub fn hint(self) -> &'static str {
        self.words().1
    }

    fn words(self) -> (&'static str, &'static str) {
        use ErrorCode as C;
        match self {
            C::PathNotFound => ("That folder does not exist", "Check the path and try again."),
            C::NotADirectory => ("That is a file, not a folder", "Choose the folder that holds the repository."),
            C::NotARepository => ("Not a Git repository", "Open the folder that holds .git, or clone the repository first."),
            C::BareRepository => ("This is a bare repository", "Clone it and open the clone: a bare repository has no files to show."),
            C::EmptyRepository => ("This repository is empty", "Add your manifests, commit them, and open it again."),
            C::NoCommits => ("This repository has no commits yet", "Commit its files first, then open it again."),
            C::NoRepositoryOpen => ("No repository is open", "Open a folder, clone a repository or try the demo."),
            C::DestinationNotEmpty => ("The destination is not empty", "Choose a new or empty folder."),
            C::InvalidInput => ("Something is missing or wrong", "Correct the value the message names and try again."),
            C::Git => ("Git could not do it", "Run the same in a terminal with git to see more; nothing was changed."),
            C::Io => ("A file could not be read or written", "Check that the folder exists and is writable, then try again."),
            C::AuthRequired => ("The remote asked for credentials", "Sign in: Sync now asks for them, or run wheelhouse login HOST."),
            C::CloneFailed => ("The clone failed", "Check the URL and your network, then try again."),
            C::AuthFailed => ("The remote rejected the credentials", "Check the user name and token, then try again."),
            C::Cancelled => ("Cancelled", "Nothing was left half-done; start it again when you are ready."),
            C::RemoteUnreachable => ("The remote cannot be reached", "You are working offline; it syncs again when the remote answers."),
            C::NotAGitRemote => ("That URL is not a Git repository", "Check the URL: it should be what git clone takes."),
            C::InvalidUrl => ("That is not a URL Git understands", "Use an https://, ssh:// or git@host:path URL."),
            C::IndexLocked => ("Another Git command is running", "Wait for it to finish (or remove a stale .git/index.lock), then try again."),
            C::OperationInProgress => ("A merge or rebase is under way", "Finish or abort it in a terminal first."),
            C::IdentityMissing => ("Git does not know who you are", "Set user.name and user.email (git config --global), then try again."),
            C::PathOutsideRepository => ("That path leaves the repository", "Use a path inside the repository's folder."),
            C::RevertConflict => ("The rollback conflicts with later commits", "Revert it by hand in a terminal, or roll back to a later commit."),
            C::CommitNotFound => ("That commit does not exist here", "Fetch first, or check the commit id."),
            C::NothingToCommit => ("There is nothing to commit", "Change a file first."),
            C::PushRejected => ("The remote refused the push", "Sync to take the remote's new commits, then push again."),
            C::DetachedHead => ("No branch is checked out", "Check out a branch, then try again."),
            C::NoUpstream => ("This branch has no upstream", "Push it once (it sets the upstream), or set one with git branch -u."),
            C::FileChanged => ("The file changed on disk", "Look at the new content and make the change again; nothing was written."),
            C::UpdateBlocked => ("The update cannot be applied safely", "Commit or discard your local edits to the files named, then sync again."),
            C::KeyringUnavailable => ("The system keyring is not available", "Unlock or start the keyring (GNOME Keyring, KWallet), then try again."),
            C::NotEditable => ("That value cannot be edited here", "Edit the file the message names by hand."),
            C::MergeConflict => ("The change conflicts with the target branch", "Update the change branch with the target's commits and resolve the conflict."),
            C::NotFastForward => ("The branch has moved on", "Sync first, then try again."),
            C::BadSignature => ("The signature does not verify", "Do not install it; check the release feed and its public key."),
            C::NotConfigured => ("Not set up yet", "Configure it in Settings (or the config file the message names)."),
            C::UnknownEnvironment => ("There is no such environment", "Pick an environment the matrix shows."),
            C::UnknownWorkload => ("That workload does not run there", "Pick a workload the environment runs."),
            C::InvalidValue => ("That value is not valid", "Correct the value the message names."),
            C::InvalidYaml => ("The YAML cannot be read", "Fix the file at the line and column named."),
            C::InvalidFile => ("The file cannot be used as it is", "Fix the file the message names, then try again."),
            C::MissingFile => ("A file is missing", "Create the file the message names, or correct the reference to it."),
            C::Unsupported => ("Wheelhouse does not edit this construct", "Edit the file by hand; the message says which part."),
            C::Internal => ("Wheelhouse made a mistake", "Nothing was written. Please report it with the message."),
            C::KeyringFailed => ("The keyring refused the operation", "Check the keyring is unlocked, then try again."),
            C::WatchLimitReached => ("Too many folders to watch", "Raise fs.inotify.max_user_watches; until then, changes on disk are seen on refresh."),
            C::WatchFailed => ("Changes on disk are not being watched", "Refresh by hand to see files changed outside the app."),
            C::KeyUnreadable => ("The key file cannot be read", "Check the path of the signing key and its permissions."),
            C::NotAPrivateKey => ("That file is not a private key", "Choose the private key, not the .pub file."),
            C::PassphraseRequired => ("The key needs its passphrase", "Enter the passphrase, or add the key to ssh-agent."),
            C::WrongPassphrase => ("That passphrase does not open the key", "Type the passphrase again."),
            C::UnsupportedEncryption => ("The key's encryption is not supported", "Add the key to ssh-agent and sign through the agent."),
            C::KeyLocked => ("The key is locked", "Unlock it in ssh-agent or enter its passphrase."),
            C::UnsupportedKey => ("This kind of key cannot sign approvals", "Use an ed25519, ECDSA or RSA SSH key."),
            C::SigningFailed => ("Signing failed", "Try again; if it repeats, check the key with ssh-keygen -Y sign."),
            C::NoSigningKey => ("No signing key is set", "Choose one in Settings, or set git config user.signingkey."),
            C::InvalidPublicKey => ("That public key cannot be read", "Paste the whole line of the .pub file."),
            C::AgentUnavailable => ("ssh-agent is not running", "Start ssh-agent (SSH_AUTH_SOCK), or choose a key file."),
            C::KeyNotInAgent => ("The key is not in ssh-agent", "Add it with ssh-add, or choose the key file."),
            C::AgentRefused => ("ssh-agent refused to sign", "Confirm the request in the agent, or check its constraints."),
            C::InvalidRecord => ("An approval record cannot be read", "It is ignored; ask its author to approve again."),
            C::InvalidRef => ("That is not a valid Git reference", "Check the branch or revision name."),
            C::ConcurrentUpdate => ("Someone recorded at the same moment", "Try again; both records are kept."),
            C::NotesFailed => ("The approval records could not be written", "Check the repository is writable, then try again."),
            C::MergeNotAllowed => ("The rules do not allow merging yet", "Get the approvals the verdict names, or wait out the freeze."),
            C::PolicyNotSatisfied => ("The change does not satisfy the rules", "Get the approvals the verdict names."),
            C::InvalidGlob => ("A path pattern cannot be read", "Fix the pattern at the line named."),
            C::InvalidCodeowners => ("CODEOWNERS cannot be read", "Fix the line named."),
            C::UnknownComponent => ("There is no such component", "Use a component id from components.yaml."),
            C::UnknownIncident => ("There is no such incident", "Use an incident from the status folder."),
            C::UnknownMaintenance => ("There is no such maintenance", "Use a maintenance from the status folder."),
            C::UnknownTemplate => ("There is no such template", "Use a template from the status folder."),
            C::UnknownStatus => ("That status does not exist", "Use one of the statuses the message lists."),
            C::InvalidPosition => ("That position is outside the list", "Choose a position within the list."),
            C::InvalidTime => ("That time cannot be read", "Write it as RFC 3339 (2026-12-07T09:00:00Z) or as the message shows."),
            C::InvalidTimeZone => ("That time zone does not exist", "Use an IANA name such as Europe/Berlin."),
            C::InvalidFrontMatter => ("The file's front matter cannot be read", "Fix the block between the --- lines."),
            C::UpdateBeforeStart => ("The update is dated before the incident started", "Correct the update's time."),
            C::UpdateBeforePrevious => ("The update is dated before the latest one", "Date it after the latest update."),
            C::OverlappingMaintenance => ("Two maintenances overlap", "Move one window so they do not overlap for the same component."),
            C::DuplicateComponent => ("A component is listed twice", "Keep one of them."),
            C::InvalidTransition => ("That step is not possible now", "The message says what state it is in."),
            C::StatusInvalid => ("The status page has errors", "Fix the problems listed first."),
            C::NoLinkedComponent => ("No component stands for these workloads", "Link a component to the environment in components.yaml."),
            C::PathOutsideSource => ("That path leaves the source folder", "Import from inside the folder given."),
            C::InvalidSource => ("The source cannot be imported", "Check it is the kind of page the command expects."),
            C::DestinationExists => ("The destination has other files", "Use --force to overwrite them, or choose another folder."),
            C::NotFound => ("Not found", "Check the name the message gives."),
            C::CheckFailed => ("The check failed", "Fix the problems listed."),
            C::ValidationFailed => ("The repository has problems", "Fix the problems listed, at their file and line."),
            C::Disagreement => ("The render disagrees with kustomize", "The differences are listed; please report them."),
            C::NotEvaluated => ("Not evaluated", "What the cluster gets here is decided outside this repository; the value is shown as written or left out."),
            C::NoEffect => ("An entry changes nothing", "Check the names it matches, or remove it."),
            C::UnknownField => ("A field Wheelhouse does not know", "Check its spelling; the reconciler may reject it."),
            C::DeliveryFailed => ("A message was not delivered", "The record lists it as failed; run the command again to send it."),
            C::MonitorFailing => ("A monitor is failing", "Each failing check says which condition failed and what it saw."),
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A code equals its name on the wire (`code == "file_changed"`).
impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// One error as both faces report it: the code to branch on, the particulars, where (when a
/// file is to blame), and what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Problem {
    pub code: ErrorCode,
    pub message: String,
    pub file: Option<String>,
    pub line: Option<u32>,
    pub column: Option<u32>,
    /// The code's hint unless the error has a better one.
    pub hint: String,
}

impl Problem {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Problem {
        Problem {
            code,
            message: message.into(),
            file: None,
            line: None,
            column: None,
            hint: code.hint().to_owned(),
        }
    }

    /// Where: a repository-relative file, and a line and column (1-based) when known.
    pub fn at(mut self, file: impl Into<String>, line: Option<u32>, column: Option<u32>) -> Self {
        self.file = Some(file.into());
        self.line = line;
        self.column = column;
        self
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.file, self.line, self.column) {
            (Some(file), Some(l), Some(c)) => write!(f, "{file}:{l}:{c}: ")?,
            (Some(file), Some(l), None) => write!(f, "{file}:{l}: ")?,
            (Some(file), None, _) => write!(f, "{file}: ")?,
            _ => {}
        }
        f.write_str(&self.message)
    }
}

/// A [`Problem`] as both faces hand it to their reader — the app to the window, the CLI's
/// `--json` to a script: the message says where, as the text does, and the place is also given
/// apart. The one shape of an error on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ErrorReport {
    pub code: ErrorCode,
    /// The sentence for people, starting with `file:line:column: ` when a file is to blame.
    pub message: String,
    pub file: Option<String>,
    pub line: Option<u32>,
    pub column: Option<u32>,
    /// What to do: the code's hint unless the error has a better one.
    pub hint: String,
}

impl From<&Problem> for ErrorReport {
    fn from(p: &Problem) -> Self {
        ErrorReport {
            code: p.code,
            message: p.to_string(),
            file: p.file.clone(),
            line: p.line,
            column: p.column,
            hint: p.hint.clone(),
        }
    }
}

impl From<Problem> for ErrorReport {
    fn from(p: Problem) -> Self {
        ErrorReport::from(&p)
    }
}

/// `impl From<E> for Problem` for errors that have a `code()` and say where in their message:
/// `wheelhouse_diagnostics::from_coded!(FsError, ImportError);`
#[macro_export]
macro_rules! from_coded {
    ($($error:ty),+ $(,)?) => {$(
        impl From<$error> for $crate::Problem {
            fn from(e: $error) -> Self {
                $crate::Problem::new(e.code(), e.to_string())
            }
        }
    )+};
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_code_has_a_title_a_hint_and_one_name() {
        let mut names = HashSet::new();
        let mut titles = HashSet::new();
        for code in ErrorCode::all() {
            let wire = serde_json::to_value(code).unwrap();
            assert_eq!(wire, code.as_str(), "{code:?}: serde and as_str disagree");
            assert!(names.insert(code.as_str()), "{code:?}: name used twice");
            assert_eq!(code.as_str().parse::<ErrorCode>(), Ok(code));
            let (title, hint) = (code.title(), code.hint());
            assert!(
                !title.is_empty() && !title.ends_with('.'),
                "{code:?}: title {title:?}"
            );
            assert!(titles.insert(title), "{code:?}: title {title:?} used twice");
            assert!(
                hint.len() > 10 && hint.ends_with('.'),
                "{code:?}: the hint should be a sentence: {hint:?}"
            );
        }
        assert!(names.len() > 80);
    }

    #[test]
    fn codes_keep_their_names() {
        // Scripts match on these: they never change.
        for (code, name) in [
            (ErrorCode::PathNotFound, "path_not_found"),
            (ErrorCode::NotAGitRemote, "not_a_git_remote"),
            (ErrorCode::FileChanged, "file_changed"),
            (ErrorCode::InvalidYaml, "invalid_yaml"),
            (ErrorCode::UnknownEnvironment, "unknown_environment"),
            (ErrorCode::KeyNotInAgent, "key_not_in_agent"),
            (ErrorCode::NotAPrivateKey, "not_a_private_key"),
        ] {
            assert_eq!(code.as_str(), name);
        }
    }

    #[test]
    fn a_problem_says_where() {
        let p = Problem::new(ErrorCode::InvalidYaml, "expected a mapping").at(
            "apps/api.yaml",
            Some(3),
            Some(7),
        );
        assert_eq!(p.to_string(), "apps/api.yaml:3:7: expected a mapping");
        assert_eq!(p.hint, ErrorCode::InvalidYaml.hint());
    }
}
