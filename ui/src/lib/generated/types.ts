// Generated from the Rust types by `make types` (src-tauri/src/json.rs). Do not edit.

export type ErrorCode = "path_not_found" | "not_a_directory" | "not_a_repository" | "bare_repository" | "empty_repository" | "no_commits" | "no_repository_open" | "destination_not_empty" | "invalid_input" | "git" | "io" | "auth_required" | "clone_failed";

export type CommandError = { code: ErrorCode, message: string, };

export type StartupView = { recent: Array<RecentRepository>, opened: RepoOverview | null, error: CommandError | null, };

export type RecentRepository = { path: string, name: string, 
/**
 * When it was last opened, Unix seconds.
 */
opened_unix: number, };

export type RepoOverview = { 
/**
 * The folder name.
 */
name: string, 
/**
 * The working tree's root, absolute, for display.
 */
path: string, head: HeadState, upstream: UpstreamState | null, remotes: Array<RemoteSummary>, local_branches: Array<string>, working_tree: WorkingTree, commits: Array<CommitSummary>, };

export type HeadState = { 
/**
 * The checked-out branch, or `None` when HEAD is detached.
 */
branch: string | null, commit: CommitSummary, };

export type UpstreamState = { 
/**
 * The remote-tracking branch, e.g. `origin/main`.
 */
name: string, 
/**
 * Commits on the local branch that the upstream lacks.
 */
ahead: number, 
/**
 * Commits on the upstream (as of the last fetch) that the local branch lacks.
 */
behind: number, 
/**
 * When the repository was last fetched (Unix seconds), if ever.
 */
last_fetched_unix: number | null, };

export type RemoteSummary = { name: string, 
/**
 * The fetch URL with any user password or token removed.
 */
url: string, };

export type WorkingTree = { clean: boolean, 
/**
 * Every changed path, in path order (at most [`WORKING_TREE_LIMIT`]).
 */
changes: Array<FileChange>, 
/**
 * How many changed paths there are in all.
 */
total: number, };

export type FileChange = { 
/**
 * Path relative to the repository root, with `/` separators.
 */
path: string, kind: ChangeKind, 
/**
 * Whether the change is in the index (staged) rather than only in the working tree.
 */
staged: boolean, };

export type ChangeKind = "added" | "modified" | "deleted" | "renamed" | "type_changed" | "untracked" | "conflicted";

export type CommitSummary = { id: string, short_id: string, summary: string, author_name: string, author_email: string, 
/**
 * Author time, Unix seconds.
 */
time_unix: number, 
/**
 * The author's UTC offset in minutes, as recorded in the commit.
 */
offset_minutes: number, };
