//! The I/O edge: reads a repository's YAML files into a [`Snapshot`], keeps parses cached, and
//! refreshes only what changed. Everything it decides, it leaves to the pure modules.

use crate::layout::{ConfiguredEnvironment, WorkspaceConfig};
use crate::model::{DesiredState, Problem};
use crate::resolve::{self, ParseCache, Resolution, Snapshot};
use crate::tree::{as_str, get, items, str_at};
use process_wrap::std::{CommandWrap, ProcessGroup};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use wheelhouse_diagnostics::ErrorCode;

/// Files larger than this are listed but not parsed.
pub const MAX_FILE_BYTES: u64 = 5 * 1024 * 1024;

/// Folders never read.
const SKIPPED_DIRS: [&str; 4] = [".git", "node_modules", "target", ".terraform"];

pub use crate::layout::CONFIG_PATH;

/// A repository's desired state, kept current as files change.
#[derive(Debug)]
pub struct Workspace {
    root: PathBuf,
    snapshot: Snapshot,
    cache: ParseCache,
    resolution: Option<Resolution>,
}

/// YAML, and the files Kustomize generators read (`.env`, `.properties`, JSON, text…): the
/// files a snapshot holds, from a working tree or a commit.
pub fn wanted(rel: &str) -> bool {
    const GENERATOR_INPUTS: [&str; 9] = [
        ".env",
        ".properties",
        ".json",
        ".txt",
        ".conf",
        ".ini",
        ".toml",
        ".cfg",
        ".xml",
    ];
    resolve::is_yaml(rel) || GENERATOR_INPUTS.iter().any(|e| rel.ends_with(e))
}

impl Workspace {
    /// Reads every YAML file under `root` and resolves every environment.
    pub fn open(root: &Path) -> std::io::Result<Self> {
        let (root, snapshot, cache) = read_tree(root)?;
        let mut ws = Workspace {
            root,
            snapshot,
            cache,
            resolution: None,
        };
        ws.cache.warm(&ws.snapshot);
        ws.resolve(&[]);
        Ok(ws)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn state(&self) -> &DesiredState {
        &self.resolution.as_ref().expect("resolved on open").state
    }

    /// The files as last read.
    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }

    /// The text of a file as last read, if it is one of the YAML files.
    pub fn text(&self, rel: &str) -> Option<&Arc<str>> {
        self.snapshot.files.get(rel)
    }

    /// Re-reads the given repository-relative paths (changed, created or deleted) and resolves
    /// again; unchanged files are not parsed again.
    pub fn refresh(&mut self, changed: &[String]) {
        let mut changed = changed.to_vec();
        for rel in &changed {
            let input = self
                .snapshot
                .files
                .remove(rel)
                .is_some_and(|_| !wanted(rel))
                | self
                    .snapshot
                    .unreadable
                    .remove(rel)
                    .is_some_and(|_| !wanted(rel));
            if (wanted(rel) || input) && self.root.join(rel).is_file() {
                read_into(&self.root, rel, &mut self.snapshot);
            }
        }
        // A kustomization may now name generator inputs that were never read.
        changed.extend(read_generator_inputs(
            &self.root,
            &mut self.snapshot,
            &mut self.cache,
        ));
        self.resolve(&changed);
    }

    fn resolve(&mut self, changed: &[String]) {
        let (config, mut config_problems) = read_config(&mut self.cache, &self.snapshot);
        match self.resolution.as_mut() {
            Some(r) if !changed.is_empty() => {
                r.update(&self.snapshot, &mut self.cache, config.as_ref(), changed)
            }
            _ => {
                self.resolution = Some(resolve::resolve(
                    &self.snapshot,
                    &mut self.cache,
                    config.as_ref(),
                ))
            }
        }
        let state = &mut self.resolution.as_mut().expect("just resolved").state;
        state.problems.retain(|p| p.file != CONFIG_PATH);
        state.problems.append(&mut config_problems);
    }
}

impl Workspace {
    /// The rendered manifests of environment `env`, or `None` when there is no such
    /// environment.
    pub fn render(&mut self, env: &str) -> Option<resolve::Rendered> {
        let resolution = self.resolution.as_ref()?;
        let i = resolution.environment(env)?;
        Some(resolution.render(&self.snapshot, &mut self.cache, i))
    }

