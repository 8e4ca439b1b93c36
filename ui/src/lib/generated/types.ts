// Generated from the Rust types by `make types` (src-tauri/src/json.rs). Do not edit.

export type ErrorCode = "path_not_found" | "not_a_directory" | "not_a_repository" | "bare_repository" | "empty_repository" | "no_commits" | "no_repository_open" | "destination_not_empty" | "invalid_input" | "git" | "io" | "auth_required" | "clone_failed" | "auth_failed" | "cancelled" | "remote_unreachable" | "not_a_git_remote" | "invalid_url" | "index_locked" | "operation_in_progress" | "identity_missing" | "path_outside_repository" | "revert_conflict" | "commit_not_found" | "nothing_to_commit" | "push_rejected" | "detached_head" | "no_upstream" | "file_changed" | "update_blocked" | "keyring_unavailable" | "not_editable" | "merge_conflict" | "not_fast_forward" | "bad_signature" | "not_configured" | "unknown_environment" | "unknown_workload" | "invalid_value" | "invalid_yaml" | "invalid_file" | "missing_file" | "unsupported" | "internal" | "keyring_failed" | "watch_limit_reached" | "watch_failed" | "key_unreadable" | "not_a_private_key" | "passphrase_required" | "wrong_passphrase" | "unsupported_encryption" | "key_locked" | "unsupported_key" | "signing_failed" | "no_signing_key" | "invalid_public_key" | "agent_unavailable" | "key_not_in_agent" | "agent_refused" | "invalid_record" | "invalid_ref" | "concurrent_update" | "notes_failed" | "merge_not_allowed" | "policy_not_satisfied" | "invalid_glob" | "invalid_codeowners" | "unknown_component" | "unknown_incident" | "unknown_maintenance" | "unknown_template" | "unknown_status" | "invalid_position" | "invalid_time" | "invalid_time_zone" | "invalid_front_matter" | "update_before_start" | "update_before_previous" | "overlapping_maintenance" | "duplicate_component" | "invalid_transition" | "status_invalid" | "no_linked_component" | "path_outside_source" | "invalid_source" | "destination_exists" | "not_found" | "check_failed" | "validation_failed" | "disagreement" | "not_evaluated" | "no_effect" | "unknown_field" | "delivery_failed" | "monitor_failing";

export type ErrorReport = { code: ErrorCode, 
/**
 * The sentence for people, starting with `file:line:column: ` when a file is to blame.
 */
message: string, file: string | null, line: number | null, column: number | null, 
/**
 * What to do: the code's hint unless the error has a better one.
 */
hint: string, };

export type StartupView = { 
/**
 * The app's version and the commit it was built from (`0.1.0 (3f2a9c1d0b7e 2026-12-06)`).
 */
version: string, recent: Array<RecentRepository>, opened: RepoOverview | null, error: ErrorReport | null, };

export type OpenedByAnotherStart = { opened: RepoOverview | null, error: ErrorReport | null, };

export type UpdateStatus = { configured: boolean, 
/**
 * Where the update settings are read from.
 */
settings_file: string, check: UpdateCheck | null, };

export type UpdateCheck = { current: string, latest: string, newer: boolean, notes: string | null, pub_date: string | null, 
/**
 * Where this platform's package of the latest release is, when the feed names one.
 */
download: string | null, 
/**
 * The feed that was read.
 */
feed: string, };

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

export type SyncStatusView = { phase: SyncPhase, 
/**
 * When the last fetch succeeded, Unix seconds.
 */
last_success_unix: number | null, 
/**
 * When the loop tries next, Unix seconds.
 */
next_attempt_unix: number | null, 
/**
 * Why the last attempt failed (offline, credentials…), in words.
 */
message: string | null, error_code: ErrorCode | null, 
/**
 * Incoming and outgoing commits and what blocks an update, after the last fetch.
 */
state: SyncState | null, 
/**
 * Commits fast-forwarded by the last sync.
 */
fast_forwarded: number, interval_seconds: number, };

export type MonitorWatchView = { on: boolean, 
/**
 * The repository it checks: the one open when it was switched on (opening another one
 * switches it off).
 */
root: string | null, 
/**
 * A round is running now.
 */
checking: boolean, 
/**
 * When the next round starts, Unix seconds.
 */
next_check_unix: number | null, 
/**
 * When the last round ended, Unix seconds.
 */
last_run_unix: number | null, 
/**
 * The last round that checked something (a round with nothing due leaves it).
 */
last: MonitorRun | null, 
/**
 * Why the last round could not run, in words.
 */
error: string | null, };

export type SyncPhase = "idle" | "syncing" | "offline" | "error";

export type TransferEvent = { operation: string, progress: TransferProgress, };

export type CredentialAnswer = { username: string, 
/**
 * The token or password (HTTPS), or the key's passphrase (SSH; empty for none).
 */
password: string, 
/**
 * SSH only: the private key file to use.
 */
private_key: string | null, };

export type HistoryQuery = { path: string | null, author: string | null, skip: number, limit: number, };

export type TransferProgress = { phase: TransferPhase, objects_done: number, objects_total: number, bytes: number, 
/**
 * Average rate since the transfer started, bytes per second.
 */
bytes_per_second: number, };

export type TransferPhase = "connecting" | "receiving" | "resolving" | "checking_out" | "pushing" | "done";

export type CredentialRequest = { url: string, host: string, 
/**
 * The user named in the URL, if any.
 */
username: string | null, method: AuthMethod, 
/**
 * 1 for the first request of this operation; more means the previous answer was rejected.
 */
attempt: number, };

export type AuthMethod = "user_password" | "ssh_key";

export type SyncState = { branch: string | null, upstream: string | null, 
/**
 * Commits on the upstream not yet in the local branch, newest first (at most 50).
 */
incoming: Array<CommitSummary>, 
/**
 * Commits on the local branch not yet pushed, newest first (at most 50).
 */
outgoing: Array<CommitSummary>, ahead: number, behind: number, 
/**
 * Why `incoming` cannot be fast-forwarded, when it cannot.
 */
blocked: UpdateBlock | null, };

