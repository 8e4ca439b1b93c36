// The one module that talks to the Rust core. Components import these functions, never
// `@tauri-apps/*`, so the UI can run against mocks in tests.
import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type {
	ErrorReport,
	CommitDetail,
	CommitSummary,
	CredentialAnswer,
	CredentialKind,
	CredentialRequest,
	FileDiff,
	HistoryPage,
	HistoryQuery,
	RepoChange,
	RepoOverview,
	Rollback,
	StartupView,
	UpdateStatus,
	OpenedByAnotherStart,
	StoredCredential,
	SyncStatusView,
	MonitorWatchView,
	TransferEvent,
	Matrix,
	WorkloadState,
	Field,
	FileEdit,
	Promotion,
	RenderView,
	RenderCheck,
	CreatedChange,
	Difference,
	Problem,
	ChangeReview,
	Effect,
	SigningSetup,
	MergeOutcome,
	OpenedFile,
	AgentIdentity,
	StatusView,
	StatusEdit,
	StatusEditOutcome,
	Publication,
	LastPublish,
	SubscribersView,
	MonitorsView,
	MonitorRun,
	Notified,
	Delivery,
	ComponentStatus,
	IncidentStatus,
	Impact,
	ComponentChange,
	MaintenanceWindow
} from './generated/types';

export type * from './generated/types';
import { errorReport } from './errors';
export { errorReport };

/** Turns anything a command threw into the one error shape (`{code, message, file, line, column, hint}`). */
export function asErrorReport(e: unknown): ErrorReport {
	if (e && typeof e === 'object' && 'code' in e && 'message' in e) {
		const r = e as Partial<ErrorReport> & Pick<ErrorReport, 'code' | 'message'>;
		return errorReport(r.code, r.message, r);
	}
	return errorReport('io', `Unexpected error: ${String(e)}`);
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
	try {
		return await invoke<T>(command, args);
	} catch (e) {
		throw asErrorReport(e);
	}
}

/** Runs a status page edit and returns the page afterwards. */
async function statusEditView(edit: StatusEdit): Promise<StatusView> {
	return (await call<StatusEditOutcome>('status_edit', { edit, dryRun: false })).view;
}

let operationCounter = 0;
/** A fresh id for a long operation, so its progress events and Cancel find it. */
export function newOperationId(kind: string): string {
	operationCounter += 1;
	return `${kind}-${Date.now()}-${operationCounter}`;
}