    /// "Check against kustomize build", prepared: Wheelhouse's render of `env` and the folders
    /// to build, so that the real Kustomize runs without the workspace ([`PreparedCheck::run`]:
    /// nothing waits on it meanwhile). The time limit is `check.timeout_seconds` of
    /// `.wheelhouse/config.yaml` ([`DEFAULT_CHECK_LIMIT`] otherwise).
    pub fn prepare_check(&mut self, env: &str) -> Result<PreparedCheck, String> {
        let rendered = self
            .render(env)
            .ok_or_else(|| format!("there is no environment {env}"))?;
        let (config, _) = read_config(&mut self.cache, &self.snapshot);
        Ok(PreparedCheck {
            root: self.root.clone(),
            folders: rendered.folders.clone(),
            edited: rendered.edited.clone(),
            ours: rendered.objects.iter().map(|o| o.to_json()).collect(),
            limit: config
                .and_then(|c| c.check_timeout)
                .map_or(DEFAULT_CHECK_LIMIT, std::time::Duration::from_secs),
        })
    }
}

/// How long one `kustomize build` of a check may run unless `.wheelhouse/config.yaml` says
/// otherwise (`check.timeout_seconds`): a remote base that never answers must not hang a check.
pub const DEFAULT_CHECK_LIMIT: std::time::Duration = std::time::Duration::from_secs(30);

/// A check ready to run: see [`Workspace::prepare_check`].
#[derive(Debug, Clone)]
pub struct PreparedCheck {
    root: PathBuf,
    folders: Vec<String>,
    /// Kustomizations (path, text) an Argo CD Application edits before it builds its folder.
    edited: Vec<(String, String)>,
    ours: Vec<serde_json::Value>,
    /// How long each folder's build may take; past it the build is stopped.
    pub limit: std::time::Duration,
}

impl PreparedCheck {
    /// Runs the real Kustomize on every folder (each within the limit; `cancel` stops it) and
    /// compares with Wheelhouse's render.
    pub fn run(&self, cancel: &AtomicBool) -> Result<RenderCheck, String> {
        let (tool, _) = kustomize_tool()
            .ok_or("neither kustomize nor kubectl is on PATH; the check needs one of them")?;
        // As Argo CD does: the edited kustomizations written in a copy of the repository,
        // which is built instead (the repository itself is never written).
        let copy = if self.edited.is_empty() {
            None
        } else {
            let copy = tempfile::tempdir().map_err(|e| format!("no temporary folder: {e}"))?;
            copy_dir(&self.root, copy.path())
                .map_err(|e| format!("the repository could not be copied: {e}"))?;
            for (path, text) in &self.edited {
                std::fs::write(copy.path().join(path), text)
                    .map_err(|e| format!("{path} could not be written in the copy: {e}"))?;
            }
            Some(copy)
        };
        let root = copy.as_ref().map_or(self.root.as_path(), |c| c.path());
        let mut theirs = Vec::new();
        for dir in &self.folders {
            let text = kustomize_build_within(root, dir, self.limit, cancel)?;
            theirs.extend(crate::render::parse_documents(dir, &text)?);
        }
        Ok(RenderCheck {
            tool,
            folders: self.folders.clone(),
            edited: self.edited.iter().map(|(p, _)| p.clone()).collect(),
            disagreements: crate::render::compare(&self.ours, &theirs),
        })
    }
}

impl Workspace {
    /// What writing `edits` would do to every environment (the rendered diff, per environment
    /// and resource), before anything is written: the edit preview and the promotion dialog.
    pub fn effect_of(&mut self, edits: &[crate::edit::FileEdit]) -> crate::effect::Effect {
        let mut head = self.snapshot.clone();
        let changed: Vec<String> = edits.iter().map(|e| e.path.clone()).collect();
        for e in edits {
            head.unreadable.remove(&e.path);
            head.files
                .insert(e.path.clone(), Arc::from(e.after.as_str()));
        }
        let (config, _) = read_config(&mut self.cache, &self.snapshot);
        crate::effect::of_change(
            &self.snapshot,
            self.resolution.as_ref().expect("resolved on open"),
            config.as_ref(),
            &head,
            &changed,
            &mut self.cache,
            &mut Default::default(),
        )
    }
}