export type UpdateBlock = { "kind": "diverged", ahead: number, behind: number, } | { "kind": "local_edits", paths: Array<string>, } | { "kind": "detached_head" } | { "kind": "operation_in_progress", operation: string, };

export type HistoryPage = { commits: Array<CommitSummary>, 
/**
 * Whether more matching commits follow this page.
 */
has_more: boolean, };

export type CommitDetail = { commit: CommitSummary, message: string, committer_name: string, parents: Array<string>, files: Array<FileDiff>, };

export type FileDiff = { path: string, 
/**
 * The previous path, for renames.
 */
old_path: string | null, status: DiffStatus, additions: number, deletions: number, binary: boolean, hunks: Array<DiffHunk>, };

export type DiffStatus = "added" | "modified" | "deleted" | "renamed";

export type DiffHunk = { 
/**
 * `@@ -12,3 +12,3 @@` and the function context Git found, if any.
 */
header: string, lines: Array<DiffLine>, };

export type DiffLine = { kind: LineKind, old_line: number | null, new_line: number | null, 
/**
 * The line without its newline.
 */
text: string, };

export type LineKind = "context" | "added" | "removed";

export type Rollback = { branch: string, commit: CommitSummary, };

export type StoredCredential = { kind: CredentialKind, 
/**
 * The normalised host (see [`normalize_host`]).
 */
host: string, 
/**
 * The user name (HTTPS) or the key file path (SSH).
 */
user: string, };

export type CredentialKind = "https_token" | "ssh_key_passphrase" | "channel_secret";

export type RepoChange = { 
/**
 * Some file or folder in the working tree (outside `.git/`) was created, changed, removed or
 * renamed.
 */
worktree: boolean, 
/**
 * `.git/HEAD` was rewritten: a checkout, a switch, a detach.
 */
head: boolean, 
/**
 * `.git/index` was rewritten: staging, unstaging, a commit, a checkout, a merge.
 */
git_index: boolean, 
/**
 * A ref under `.git/refs/` or `.git/packed-refs` was written or deleted: a commit, a fetch, a
 * new branch or tag.
 */
git_refs: boolean, 
/**
 * The operating system dropped events, so the exact paths are unknown. Every flag is set and
 * `paths` may be incomplete: reload everything.
 */
rescan: boolean, 
/**
 * Changed working-tree paths, relative to the root with `/` separators, sorted, without
 * duplicates; at most [`PATHS_LIMIT`].
 */
paths: Array<string>, 
/**
 * How many distinct working-tree paths changed in all.
 */
paths_total: number, };

export type Matrix = { environments: Array<EnvironmentInfo>, rows: Array<MatrixRow>, other_files: Array<string>, problems: Array<Problem>, };

export type MatrixRow = { id: string, kind: WorkloadKind, 
/**
 * One per environment, `None` where the workload does not run there.
 */
cells: Array<Cell | null>, };

export type Cell = { 
/**
 * Image tags, one per container, in container order.
 */
tags: Array<string>, replicas: string | null, chart_version: string | null, 
/**
 * Whether this cell runs a different version (image tags, chart version) than the same
 * workload in the previous environment. Replica counts differ by design and do not count.
 */
differs_from_previous: boolean, 
/**
 * Whether any shown value is set in the environment's own layer (not inherited).
 */
overridden: boolean, 
/**
 * What Wheelhouse did not evaluate and may change what this cell shows (a remote base,
 * `helmCharts`, a Flux variable with no value…), each `file:line: why`.
 */
not_evaluated: Array<string>, };

export type Difference = { workload: string, 
/**
 * `image api`, `replicas`, `env LOG_LEVEL (api)`, `chart version`, `value image.tag`,
 * `label environment`…
 */
field: string, left: Sourced | null, right: Sourced | null, };

export type RenderView = { environment: string, workload: string | null, 
/**
 * Multi-document YAML, as `kustomize build` prints it.
 */
yaml: string, 
/**
 * The folders built.
 */
folders: Array<string>, 
/**
 * The kustomizations an Argo CD Application's `kustomize:` edits before its folder is built
 * (what is shown is built from them as edited).
 */
edited: Array<string>, 
/**
 * What the render found (not evaluated, targets matching nothing…).
 */
problems: Array<Problem>, };

export type RenderCheck = { 
/**
 * The command that was run (`kubectl kustomize` or `kustomize build`).
 */
tool: string, folders: Array<string>, 
/**
 * The kustomizations built as an Argo CD Application edits them, in a copy of the
 * repository.
 */
edited: Array<string>, disagreements: Array<Disagreement>, };

export type Disagreement = { 
/**
 * `Kind/namespace/name`.
 */
resource: string, 
/**
 * JSON pointer inside it (empty when the whole resource is missing on one side).
 */
path: string, ours: string | null, theirs: string | null, };

export type EnvironmentInfo = { name: string, protected: boolean, 
/**
 * The folders and files that make this environment (its layers).
 */
paths: Array<string>, 
/**
 * Where it comes from, one line per mechanism naming it ("Flux Kustomization `apps` in
 * clusters/staging/apps.yaml → ./apps/staging").
 */
sources: Array<string>, 
/**
 * The stage it is a variant of, shared with the other variants (`staging` for
 * `staging-eu` beside `staging-us`); none when no other environment has its stage.
 */
stage: string | null, };

export type Problem = { code: ErrorCode, file: string, line: number | null, column: number | null, message: string, severity: Severity, };

export type Severity = "error" | "warning";

export type WorkloadState = { 
/**
 * The stable id across environments (the name before prefixes and suffixes).
 */
id: string, kind: WorkloadKind, 
/**
 * The name as deployed (after `namePrefix`/`nameSuffix`).
 */
name: string, namespace: string | null, replicas: Sourced | null, containers: Array<ContainerState>, 
/**
 * Helm: the chart version; Flux: `spec.chart.spec.version`.
 */
chart_version: Sourced | null, 
/**
 * Helm values (flattened `a.b.c` keys), merged in order.
 */
values: Array<NamedValue>, 
/**
 * The workload's `metadata.labels` with Kustomize `commonLabels` and `labels[].pairs`
 * merged over them (outermost kustomization last), each with where it was set.
 */
labels: Array<NamedValue>, 
/**
 * Every file that contributed, base first.
 */
files: Array<string>, };