export const backend = {
	startup: () => call<StartupView>('startup'),
	/** Settings → About: whether update checks are on, and with `fetch`, what the signed feed says. */
	checkUpdate: (fetch: boolean) => call<UpdateStatus>('check_update', { fetch }),
	openRepository: (path: string) => call<RepoOverview>('open_repository', { path }),
	chooseRepository: () => call<RepoOverview | null>('choose_repository'),
	openDemo: () => call<RepoOverview>('open_demo'),
	cloneRepository: (operation: string, url: string, destination: string | null) =>
		call<RepoOverview>('clone_repository', { operation, url, destination }),
	cancelOperation: (operation: string) => call<void>('cancel_operation', { operation }),
	answerCredentials: (answer: CredentialAnswer | null) => call<void>('answer_credentials', { answer }),
	closeRepository: () => call<void>('close_repository'),
	refreshOverview: () => call<RepoOverview>('refresh_overview'),
	syncNow: () => call<SyncStatusView>('sync_now'),
	syncStatus: () => call<SyncStatusView>('sync_status'),
	setSyncInterval: (seconds: number) => call<SyncStatusView>('set_sync_interval', { seconds }),
	push: (operation: string) => call<SyncStatusView>('push', { operation }),
	workingDiff: (path: string | null) => call<FileDiff[]>('working_diff', { path }),
	discardFile: (path: string) => call<RepoOverview>('discard_file', { path }),
	commitAll: (message: string) => call<CommitSummary>('commit_all', { message }),
	setIdentity: (name: string, email: string) => call<void>('set_identity', { name, email }),
	history: (query: HistoryQuery) => call<HistoryPage>('history', { query }),
	commitDetail: (id: string) => call<CommitDetail>('commit_detail', { id }),
	rollback: (id: string) => call<Rollback>('rollback', { id }),
	listCredentials: () => call<StoredCredential[]>('list_credentials'),
	forgetCredential: (kind: CredentialKind, host: string, user: string) =>
		call<StoredCredential[]>('forget_credential', { kind, host, user }),
	desiredMatrix: () => call<Matrix>('desired_matrix'),
	workloadDetail: (env: string, workload: string) => call<WorkloadState>('workload_detail', { env, workload }),
	planEdit: (env: string, workload: string, field: Field, value: string) =>
		call<FileEdit[]>('plan_edit', { env, workload, field, value }),
	editEffect: (env: string, workload: string, field: Field, value: string) =>
		call<Effect>('edit_effect', { env, workload, field, value }),
	applyEdit: (env: string, workload: string, field: Field, value: string) =>
		call<Matrix>('apply_edit', { env, workload, field, value }),
	undoEdit: () => call<Matrix>('undo_edit'),
	redoEdit: () => call<Matrix>('redo_edit'),
	planPromotion: (from: string, to: string, workloads: string[]) =>
		call<Promotion>('plan_promotion', { from, to, workloads }),
	promotionEffect: (from: string, to: string, workloads: string[]) =>
		call<Effect>('promotion_effect', { from, to, workloads }),
	createPromotion: (from: string, to: string, workloads: string[], maintenance: MaintenanceWindow | null = null) =>
		call<CreatedChange>('create_promotion', { from, to, workloads, maintenance }),
	compareEnvironments: (a: string, b: string) => call<Difference[]>('compare_environments', { a, b }),
	renderEnvironment: (env: string, workload: string | null) =>
		call<RenderView>('render_environment', { env, workload }),
	checkRender: (env: string, operation: string) => call<RenderCheck>('check_render', { env, operation }),
	validateRepository: () => call<Problem[]>('validate_repository'),
	openFile: (path: string) => call<OpenedFile>('open_file', { path }),
	checkFile: (path: string, text: string) => call<Problem[]>('check_file', { path, text }),
	planFile: (path: string, before: string, text: string) => call<FileEdit>('plan_file', { path, before, text }),
	saveFile: (path: string, before: string, text: string) => call<Matrix>('save_file', { path, before, text }),
	listChanges: () => call<ChangeReview[]>('list_changes'),
	approveChange: (name: string, approve: boolean, comment: string) =>
		call<ChangeReview>('approve_change', { name, approve, comment }),
	mergeChange: (name: string) => call<MergeOutcome>('merge_change', { name }),
	signingSetup: () => call<SigningSetup>('signing_setup'),
	setSigningKey: (key: string, passphrase: string | null) => call<SigningSetup>('set_signing_key', { key, passphrase }),
	agentKeys: () => call<AgentIdentity[]>('agent_keys'),
	statusView: () => call<StatusView>('status_view'),
	statusEdit: (edit: StatusEdit, dryRun = false) => call<StatusEditOutcome>('status_edit', { edit, dryRun }),
	renderMarkdown: (text: string) => call<string>('render_markdown', { text }),
	statusLastPublish: () => call<LastPublish | null>('status_last_publish'),
	/** Publishes HEAD's status page to status-pages (`operation` names it for Cancel and the credential dialog). */
	statusPublish: (operation: string, push: boolean, dryRun: boolean) =>
		call<Publication>('status_publish', { operation, push, dryRun }),
	statusSubscribers: () => call<SubscribersView>('status_subscribers'),
	/** Tells every channel of the updates committed since they were last told (`operation` names it for the credential dialog). */
	statusNotify: (operation: string, dryRun: boolean) => call<Notified>('status_notify', { operation, dryRun }),
	statusTestNotification: (channel: string) => call<Delivery>('status_test_notification', { channel }),
	statusMonitors: () => call<MonitorsView>('status_monitors'),
	/** Runs the monitors once (`dueOnly`: those whose interval has passed) and records the results. */
	statusMonitorRun: (operation: string, dueOnly: boolean) => call<MonitorRun>('status_monitor_run', { operation, dueOnly }),
	/** Switches the monitors' checking in the background on (for the open repository, while the app is open) or off. */
	statusMonitorWatch: (on: boolean) => call<MonitorWatchView>('status_monitor_watch', { on }),
	statusMonitorWatchState: () => call<MonitorWatchView>('status_monitor_watch_state'),
	setComponentStatus: (id: string, status: string) =>
		statusEditView({ op: 'set_component_status', id, status: status as ComponentStatus }),
	moveComponent: (id: string, group: number, position: number) => statusEditView({ op: 'move_component', id, group, position }),
	newIncident: (i: { title: string; impact: string; status: string; components: { id: string; status: string }[]; body: string; template: string | null }) =>
		statusEditView({
			op: 'new_incident',
			title: i.title,
			impact: i.impact as Impact,
			status: i.status as IncidentStatus,
			components: i.components as ComponentChange[],
			body: i.body,
			template: i.template,
			started_at: null
		}),
	addIncidentUpdate: (slug: string, u: { status: string; body: string; components: { id: string; status: string }[] }) =>
		statusEditView({
			op: 'add_incident_update',
			slug,
			at: null,
			status: u.status as IncidentStatus,
			body: u.body,
			components: u.components as ComponentChange[]
		}),
	resolveIncident: (slug: string, body: string | null) => statusEditView({ op: 'resolve_incident', slug, at: null, body }),
	setPostmortem: (slug: string, markdown: string) => statusEditView({ op: 'set_postmortem', slug, markdown }),
	newMaintenance: (m: {
		title: string;
		impact: string;
		components: string[];
		scheduled_for: string;
		scheduled_until: string;
		time_zone: string;
		body: string;
	}) =>
		statusEditView({
			op: 'new_maintenance',
			title: m.title,
			impact: m.impact as Impact,
			components: m.components,
			scheduled_for: m.scheduled_for,
			scheduled_until: m.scheduled_until,
			time_zone: m.time_zone,
			body: m.body,
			description: ''
		}),
	startMaintenance: (slug: string) => statusEditView({ op: 'start_maintenance', slug, at: null, body: null }),
	completeMaintenance: (slug: string) => statusEditView({ op: 'complete_maintenance', slug, at: null, body: null }),
};