/// An environment's (or one workload's) rendered manifests, for the Rendered tab.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct RenderView {
    pub environment: String,
    pub workload: Option<String>,
    /// Multi-document YAML, as `kustomize build` prints it.
    pub yaml: String,
    /// The folders built.
    pub folders: Vec<String>,
    /// The kustomizations an Argo CD Application's `kustomize:` edits before its folder is built
    /// (what is shown is built from them as edited).
    pub edited: Vec<String>,
    /// What the render found (not evaluated, targets matching nothing…).
    pub problems: Vec<Problem>,
}

impl Workspace {
    /// [`Workspace::render`] for the Rendered tab: `workload` narrows it to that workload's
    /// objects. `None` when there is no such environment.
    pub fn render_view(&mut self, env: &str, workload: Option<&str>) -> Option<RenderView> {
        let mut r = self.render(env)?;
        if let Some(w) = workload {
            r = r.only(w);
        }
        Some(RenderView {
            environment: env.to_owned(),
            workload: workload.map(str::to_owned),
            yaml: r.to_yaml(),
            folders: r.folders.clone(),
            edited: r.edited.iter().map(|(p, _)| p.clone()).collect(),
            problems: r.problems.clone(),
        })
    }
}

/// The outcome of "Check against kustomize build".
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct RenderCheck {
    /// The command that was run (`kubectl kustomize` or `kustomize build`).
    pub tool: String,
    pub folders: Vec<String>,
    /// The kustomizations built as an Argo CD Application edits them, in a copy of the
    /// repository.
    pub edited: Vec<String>,
    pub disagreements: Vec<crate::render::Disagreement>,
}

/// `kustomize build` (or `kubectl kustomize`), whichever is on PATH, with its arguments.
fn kustomize_tool() -> Option<(String, Vec<&'static str>)> {
    let on_path = |name: &str| {
        std::env::var_os("PATH")
            .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(name).is_file()))
    };
    if on_path("kustomize") {
        Some(("kustomize build".into(), vec!["build"]))
    } else if on_path("kubectl") {
        Some(("kubectl kustomize".into(), vec!["kustomize"]))
    } else {
        None
    }
}

fn has_kustomization(dir: &Path) -> bool {
    ["kustomization.yaml", "kustomization.yml", "Kustomization"]
        .iter()
        .any(|k| dir.join(k).is_file())
}

/// The resources Flux lists for a folder without a kustomization: the folders below holding
/// one, and the manifests elsewhere under it.
fn flux_generated_resources(dir: &Path, rel: &str, out: &mut Vec<String>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for p in entries {
        let name = p
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let here = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        if p.is_dir() {
            if has_kustomization(&p) {
                out.push(here);
            } else {
                flux_generated_resources(&p, &here, out)?;
            }
        } else if name.ends_with(".yaml") || name.ends_with(".yml") {
            let text = std::fs::read_to_string(&p)?;
            if text.contains("apiVersion:") && text.contains("kind:") {
                out.push(here);
            }
        }
    }
    Ok(())
}

/// Copies the folder `from` to `to`, without Git's own folder; links stay links (one that
/// points outside is never followed into a copy of what it points at).
fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        let p = e.path();
        if p.file_name().is_some_and(|n| n == ".git") {
            continue;
        }
        let t = to.join(p.file_name().unwrap_or_default());
        let kind = e.file_type()?;
        if kind.is_symlink() {
            #[cfg(unix)]
            std::os::unix::fs::symlink(std::fs::read_link(&p)?, &t)?;
        } else if kind.is_dir() {
            copy_dir(&p, &t)?;
        } else {
            std::fs::copy(&p, &t)?;
        }
    }
    Ok(())
}

/// Runs the real Kustomize on `dir` of the repository at `root`: what it prints. Within
/// [`DEFAULT_CHECK_LIMIT`].
pub fn kustomize_build(root: &Path, dir: &str) -> Result<String, String> {
    kustomize_build_within(root, dir, DEFAULT_CHECK_LIMIT, &AtomicBool::new(false))
}