export type WorkloadKind = "deployment" | "stateful_set" | "daemon_set" | "cron_job" | "helm_values" | "helm_release" | "argo_application";

export type ContainerState = { name: string, 
/**
 * The full image reference (`registry/name:tag` or `@digest`).
 */
image: Sourced, 
/**
 * The tag (or digest) alone, for the matrix.
 */
tag: string, env: Array<NamedValue>, 
/**
 * `requests.cpu`, `limits.memory`, …
 */
resources: Array<NamedValue>, };

export type NamedValue = { name: string, value: Sourced, };

export type Sourced = { value: string, source: Provenance, };

export type Provenance = { file: string, 
/**
 * Dotted path inside the document, e.g. `images[0].newTag`.
 */
path: string, line: number, layer: Layer, };

export type Layer = "base" | "environment";

export type Field = { "kind": "image_tag", container: string | null, } | { "kind": "replicas" } | { "kind": "helm_value", key: string, } | { "kind": "env_var", container: string | null, name: string, } | { "kind": "resource", container: string | null, name: string, } | { "kind": "chart_version" };

export type FileEdit = { path: string, diff: string, };

export type Promotion = { from: string, 
/**
 * As asked: an environment, or a stage whose variants all receive it (`staging*`).
 */
to: string, 
/**
 * The environments that receive it, in promotion order.
 */
targets: Array<string>, 
/**
 * One line per moved value: `api 1.4.2` (`api 1.4.2 → staging-eu` into several).
 */
moves: Array<string>, edits: Array<FileEdit>, 
/**
 * A generated commit message that says what moved.
 */
message: string, 
/**
 * The change branch it goes to.
 */
branch: string, };

export type CreatedChange = { branch: string, commit: CommitSummary, };

export type MaintenanceWindow = { start: string, end: string, time_zone: string | null, };

export type OpenedFile = { path: string, text: string, };

export type AgentIdentity = { 
/**
 * `SHA256:…`, as `ssh-keygen -l` prints it.
 */
fingerprint: string, 
/**
 * The key's algorithm: `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`…
 */
algorithm: string, 
/**
 * The comment the key was added with (often `user@host` or the file it came from).
 */
comment: string, 
/**
 * The public key in OpenSSH format, without its comment: what `user.signingkey` takes after
 * `key::`.
 */
public_key: string, 
/**
 * The agent holds an SSH certificate for this key rather than the plain key.
 */
certificate: boolean, };

export type StatusProblem = { 
/**
 * Relative to the repository, e.g. `status/incidents/2026-10-16-api-errors.md`.
 */
file: string, line: number, column: number, message: string, };

export type ComponentView = { id: string, name: string, description: string | null, 
/**
 * The status set in `components.yaml`.
 */
status: string, 
/**
 * What the page shows now (incidents and maintenance can make it worse).
 */
shown: string, shown_label: string, 
/**
 * The environment and workloads the component stands for.
 */
env: string | null, workloads: Array<string>, };

export type GroupView = { name: string | null, components: Array<ComponentView>, };

export type ComponentChangeView = { id: string, status: string, };

export type UpdateView = { 
/**
 * RFC 3339 in the page's time zone.
 */
at: string, status: string, body: string, components: Array<ComponentChangeView>, };

export type IncidentView = { slug: string, file: string, title: string, status: string, impact: string, started_at: string, resolved_at: string | null, open: boolean, components: Array<ComponentChangeView>, 
/**
 * Newest first.
 */
updates: Array<UpdateView>, postmortem: string | null, };

export type MaintenanceView = { slug: string, file: string, title: string, 
/**
 * The stage now (computed from the window and the updates).
 */
status: string, impact: string, scheduled_for: string, scheduled_until: string, time_zone: string, components: Array<ComponentChangeView>, description: string | null, };

export type TemplateView = { slug: string, title: string, status: string | null, impact: string | null, components: Array<ComponentChangeView>, 
/**
 * Markdown: the first update's body.
 */
body: string, };

export type StatusView = { 
/**
 * The folder under the repository (`status` unless `.wheelhouse/config.yaml` says otherwise).
 */
folder: string, 
/**
 * False when the repository has no status page yet.
 */
exists: boolean, page_name: string, time_zone: string, 
/**
 * `none`, `minor`, `major`, `critical`, `maintenance`.
 */
indicator: string, indicator_label: string, groups: Array<GroupView>, 
/**
 * Newest first.
 */
incidents: Array<IncidentView>, 
/**
 * Soonest first.
 */
maintenances: Array<MaintenanceView>, templates: Array<TemplateView>, 
/**
 * Problems of the files as they are now; when there are any, everything else (and the
 * preview) is the last version that loaded.
 */
problems: Array<StatusProblem>, 
/**
 * Whether a preview exists (the files loaded once at least).
 */
previewable: boolean, 
/**
 * Changes whenever the preview's content does.
 */
version: number, };

export type StatusEditOutcome = { view: StatusView, 
/**
 * Paths relative to the repository, with their diffs.
 */
changes: Array<StatusFileChange>, };

export type Publication = { 
/**
 * The source commit and its summary (the change that caused the publish).
 */
source: string, source_summary: string, 
/**
 * The moment the page shows, RFC 3339.
 */
as_of: string, 
/**
 * The pages branch, or none when published into a folder.
 */
branch: string | null, folder: string | null, 
/**
 * The export's tree id: the same for the same source commit and moment.
 */
tree: string | null, 
/**
 * The branch's commit after the publish.
 */
commit: string | null, 
/**
 * Nothing changed since the last publish: no commit was made.
 */
unchanged: boolean, 
/**
 * The remote the branch was pushed to.
 */
pushed_to: string | null, 
/**
 * The remote a push goes to (the current branch's upstream remote, else `origin`); none
 * when there is no remote to publish to.
 */
remote: string | null, dry_run: boolean, 
/**
 * Files of the export.
 */
files: number, 
/**
 * Files added, modified or deleted against the last publish.
 */
changed: Array<ExportChange>, 
/**
 * The monitors' history commit the uptime bars were measured from; none when the page
 * has no monitors or nothing was recorded yet.
 */
history: string | null, };