/** Events the core sends; each returns a function that stops listening. */
export const events = {
	onRepoChanged: (handler: (change: RepoChange) => void): Promise<UnlistenFn> =>
		listen<RepoChange>('repo-changed', (e) => handler(e.payload)),
	/** The app was started again naming another repository: it was opened here, or why not. */
	onRepositoryOpened: (handler: (outcome: OpenedByAnotherStart) => void): Promise<UnlistenFn> =>
		listen<OpenedByAnotherStart>('repository-opened', (e) => handler(e.payload)),
	onSyncStatus: (handler: (status: SyncStatusView) => void): Promise<UnlistenFn> =>
		listen<SyncStatusView>('sync-status', (e) => handler(e.payload)),
	onTransferProgress: (handler: (event: TransferEvent) => void): Promise<UnlistenFn> =>
		listen<TransferEvent>('transfer-progress', (e) => handler(e.payload)),
	onCredentialsNeeded: (handler: (request: CredentialRequest) => void): Promise<UnlistenFn> =>
		listen<CredentialRequest>('credentials-needed', (e) => handler(e.payload)),
	/** A round of the monitors' checking in the background started or ended, or it was switched. */
	onMonitorWatch: (handler: (view: MonitorWatchView) => void): Promise<UnlistenFn> =>
		listen<MonitorWatchView>('monitor-watch', (e) => handler(e.payload))
};