/// [`kustomize_build`] stopped (with every process it started) once it runs past `limit` or
/// `cancel` is set.
pub fn kustomize_build_within(
    root: &Path,
    dir: &str,
    limit: std::time::Duration,
    cancel: &AtomicBool,
) -> Result<String, String> {
    let (tool, args) = kustomize_tool()
        .ok_or("neither kustomize nor kubectl is on PATH; the check needs one of them")?;
    let program = tool.split(' ').next().unwrap_or("kubectl");
    let mut folder = root.join(if dir.is_empty() { "." } else { dir });
    // A folder without a kustomization is built as Flux builds it: a kustomization listing
    // what is under it, written in a copy (the repository is never written).
    let copy = tempfile::tempdir().map_err(|e| format!("no temporary folder: {e}"))?;
    if !has_kustomization(&folder) {
        let target = copy.path().join("folder");
        copy_dir(&folder, &target).map_err(|e| format!("{dir} could not be read: {e}"))?;
        let mut resources = Vec::new();
        flux_generated_resources(&target, "", &mut resources)
            .map_err(|e| format!("{dir} could not be read: {e}"))?;
        let mut k = String::from("resources:\n");
        for r in resources {
            k.push_str(&format!("  - {r}\n"));
        }
        std::fs::write(target.join("kustomization.yaml"), k)
            .map_err(|e| format!("no temporary folder: {e}"))?;
        folder = target;
    }
    // Output goes to files: a pipe that fills up would stop the build before it ends.
    let out_path = copy.path().join("stdout");
    let err_path = copy.path().join("stderr");
    let file = |p: &Path| std::fs::File::create(p).map_err(|e| format!("no temporary folder: {e}"));
    let (out_file, err_file) = (file(&out_path)?, file(&err_path)?);
    let mut child = CommandWrap::with_new(program, |c| {
        c.args(&args)
            .arg(&folder)
            .stdin(std::process::Stdio::null())
            .stdout(out_file)
            .stderr(err_file);
    })
    .wrap(ProcessGroup::leader())
    .spawn()
    .map_err(|e| format!("{tool} could not be started: {e}"))?;
    let started = std::time::Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => {}
            Err(e) => return Err(format!("{tool} {dir}: {e}")),
        }
        let stop = if cancel.load(Ordering::Relaxed) {
            Some(format!("{tool} {dir} was cancelled"))
        } else if started.elapsed() >= limit {
            Some(format!(
                "{tool} {dir} did not finish within {} s (a remote base that does not answer?) and was stopped; the limit is check.timeout_seconds in {CONFIG_PATH}",
                limit.as_secs()
            ))
        } else {
            None
        };
        if let Some(why) = stop {
            // The whole process group: kubectl and the git it started for a remote base.
            let _ = child.kill();
            let _ = child.wait();
            return Err(why);
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    if !status.success() {
        let stderr = std::fs::read_to_string(&err_path).unwrap_or_default();
        return Err(format!("{tool} {dir} failed: {}", stderr.trim()));
    }
    let bytes =
        std::fs::read(&out_path).map_err(|e| format!("{tool}'s output could not be read: {e}"))?;
    String::from_utf8(bytes).map_err(|_| format!("{tool} printed something that is not UTF-8"))
}

fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

/// Reads one file into the snapshot, or records why it cannot be read.
fn read_into(root: &Path, rel: &str, snapshot: &mut Snapshot) {
    let linked =
        std::fs::symlink_metadata(root.join(rel)).is_ok_and(|m| m.file_type().is_symlink());
    let read = read_file(root, rel, linked, &mut Vec::new());
    keep(snapshot, rel.to_owned(), read);
}

/// What reading one file gave: its text, or why it is not read.
type Read = Result<Arc<str>, String>;

fn keep(snapshot: &mut Snapshot, rel: String, read: Read) {
    match read {
        Ok(text) => {
            snapshot.files.insert(rel, text);
        }
        Err(why) => {
            snapshot.unreadable.insert(rel, why);
        }
    }
}