export type ExportChange = { path: string, 
/**
 * `added`, `modified` or `deleted`.
 */
kind: string, };

export type LastPublish = { branch: string, commit: string, 
/**
 * When it was published (the commit's time), Unix seconds.
 */
time_unix: number, 
/**
 * The source commit it was built from, and that commit's summary, as its message names
 * them (none when another tool made the commit).
 */
source: string | null, source_summary: string | null, 
/**
 * The moment the page shows, RFC 3339.
 */
as_of: string | null, 
/**
 * The remote it goes to, and whether that remote's branch (as last fetched) holds it.
 */
remote: string | null, pushed: boolean | null, 
/**
 * The status folder committed at HEAD differs from the one published: a publish would
 * change the page.
 */
outdated: boolean, };

export type SubscribersView = { 
/**
 * `status/subscribers.yaml`.
 */
path: string, 
/**
 * Whether HEAD has the file.
 */
exists: boolean, channels: Array<ChannelState>, 
/**
 * Updates since [`default_since`] that some channel wants and has not been told.
 */
pending: number, 
/**
 * Why the page or the file cannot be read, in words.
 */
problem: string | null, };

export type MonitorsView = { 
/**
 * `status/monitors.yaml`.
 */
path: string, 
/**
 * Whether HEAD has the file.
 */
exists: boolean, monitors: Array<MonitorView>, 
/**
 * The history commit read; none before the first record.
 */
history_commit: string | null, 
/**
 * Why the file or the history cannot be read, in words.
 */
problem: string | null, };

export type MonitorView = { name: string, component: string, kind: MonitorKind, url: string, 
/**
 * Seconds between checks.
 */
interval: bigint, 
/**
 * Where it stands after its last recorded check; none before the first.
 */
state: MonitorState | null, 
/**
 * The last 24 hours' hourly mean response times (oldest first; none for an hour without
 * an answered check).
 */
response_times: Array<number | null>, 
/**
 * (checks, failures) over those 24 hours.
 */
checks: number, failures: number, };

export type MonitorRun = { 
/**
 * When the run started, RFC 3339.
 */
at: string, checks: Array<CheckResult>, 
/**
 * Changes drafted for monitors that went down or came back.
 */
drafts: Array<Draft>, 
/**
 * Why a change could not be drafted or pushed (the run is recorded all the same).
 */
draft_error: string | null, 
/**
 * The history commit made; none for a dry run (or when nothing was recorded).
 */
history_commit: string | null, 
/**
 * Why the history could not be fetched from or pushed to the remote (it is kept here).
 */
record_error: string | null, 
/**
 * A loop's round whose results are held, to be recorded with a later round's (at most
 * [`RECORD_EVERY_SECONDS`] later, at once when a monitor goes down or comes back).
 */
held: boolean, };

export type CheckResult = { monitor: string, component: string, kind: MonitorKind, url: string, ok: boolean, response_ms: bigint | null, conditions: Array<ConditionResult>, 
/**
 * Why nothing was connected or read.
 */
error: string | null, 
/**
 * Where the monitor stands after this check (thresholds applied).
 */
state: MonitorState, transition: Transition, };

export type ConditionResult = { ok: boolean, 
/**
 * `[STATUS] (503) == 200`.
 */
shown: string, };

export type Draft = { monitor: string, 
/**
 * `incident` or `resolution`.
 */
kind: string, 
/**
 * The change's branch (`change/monitor-api-health-down`).
 */
branch: string, commit: string, 
/**
 * The incident's slug.
 */
incident: string, 
/**
 * Pushed to the remote, where the team sees it.
 */
pushed: boolean, 
/**
 * The merge commit, when the policy auto-approved the draft and it was merged (then
 * pushed, and the subscribers told, as a merge from Reviews does).
 */
merged: string | null, };

export type MonitorState = { monitor: string, 
/**
 * Counted as up (a new monitor is, until its failures reach the threshold).
 */
up: boolean, 
/**
 * Checks in a row with the same outcome as the last.
 */
streak: number, 
/**
 * Whether the last check passed.
 */
last_ok: boolean, 
/**
 * When the monitor went up or down, RFC 3339; empty before the first change.
 */
since: string, 
/**
 * The last check's time, RFC 3339.
 */
checked_at: string, last_ms: bigint | null, 
/**
 * Why the last failed check failed.
 */
reason: string | null, };

export type MonitorKind = "http" | "tcp" | "tls" | "dns";

export type Transition = "none" | "went_down" | "came_up";

export type ChannelState = { name: string, kind: string, components: Array<string>, last: DeliveryRecord | null, };

export type DeliveryRecord = { event: string, channel: string, message_id: string, outcome: DeliveryOutcome, attempts: number, 
/**
 * The last HTTP status or SMTP reply code answered.
 */
status: number | null, 
/**
 * When it was recorded, RFC 3339.
 */
at: string, headline: string | null, };

export type Notified = { since: string, head: string, events: Array<Event>, channels: number, deliveries: Array<Delivery>, 
/**
 * Why the record could not be fetched from or pushed to the remote (it is kept here).
 */
record_error: string | null, };

export type Delivery = { 
/**
 * The event's id (`incident/<slug>/<time>`).
 */
event: string, channel: string, 
/**
 * `slack`, `discord`, `teams`, `webhook` or `email`.
 */
kind: string, 
/**
 * The same for the same event and channel everywhere: sent as `Idempotency-Key`.
 */
message_id: string, headline: string, outcome: DeliveryOutcome, attempts: number, 
/**
 * The last HTTP status or SMTP reply code answered.
 */
status: number | null, error: string | null, };

export type DeliveryOutcome = "delivered" | "failed" | "already_delivered" | "would_send";

export type Event = { 
/**
 * `incident/<slug>/<update time>` or `maintenance/<slug>/…`: the same in every clone.
 */
id: string, kind: EventKind, 
/**
 * The incident's or maintenance's file name without `.md`.
 */
slug: string, title: string, 
/**
 * The stage this update sets (`investigating`, `scheduled`, `completed`…) and its label.
 */
status: string, status_label: string, impact: string, impact_label: string, 
/**
 * The update's Markdown (the description for a new maintenance).
 */
body: string, 
/**
 * When the update was posted (a new maintenance: when it starts), RFC 3339 UTC.
 */
at: string, 
/**
 * A maintenance's window, RFC 3339 UTC.
 */
window: [string, string] | null, 
/**
 * The components this incident or maintenance affects, with their statuses as of this
 * update.
 */
components: Array<EventComponent>, 
/**
 * Every update so far, oldest first: (status label, time, Markdown).
 */
updates: Array<[string, string, string]>, 
/**
 * The incident's or maintenance's page on the published site, when the page has a URL.
 */
url: string | null, };

export type EventKind = "incident_created" | "incident_updated" | "maintenance_scheduled" | "maintenance_updated";

export type EventComponent = { id: string, name: string, 
/**
 * `operational`, `major_outage`…
 */
status: string, status_label: string, };

export type StatusFileChange = { path: string, 
/**
 * A new file.
 */
created: boolean, diff: string, };

export type ComponentStatus = "operational" | "under_maintenance" | "degraded_performance" | "partial_outage" | "major_outage";

export type IncidentStatus = "investigating" | "identified" | "monitoring" | "resolved" | "postmortem";

export type Impact = "none" | "minor" | "major" | "critical";

export type ComponentChange = { id: string, status: ComponentStatus, };

export type NewIncident = { title: string, status: IncidentStatus | null, impact: Impact | null, 
/**
 * Affected components and their status from the start.
 */
components: Array<ComponentChange>, 
/**
 * Markdown: the first update's body.
 */
body: string, 
/**
 * The slug of a template in `templates/` whose values fill the empty fields.
 */
template: string | null, 
/**
 * When the incident started, if before now: RFC 3339 with an offset. The first update is
 * still dated now.
 */
started_at: string | null, };

export type NewChannel = { name: string, kind: ChannelKind, 
/**
 * The address written in the file (a webhook's https address, a mail server's smtp://).
 */
url: string | null, 
/**
 * Or the name of the secret holding it.
 */
url_secret: string | null, signing_secret: string | null, from: string | null, to: Array<string>, unsubscribe: string | null, components: Array<string>, };

export type ChannelKind = "slack" | "discord" | "teams" | "webhook" | "email";

export type NewMaintenance = { title: string, 
/**
 * Default `none`.
 */
impact: Impact | null, 
/**
 * Ids of the components under maintenance during the window.
 */
components: Array<string>, 
/**
 * The start as a local date and time in `time_zone`, e.g. `2026-12-03T22:00` (an RFC 3339
 * time with an offset is taken as that instant).
 */
scheduled_for: string, 
/**
 * The end, likewise; after the start.
 */
scheduled_until: string, 
/**
 * The IANA zone the window is planned in; the page's when absent. Recorded in the file
 * (`time_zone:`) when it is not the page's.
 */
time_zone: string | null, 
/**
 * Markdown: the body of the first (`scheduled`) update.
 */
body: string, 
/**
 * Markdown after the front matter: the maintenance's description.
 */
description: string, };

export type StatusEdit = { "op": "set_component_status", id: string, status: ComponentStatus, } | { "op": "move_component", id: string, group: number, position: number, } | { "op": "new_incident" } & NewIncident | { "op": "add_incident_update", slug: string, at: string | null, status: IncidentStatus, body: string, components: Array<ComponentChange>, } | { "op": "resolve_incident", slug: string, at: string | null, body: string | null, } | { "op": "set_postmortem", slug: string, markdown: string, } | { "op": "new_maintenance" } & NewMaintenance | { "op": "start_maintenance", slug: string, at: string | null, body: string | null, } | { "op": "complete_maintenance", slug: string, at: string | null, body: string | null, } | { "op": "add_channel" } & NewChannel | { "op": "remove_channel", name: string, };

export type SigningSetup = { 
/**
 * What approvals are signed with, as git's `user.signingkey` takes it: a private key file, a
 * public key file (the private half in ssh-agent) or `key::ssh-ed25519 AAAA…` (in the agent).
 */
key: string | null, 
/**
 * `file` or `agent`: where the private key is.
 */
source: string | null, 
/**
 * The email approvals are recorded under (git config user.email of the open repository).
 */
email: string | null, 
/**
 * The line to add to `.wheelhouse/allowed_signers` for yourself.
 */
allowed_signers_line: string | null, fingerprint: string | null, 
/**
 * Why the key cannot be used, if it cannot.
 */
problem: string | null, 
/**
 * No key was chosen in Settings: `key` is git's `user.signingkey` (as the CLI uses it).
 */
from_git_config: boolean, };

export type MergeOutcome = { commit: CommitSummary, pushed: boolean, 
/**
 * Why the push failed (offline, rejected, no upstream); the merge is kept locally. `None`
 * with `pushed: false` when no push was asked for.
 */
push_error: string | null, 
/**
 * The status page's subscribers told of the updates the merge brought, once it was
 * pushed (none when the repository has no `subscribers.yaml`).
 */
notified: Notified | null, 
/**
 * Why they could not be told (the merge and the push stand; `wheelhouse status notify`
 * tells them later).
 */
notify_error: string | null, };

export type ChangeReview = { change: ChangeBranch, title: string, author: Identity, 
/**
 * Environments whose rendered state the change alters, in promotion order.
 */
environments: Array<string>, field_changes: Array<FieldChange>, 
/**
 * What the change does to each environment: the rendered diff, per resource.
 */
effect: Effect, 
/**
 * The file diff from the merge base to the head, beside the rendered one.
 */
files: Array<FileDiff>, validation_passed: boolean, records: Array<RecordView>, 
/**
 * Note lines that are not valid records (truncated, forged…): shown, never counted.
 */
malformed: Array<string>, verdict: Verdict, };

export type RecordView = { approver: string, at: number, status: ReviewStatus, comment: string | null, approved_head: string, signature: SignatureState, };