/// Reads `rel` (a symbolic link when `linked`, as the directory walk saw it) with the limits
/// manifests have: one open, one size query, one read.
fn read_file(root: &Path, rel: &str, linked: bool, buf: &mut Vec<u8>) -> Read {
    use std::io::Read as _;
    if linked && wheelhouse_paths::on_disk(root, rel).is_err() {
        return Err(
            "is a symbolic link that points outside the repository; it was not read".into(),
        );
    }
    let mut file =
        std::fs::File::open(root.join(rel)).map_err(|e| format!("cannot be read: {e}"))?;
    // Read into the caller's buffer (reused from file to file), then one allocation of the
    // exact size: a repository holds thousands of small files.
    buf.clear();
    (&mut file)
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(buf)
        .map_err(|e| format!("cannot be read: {e}"))?;
    if buf.len() as u64 > MAX_FILE_BYTES {
        let size = file.metadata().map_or(buf.len() as u64, |m| m.len());
        return Err(format!(
            "is {} MB, over the {} MB limit for manifests; it was not parsed",
            size / 1_000_000,
            MAX_FILE_BYTES / 1_000_000
        ));
    }
    if buf.contains(&0) {
        return Err("is a binary file with a YAML name; it was not parsed".into());
    }
    std::str::from_utf8(buf)
        .map(Arc::from)
        .map_err(|_| "is not UTF-8 text; it was not parsed".into())
}

/// Reads every file of `files` (paths with whether each is a symbolic link) on all cores.
fn read_all(root: &Path, files: Vec<(String, bool)>, snapshot: &mut Snapshot) {
    let parts = crate::resolve::on_cores(&files, |part| {
        let mut buf = Vec::with_capacity(64 * 1024);
        part.iter()
            .map(|(rel, linked)| (rel.clone(), read_file(root, rel, *linked, &mut buf)))
            .collect::<Vec<_>>()
    });
    for (rel, read) in parts.into_iter().flatten() {
        keep(snapshot, rel, read);
    }
}

/// The repository under `root` as resolution reads it (every YAML file and the generator
/// inputs its kustomizations name), with the canonical root and the kustomizations parsed.
fn read_tree(root: &Path) -> std::io::Result<(PathBuf, Snapshot, ParseCache)> {
    let root = root.canonicalize()?;
    let mut snapshot = Snapshot::default();
    let mut files = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let path = entry.path();
            let name = entry.file_name();
            let file_type = entry.file_type()?;
            if file_type.is_dir() {
                if !SKIPPED_DIRS.iter().any(|s| name == *s) {
                    stack.push(path);
                }
                continue;
            }
            let Some(rel) = relative(&root, &path) else {
                continue;
            };
            if wanted(&rel) {
                files.push((rel, file_type.is_symlink()));
            }
        }
    }
    read_all(&root, files, &mut snapshot);
    let mut cache = ParseCache::default();
    read_generator_inputs(&root, &mut snapshot, &mut cache);
    Ok((root, snapshot, cache))
}

/// Renders the environment `env` of the repository under `root` without resolving the others:
/// every file is read (environments are found from any of them), and only what `env` builds is
/// parsed. `Ok(Err(names))` when there is no such environment, with the names there are.
pub fn render_environment(
    root: &Path,
    env: &str,
) -> std::io::Result<Result<resolve::Rendered, Vec<String>>> {
    let (_, snapshot, mut cache) = read_tree(root)?;
    let (config, _) = read_config(&mut cache, &snapshot);
    Ok(resolve::render_environment(
        &snapshot,
        &mut cache,
        config.as_ref(),
        env,
    ))
}

/// Reads into `snapshot` the generator inputs its kustomizations name that it does not hold
/// (see [`resolve::kustomize::generator_inputs`]); returns the ones read.
fn read_generator_inputs(
    root: &Path,
    snapshot: &mut Snapshot,
    cache: &mut ParseCache,
) -> Vec<String> {
    let mut read = Vec::new();
    for rel in crate::resolve::kustomize::generator_inputs(snapshot, cache) {
        if wheelhouse_paths::on_disk(root, &rel).is_ok_and(|p| p.is_file()) {
            read_into(root, &rel, snapshot);
            read.push(rel);
        }
    }
    read
}

/// Adds files read elsewhere (a commit's tree) to `snapshot`, whatever their names, with the
/// limits of [`snapshot_from_bytes`]: the generator inputs a commit's kustomizations name.
pub fn add_bytes(snapshot: &mut Snapshot, files: std::collections::BTreeMap<String, Vec<u8>>) {
    let extra = snapshot_from_any(files);
    snapshot.files.extend(extra.files);
    snapshot.unreadable.extend(extra.unreadable);
}