export type ChangeBranch = { 
/**
 * `change/promote-api` (local) or `origin/change/promote-api` (only on the remote).
 */
name: string, remote: boolean, head: CommitSummary, 
/**
 * The merge base with the target.
 */
base: string, 
/**
 * The change's own commits, newest first.
 */
commits: Array<CommitSummary>, 
/**
 * Paths the change touches (against the merge base).
 */
files: Array<string>, 
/**
 * Identifies the change's content: the same for a rebase that changes nothing.
 */
content_id: string, 
/**
 * Commits on the target since the merge base.
 */
behind_target: number, };

export type SignatureState = { "state": "valid", fingerprint: string, principal: string, } | { "state": "invalid", reason: string, } | { "state": "missing" } | { "state": "unknown_key", fingerprint: string, } | { "state": "wrong_principal", fingerprint: string, key_principals: Array<string>, };

export type Verdict = { state: VerdictState, 
/**
 * One line in plain words: "ready to merge", "needs 1 more approval from @ops-leads",
 * "blocked: freeze until 4 Jan 2027 00:00 UTC (holidays)".
 */
summary: string, 
/**
 * Every rule that applies, in order: policy rules, CODEOWNERS entries, policy-file protection.
 */
rules: Array<RuleVerdict>, 
/**
 * The policy rules that do not apply, and why (so a reviewer sees what was considered).
 */
not_applied: Array<NotApplied>, 
/**
 * The active freeze window that blocks the change, if any.
 */
freeze: FreezeInfo | null, 
/**
 * Why the policy could not be read, when it could not (the change is then blocked).
 */
problem: PolicyError | null, };

export type VerdictState = "ready_to_merge" | "needs_approvals" | "blocked" | "changes_requested";

export type RuleVerdict = { rule: string, source: RuleSource, 
/**
 * The changed paths this rule covers.
 */
matched_paths: Array<string>, 
/**
 * Why the rule applies by effect, one line per environment: "changes prod: api, env
 * FEATURE_NEW_CART false → true, via base/api.yaml".
 */
matched_effects: Array<string>, required: number, 
/**
 * Who may approve, as the rule writes them: `@ops-leads`, `maya`, an email.
 */
approver_names: Array<string>, 
/**
 * Who may approve, expanded to people.
 */
approvers: Array<PersonRef>, 
/**
 * True when the rule names no approvers: anyone but the author counts.
 */
anyone_may_approve: boolean, allow_author: boolean, 
/**
 * Approvers the rule names that `people.yaml` does not know (no such team or person id).
 */
unknown_approvers: Array<string>, counted: Array<CountedApproval>, 
/**
 * Valid `request_changes` records that are their author's latest word.
 */
changes_requested: Array<CountedApproval>, ignored: Array<IgnoredApproval>, 
/**
 * The criteria that auto-approved this rule, in words.
 */
auto_approved_by: string | null, 
/**
 * Why the rule's `auto_approve` did not apply, in words.
 */
auto_approve_declined: string | null, satisfied: boolean, };

export type RuleSource = { "kind": "policy" } | { "kind": "codeowners", section: string | null, pattern: string, line: number, } | { "kind": "policy_files", based_on: string | null, };

export type CountedApproval = { person: PersonRef, at: number, signature: PolicySignature, commit: string, 
/**
 * It approved another head with other content and counts only because
 * `dismiss_stale_approvals` is off.
 */
stale: boolean, comment: string | null, };

export type IgnoredApproval = { approver_email: string, status: ReviewStatus, at: number, signature: PolicySignature, commit: string, reason: IgnoreReason, };

export type IgnoreReason = { "kind": "stale", approved_commit: string, } | { "kind": "unsigned" } | { "kind": "unknown_key" } | { "kind": "invalid_signature", reason: string, } | { "kind": "principal_mismatch", principal: string, } | { "kind": "author" } | { "kind": "not_an_approver" } | { "kind": "superseded" };

export type FreezeInfo = { reason: string, from: number, until: number, 
/**
 * `until` in words, UTC: `4 Jan 2027 00:00 UTC`.
 */
until_text: string, 
/**
 * The changed paths inside the window.
 */
paths: Array<string>, 
/**
 * The window's environments the change alters.
 */
environments: Array<string>, };

export type NotApplied = { rule: string, 
/**
 * "no changed file matches overlays/staging/**; staging renders as before".
 */
reason: string, };

export type EnvironmentTouch = { env: string, 
/**
 * `changed`, `added` (the change creates it) or `removed` (it disappears).
 */
status: string, 
/**
 * The changed files this environment reads: how the change reaches it.
 */
via: Array<string>, };

export type Effect = { 
/**
 * Every environment of either side, in the head's promotion order (removed ones last).
 */
environments: Array<EnvironmentEffect>, 
/**
 * The changed files that define environments (`.wheelhouse/config.yaml`, Argo CD
 * Applications, Flux Kustomizations, Kargo Stages): the change may move what the rules
 * protect.
 */
redefining: Array<string>, 
/**
 * Errors the head has that the base does not: the head does not render as written.
 */
problems: Array<Problem>, };

export type EnvironmentEffect = { env: string, status: EffectStatus, 
/**
 * The changed files this environment reads (before or after the change): how the change
 * reaches it.
 */
via: Array<string>, fields: Array<RenderedFieldChange>, 
/**
 * The rendered objects that differ, in render order.
 */
resources: Array<ResourceDiff>, };

export type EffectStatus = "unaffected" | "changed" | "added" | "removed";

export type ResourceDiff = { 
/**
 * `Deployment shop-prod/api`.
 */
resource: string, status: ResourceStatus, 
/**
 * `--- base` / `+++ head` unified diff of the object as `kustomize build` prints it.
 */
diff: string, };

export type ResourceStatus = "added" | "removed" | "changed";

export type RenderedFieldChange = { 
/**
 * The file that sets the new value (the old one, for a removal; empty when unknown).
 */
path: string, env: string, workload: string, field: ChangedField, 
/**
 * Which one: the variable's name, the resource key, the values key path, the container of
 * an image, or the JSON path of an `other` change.
 */
key: string | null, 
/**
 * The object, as `Kind name` (`Deployment api`), for changes read off the render.
 */
resource: string | null, 
/**
 * `None` when the value did not exist before (or no longer exists after).
 */
from: string | null, to: string | null, 
/**
 * [`FieldChange::describe`], for the faces.
 */
summary: string, };