/// `.wheelhouse/config.yaml`, when present. Problems name the file, line and column.
pub fn read_config(
    cache: &mut ParseCache,
    snapshot: &Snapshot,
) -> (Option<WorkspaceConfig>, Vec<Problem>) {
    let Some(text) = snapshot.files.get(CONFIG_PATH) else {
        return (None, Vec::new());
    };
    let parsed = match crate::yaml::parse(CONFIG_PATH, text) {
        Ok(p) => p,
        Err(e) => {
            return (
                None,
                vec![Problem::new(
                    ErrorCode::InvalidYaml,
                    CONFIG_PATH,
                    Some(e.line),
                    Some(e.column),
                    format!("{}; environments were detected instead", e.message),
                )],
            )
        }
    };
    let _ = cache;
    let mut problems = Vec::new();
    let mut config = WorkspaceConfig::default();
    if let Some(root) = parsed.documents().first() {
        for env in items(get(root, "environments").unwrap_or(&crate::tree::EMPTY)) {
            let Some(name) = str_at(env, &["name"]) else {
                problems.push(Problem::new(
                    ErrorCode::InvalidFile,
                    CONFIG_PATH,
                    Some(env.span().line),
                    Some(env.span().column),
                    "an environment needs a name",
                ));
                continue;
            };
            let mut paths = Vec::new();
            for node in items(get(env, "paths").unwrap_or(&crate::tree::EMPTY)) {
                let Some(path) = as_str(node) else { continue };
                if crate::resolve::join("", path).is_none() {
                    problems.push(Problem::new(
                        ErrorCode::PathOutsideRepository,
                        CONFIG_PATH,
                        Some(node.span().line),
                        Some(node.span().column),
                        format!(
                            "environment {name}: {path} points outside the repository; it was not read"
                        ),
                    ));
                    continue;
                }
                paths.push(path.to_owned());
            }
            let protected = str_at(env, &["protected"]) == Some("true");
            config.environments.push(ConfiguredEnvironment {
                name: name.to_owned(),
                paths,
                protected,
            });
        }
        if let Some(t) = get(root, "check").and_then(|c| get(c, "timeout_seconds")) {
            match as_str(t).and_then(|s| s.parse::<u64>().ok()) {
                Some(n) if (1..=3600).contains(&n) => config.check_timeout = Some(n),
                _ => problems.push(Problem::new(
                    ErrorCode::InvalidValue,
                    CONFIG_PATH,
                    Some(t.span().line),
                    Some(t.span().column),
                    format!(
                        "check.timeout_seconds must be a whole number of seconds from 1 to 3600; {} s is used",
                        DEFAULT_CHECK_LIMIT.as_secs()
                    ),
                )),
            }
        }
    }
    (Some(config), problems)
}

/// A snapshot from file contents read elsewhere (a commit's tree), with the same limits as the
/// working tree: too large, binary or non-UTF-8 files are listed, not parsed.
pub fn snapshot_from_bytes(mut files: std::collections::BTreeMap<String, Vec<u8>>) -> Snapshot {
    files.retain(|p, _| wanted(p));
    snapshot_from_any(files)
}

fn snapshot_from_any(files: std::collections::BTreeMap<String, Vec<u8>>) -> Snapshot {
    let mut snapshot = Snapshot::default();
    for (path, bytes) in files {
        if bytes.len() as u64 > MAX_FILE_BYTES {
            snapshot.unreadable.insert(
                path,
                "is over the size limit for manifests; it was not parsed".into(),
            );
        } else if bytes.contains(&0) {
            snapshot.unreadable.insert(
                path,
                "is a binary file with a YAML name; it was not parsed".into(),
            );
        } else {
            match String::from_utf8(bytes) {
                Ok(text) => {
                    snapshot.files.insert(path, Arc::from(text));
                }
                Err(_) => {
                    snapshot
                        .unreadable
                        .insert(path, "is not UTF-8 text; it was not parsed".into());
                }
            }
        }
    }
    snapshot
}

/// Resolves a snapshot that is not a working tree (a commit), config included.
pub fn resolve_snapshot(snapshot: &Snapshot) -> DesiredState {
    resolve_snapshot_with(snapshot, &mut ParseCache::default())
}

/// [`resolve_snapshot`] with a shared parse cache (many commits of one repository share most
/// files: each is parsed once).
pub fn resolve_snapshot_with(snapshot: &Snapshot, cache: &mut ParseCache) -> DesiredState {
    let (config, _) = read_config(cache, snapshot);
    resolve::resolve(snapshot, cache, config.as_ref()).state
}