export type ChangedField = "image_tag" | "replicas" | "chart_version" | "env" | "resources" | "helm_value" | "other";

export type PersonRef = { id: string | null, name: string | null, email: string, };

export type Identity = { name: string, email: string, };

export type FieldChange = { 
/**
 * The repo-relative file where the new value is set. Auto-approval uses it to check that
 * every changed file is explained by field changes.
 */
path: string, env: string, workload: string, field: FieldKind, 
/**
 * Which one: the variable's name, the resource key, the values key path, the JSON path.
 */
key: string | null, 
/**
 * The object (`Deployment api`), when the change was read off the render.
 */
resource: string | null, 
/**
 * `None` when the value did not exist before (or no longer exists after).
 */
from: string | null, to: string | null, 
/**
 * In words: `api, env FEATURE_NEW_CART false → true`.
 */
summary: string, };

export type PolicySignature = { "kind": "valid", key_fingerprint: string, principal: string, } | { "kind": "invalid", reason: string, } | { "kind": "missing" } | { "kind": "unknown_key" };

export type FieldKind = "image_tag" | "replicas" | "chart_version" | "env" | "resources" | "helm_value" | "other";

export type ReviewStatus = "approve" | "request_changes";

export type PolicyError = { code: ErrorCode, 
/**
 * The label the caller gave the file, e.g. `.wheelhouse/policy.yaml`.
 */
file: string, 
/**
 * 1-based; 0 only when the YAML parser could not tell where the problem is.
 */
line: number, 
/**
 * 1-based, in characters; 0 when unknown.
 */
column: number, message: string, };

/** What each error code means, for people: a title and what to do. */
export const ERROR_WORDS: Record<ErrorCode, { title: string; hint: string }> = {
	path_not_found: { title: "That folder does not exist", hint: "Check the path and try again." },
	not_a_directory: { title: "That is a file, not a folder", hint: "Choose the folder that holds the repository." },
	not_a_repository: { title: "Not a Git repository", hint: "Open the folder that holds .git, or clone the repository first." },
	bare_repository: { title: "This is a bare repository", hint: "Clone it and open the clone: a bare repository has no files to show." },
	empty_repository: { title: "This repository is empty", hint: "Add your manifests, commit them, and open it again." },
	no_commits: { title: "This repository has no commits yet", hint: "Commit its files first, then open it again." },
	no_repository_open: { title: "No repository is open", hint: "Open a folder, clone a repository or try the demo." },
	destination_not_empty: { title: "The destination is not empty", hint: "Choose a new or empty folder." },
	invalid_input: { title: "Something is missing or wrong", hint: "Correct the value the message names and try again." },
	git: { title: "Git could not do it", hint: "Run the same in a terminal with git to see more; nothing was changed." },
	io: { title: "A file could not be read or written", hint: "Check that the folder exists and is writable, then try again." },
	auth_required: { title: "The remote asked for credentials", hint: "Sign in: Sync now asks for them, or run wheelhouse login HOST." },
	clone_failed: { title: "The clone failed", hint: "Check the URL and your network, then try again." },
	auth_failed: { title: "The remote rejected the credentials", hint: "Check the user name and token, then try again." },
	cancelled: { title: "Cancelled", hint: "Nothing was left half-done; start it again when you are ready." },
	remote_unreachable: { title: "The remote cannot be reached", hint: "You are working offline; it syncs again when the remote answers." },
	not_a_git_remote: { title: "That URL is not a Git repository", hint: "Check the URL: it should be what git clone takes." },
	invalid_url: { title: "That is not a URL Git understands", hint: "Use an https://, ssh:// or git@host:path URL." },
	index_locked: { title: "Another Git command is running", hint: "Wait for it to finish (or remove a stale .git/index.lock), then try again." },
	operation_in_progress: { title: "A merge or rebase is under way", hint: "Finish or abort it in a terminal first." },
	identity_missing: { title: "Git does not know who you are", hint: "Set user.name and user.email (git config --global), then try again." },
	path_outside_repository: { title: "That path leaves the repository", hint: "Use a path inside the repository's folder." },
	revert_conflict: { title: "The rollback conflicts with later commits", hint: "Revert it by hand in a terminal, or roll back to a later commit." },
	commit_not_found: { title: "That commit does not exist here", hint: "Fetch first, or check the commit id." },
	nothing_to_commit: { title: "There is nothing to commit", hint: "Change a file first." },
	push_rejected: { title: "The remote refused the push", hint: "Sync to take the remote's new commits, then push again." },
	detached_head: { title: "No branch is checked out", hint: "Check out a branch, then try again." },
	no_upstream: { title: "This branch has no upstream", hint: "Push it once (it sets the upstream), or set one with git branch -u." },
	file_changed: { title: "The file changed on disk", hint: "Look at the new content and make the change again; nothing was written." },
	update_blocked: { title: "The update cannot be applied safely", hint: "Commit or discard your local edits to the files named, then sync again." },
	keyring_unavailable: { title: "The system keyring is not available", hint: "Unlock or start the keyring (GNOME Keyring, KWallet), then try again." },
	not_editable: { title: "That value cannot be edited here", hint: "Edit the file the message names by hand." },
	merge_conflict: { title: "The change conflicts with the target branch", hint: "Update the change branch with the target's commits and resolve the conflict." },
	not_fast_forward: { title: "The branch has moved on", hint: "Sync first, then try again." },
	bad_signature: { title: "The signature does not verify", hint: "Do not install it; check the release feed and its public key." },
	not_configured: { title: "Not set up yet", hint: "Configure it in Settings (or the config file the message names)." },
	unknown_environment: { title: "There is no such environment", hint: "Pick an environment the matrix shows." },
	unknown_workload: { title: "That workload does not run there", hint: "Pick a workload the environment runs." },
	invalid_value: { title: "That value is not valid", hint: "Correct the value the message names." },
	invalid_yaml: { title: "The YAML cannot be read", hint: "Fix the file at the line and column named." },
	invalid_file: { title: "The file cannot be used as it is", hint: "Fix the file the message names, then try again." },
	missing_file: { title: "A file is missing", hint: "Create the file the message names, or correct the reference to it." },
	unsupported: { title: "Wheelhouse does not edit this construct", hint: "Edit the file by hand; the message says which part." },
	internal: { title: "Wheelhouse made a mistake", hint: "Nothing was written. Please report it with the message." },
	keyring_failed: { title: "The keyring refused the operation", hint: "Check the keyring is unlocked, then try again." },
	watch_limit_reached: { title: "Too many folders to watch", hint: "Raise fs.inotify.max_user_watches; until then, changes on disk are seen on refresh." },
	watch_failed: { title: "Changes on disk are not being watched", hint: "Refresh by hand to see files changed outside the app." },
	key_unreadable: { title: "The key file cannot be read", hint: "Check the path of the signing key and its permissions." },
	not_a_private_key: { title: "That file is not a private key", hint: "Choose the private key, not the .pub file." },
	passphrase_required: { title: "The key needs its passphrase", hint: "Enter the passphrase, or add the key to ssh-agent." },
	wrong_passphrase: { title: "That passphrase does not open the key", hint: "Type the passphrase again." },
	unsupported_encryption: { title: "The key's encryption is not supported", hint: "Add the key to ssh-agent and sign through the agent." },
	key_locked: { title: "The key is locked", hint: "Unlock it in ssh-agent or enter its passphrase." },
	unsupported_key: { title: "This kind of key cannot sign approvals", hint: "Use an ed25519, ECDSA or RSA SSH key." },
	signing_failed: { title: "Signing failed", hint: "Try again; if it repeats, check the key with ssh-keygen -Y sign." },
	no_signing_key: { title: "No signing key is set", hint: "Choose one in Settings, or set git config user.signingkey." },
	invalid_public_key: { title: "That public key cannot be read", hint: "Paste the whole line of the .pub file." },
	agent_unavailable: { title: "ssh-agent is not running", hint: "Start ssh-agent (SSH_AUTH_SOCK), or choose a key file." },
	key_not_in_agent: { title: "The key is not in ssh-agent", hint: "Add it with ssh-add, or choose the key file." },
	agent_refused: { title: "ssh-agent refused to sign", hint: "Confirm the request in the agent, or check its constraints." },
	invalid_record: { title: "An approval record cannot be read", hint: "It is ignored; ask its author to approve again." },
	invalid_ref: { title: "That is not a valid Git reference", hint: "Check the branch or revision name." },
	concurrent_update: { title: "Someone recorded at the same moment", hint: "Try again; both records are kept." },
	notes_failed: { title: "The approval records could not be written", hint: "Check the repository is writable, then try again." },
	merge_not_allowed: { title: "The rules do not allow merging yet", hint: "Get the approvals the verdict names, or wait out the freeze." },
	policy_not_satisfied: { title: "The change does not satisfy the rules", hint: "Get the approvals the verdict names." },
	invalid_glob: { title: "A path pattern cannot be read", hint: "Fix the pattern at the line named." },
	invalid_codeowners: { title: "CODEOWNERS cannot be read", hint: "Fix the line named." },
	unknown_component: { title: "There is no such component", hint: "Use a component id from components.yaml." },
	unknown_incident: { title: "There is no such incident", hint: "Use an incident from the status folder." },
	unknown_maintenance: { title: "There is no such maintenance", hint: "Use a maintenance from the status folder." },
	unknown_template: { title: "There is no such template", hint: "Use a template from the status folder." },
	unknown_status: { title: "That status does not exist", hint: "Use one of the statuses the message lists." },
	invalid_position: { title: "That position is outside the list", hint: "Choose a position within the list." },
	invalid_time: { title: "That time cannot be read", hint: "Write it as RFC 3339 (2026-12-07T09:00:00Z) or as the message shows." },
	invalid_time_zone: { title: "That time zone does not exist", hint: "Use an IANA name such as Europe/Berlin." },
	invalid_front_matter: { title: "The file's front matter cannot be read", hint: "Fix the block between the --- lines." },
	update_before_start: { title: "The update is dated before the incident started", hint: "Correct the update's time." },
	update_before_previous: { title: "The update is dated before the latest one", hint: "Date it after the latest update." },
	overlapping_maintenance: { title: "Two maintenances overlap", hint: "Move one window so they do not overlap for the same component." },
	duplicate_component: { title: "A component is listed twice", hint: "Keep one of them." },
	invalid_transition: { title: "That step is not possible now", hint: "The message says what state it is in." },
	status_invalid: { title: "The status page has errors", hint: "Fix the problems listed first." },
	no_linked_component: { title: "No component stands for these workloads", hint: "Link a component to the environment in components.yaml." },
	path_outside_source: { title: "That path leaves the source folder", hint: "Import from inside the folder given." },
	invalid_source: { title: "The source cannot be imported", hint: "Check it is the kind of page the command expects." },
	destination_exists: { title: "The destination has other files", hint: "Use --force to overwrite them, or choose another folder." },
	not_found: { title: "Not found", hint: "Check the name the message gives." },
	check_failed: { title: "The check failed", hint: "Fix the problems listed." },
	validation_failed: { title: "The repository has problems", hint: "Fix the problems listed, at their file and line." },
	disagreement: { title: "The render disagrees with kustomize", hint: "The differences are listed; please report them." },
	not_evaluated: { title: "Not evaluated", hint: "What the cluster gets here is decided outside this repository; the value is shown as written or left out." },
	no_effect: { title: "An entry changes nothing", hint: "Check the names it matches, or remove it." },
	unknown_field: { title: "A field Wheelhouse does not know", hint: "Check its spelling; the reconciler may reject it." },
	delivery_failed: { title: "A message was not delivered", hint: "The record lists it as failed; run the command again to send it." },
	monitor_failing: { title: "A monitor is failing", hint: "Each failing check says which condition failed and what it saw." },
};
