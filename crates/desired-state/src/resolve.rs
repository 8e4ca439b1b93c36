//! Resolution: from the repository's files to the effective desired state of every workload in
//! every environment, with provenance. Pure over a [`Snapshot`] of file contents; parses are
//! cached by content so a refresh after one file changed re-parses one file.
//!
//! Kustomize folders, Flux Kustomizations and plain manifests are rendered (`kustomize.rs`,
//! `flux.rs`, over the object model of [`crate::render`]) and the workloads are read off the
//! rendered objects, each value with where it was written. Helm: `values.yaml` then
//! `values-<env>.yaml`. Argo CD `Application` and `ApplicationSet` (list and git generators):
//! see `resolve/argo.rs`; its `kustomize:` settings are the `kustomize edit` Argo CD makes to the
//! folder's kustomization before the same render builds it. YAML written inside a string (an inline patch, `helm.values`) is parsed on
//! its own and located at its line in the file. What is not evaluated is reported, never
//! guessed.

use crate::layout::{self, EnvironmentSpec, LayerSpec};
use crate::model::*;
use crate::tree;
use crate::yaml::{self, Node, YamlFile};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

mod argo;
mod flux;
pub mod kustomize;

/// The repository's text files that resolution may read, by repository-relative path.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub files: BTreeMap<String, Arc<str>>,
    /// Files that exist but could not be read as text (binary, too large), with why.
    pub unreadable: BTreeMap<String, String>,
}

type Parsed = Result<Arc<YamlFile>, yaml::YamlError>;

/// Parsed files by path, reused while their text is unchanged.
#[derive(Debug, Default)]
pub struct ParseCache {
    entries: HashMap<String, Entry>,
    /// Kustomizations parsed for their outline only ([`ParseCache::outline`]), by path.
    outlines: HashMap<String, (Arc<str>, Parsed)>,
}

/// The top-level keys of a kustomization that environment detection and the generator-input
/// scan read: the rest (`images`, `patches`…, often most of the file) is left to the full parse
/// of the folders a build actually reads.
const OUTLINE_KEYS: [&str; 9] = [
    "apiVersion",
    "kind",
    "resources",
    "bases",
    "components",
    "configMapGenerator",
    "secretGenerator",
    "generators",
    "transformers",
];

/// `text` with every top-level block but those of [`OUTLINE_KEYS`] blanked out, line for line
/// (lines and columns stay where they are). `None` when the text is not plainly a block mapping
/// of plain keys at column 0 (several documents, directives, anchors or aliases, a flow
/// collection or a scalar running on at column 0…): then only the full parse reads it right.
fn kustomization_outline(text: &str) -> Option<String> {
    if text.contains(['&', '*']) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let (mut keep, mut kept_any, mut in_key) = (false, false, false);
    for line in text.split_inclusive('\n') {
        let item = line.starts_with("- ") || line.trim_end() == "-";
        if item && !in_key {
            return None;
        }
        // An item at column 0 is the previous key's (an indentless list).
        if !item
            && !matches!(
                line.as_bytes().first(),
                None | Some(b' ' | b'\n' | b'\r' | b'#')
            )
        {
            let key_len = line
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(line.len());
            let after = line[key_len..].strip_prefix(':')?;
            if key_len == 0
                || line.starts_with('-')
                || !(after.is_empty() || after.starts_with([' ', '\n', '\r']))
            {
                return None;
            }
            keep = OUTLINE_KEYS.contains(&&line[..key_len]);
            kept_any |= keep;
            in_key = true;
        }
        if keep {
            out.push_str(line);
        } else if line.ends_with('\n') {
            out.push('\n');
        }
    }
    // With none of the keys it would say nothing, not even that it is a mapping.
    kept_any.then_some(out)
}

#[derive(Debug)]
struct Entry {
    text: Arc<str>,
    parsed: Parsed,
    /// The documents as render values located in the file, made once on first use: every
    /// environment (and both sides of a change) that reads the file shares them.
    values: std::sync::OnceLock<Arc<Vec<crate::render::Value>>>,
}

impl Entry {
    fn new(text: Arc<str>, parsed: Parsed) -> Entry {
        Entry {
            text,
            parsed,
            values: std::sync::OnceLock::new(),
        }
    }

    fn holds(&self, text: &Arc<str>) -> bool {
        Arc::ptr_eq(&self.text, text) || *self.text == **text
    }
}

impl ParseCache {
    /// Parses every file of `snapshot` not parsed yet, on all cores: a cold open parses thousands
    /// of files, and parsing is independent per file.
    pub fn warm(&mut self, snapshot: &Snapshot) {
        self.warm_where(snapshot, |_| true);
    }

    /// [`ParseCache::warm`] for the files `wanted` accepts.
    pub fn warm_where(&mut self, snapshot: &Snapshot, wanted: impl Fn(&str) -> bool) {
        let todo: Vec<(&String, &Arc<str>)> = snapshot
            .files
            .iter()
            .filter(|(path, text)| {
                is_yaml(path)
                    && wanted(path)
                    && self.entries.get(*path).is_none_or(|e| !e.holds(text))
            })
            .collect();
        let parsed = on_cores(&todo, |part| {
            part.iter()
                .map(|(path, text)| {
                    let parsed = yaml::parse(path, text).map(Arc::new);
                    ((*path).clone(), Arc::clone(text), parsed)
                })
                .collect::<Vec<_>>()
        });
        for (path, text, result) in parsed.into_iter().flatten() {
            self.entries.insert(path, Entry::new(text, result));
        }
    }

    /// Parses the outline ([`kustomization_outline`]) of every file `wanted` accepts that has
    /// neither a full parse nor an outline of its text yet, on all cores.
    pub fn warm_outlines(&mut self, snapshot: &Snapshot, wanted: impl Fn(&str) -> bool) {
        let todo: Vec<(&String, &Arc<str>)> = snapshot
            .files
            .iter()
            .filter(|(path, text)| {
                wanted(path)
                    && self.entries.get(*path).is_none_or(|e| !e.holds(text))
                    && self
                        .outlines
                        .get(*path)
                        .is_none_or(|(t, _)| !(Arc::ptr_eq(t, text) || **t == ***text))
            })
            .collect();
        let parsed = on_cores(&todo, |part| {
            part.iter()
                .map(|(path, text)| ((*path).clone(), Arc::clone(text), outline_parse(path, text)))
                .collect::<Vec<_>>()
        });
        for (path, text, result) in parsed.into_iter().flatten() {
            self.outlines.insert(path, (text, result));
        }
    }

    /// What a kustomization `path` holding `text` says under [`OUTLINE_KEYS`]: its full parse
    /// when there is one, else its outline's (parsed now if need be). Line and column numbers
    /// are the file's; a syntax error outside those keys is found by the full parse only.
    pub fn outline(&mut self, path: &str, text: &Arc<str>) -> Parsed {
        if let Some(e) = self.entries.get(path).filter(|e| e.holds(text)) {
            return e.parsed.clone();
        }
        if let Some((t, parsed)) = self.outlines.get(path) {
            if Arc::ptr_eq(t, text) || **t == **text {
                return parsed.clone();
            }
        }
        let parsed = outline_parse(path, text);
        self.outlines
            .insert(path.to_owned(), (text.clone(), parsed.clone()));
        parsed
    }

    /// The cached parse of `text` for `path`, if that text was parsed.
    pub fn get(&self, path: &str, text: &Arc<str>) -> Option<Parsed> {
        let e = self.entries.get(path)?;
        e.holds(text).then(|| e.parsed.clone())
    }

    /// The documents of `path` as render values, when its `text` was parsed without error.
    fn values(&self, path: &str, text: &Arc<str>) -> Option<Arc<Vec<crate::render::Value>>> {
        let e = self.entries.get(path).filter(|e| e.holds(text))?;
        let file = e.parsed.as_ref().ok()?;
        Some(e.values.get_or_init(|| as_values(path, file)).clone())
    }

    /// The parse of `text` for `path`, from the cache when the text is unchanged.
    pub fn parse(&mut self, path: &str, text: &Arc<str>) -> Parsed {
        if let Some(e) = self.entries.get(path).filter(|e| e.holds(text)) {
            return e.parsed.clone();
        }
        let parsed = yaml::parse(path, text).map(Arc::new);
        self.entries
            .insert(path.to_owned(), Entry::new(text.clone(), parsed.clone()));
        parsed
    }
}

/// The parse of a kustomization's outline, or of the whole text when it has none.
fn outline_parse(path: &str, text: &str) -> Parsed {
    match kustomization_outline(text) {
        Some(outline) => yaml::parse(path, &outline).map(Arc::new),
        None => yaml::parse(path, text).map(Arc::new),
    }
}

/// The documents of `file` (at `path`) as render values located in it.
fn as_values(path: &str, file: &YamlFile) -> Arc<Vec<crate::render::Value>> {
    let loc = crate::render::value::FileLocator(path.into());
    Arc::new(
        file.documents()
            .iter()
            .map(|d| crate::render::value::from_node(d, &loc))
            .collect(),
    )
}

const WORKLOAD_KINDS: [(&str, WorkloadKind); 4] = [
    ("Deployment", WorkloadKind::Deployment),
    ("StatefulSet", WorkloadKind::StatefulSet),
    ("DaemonSet", WorkloadKind::DaemonSet),
    ("CronJob", WorkloadKind::CronJob),
];

struct Ctx<'a> {
    snapshot: &'a Snapshot,
    /// Warmed before resolving: shared by the threads that resolve environments.
    cache: &'a ParseCache,
    problems: Vec<Problem>,
    used: BTreeSet<String>,
    /// The folders and files of the environment layer being built: files there are
    /// `Layer::Environment`.
    env_owned: Vec<String>,
    /// Kustomization folders already built (bases shared by environments).
    memo: HashMap<String, Arc<kustomize::Memo>>,
    /// `nameReference`s declared by `configurations` in the build under way.
    namerefs: Vec<crate::render::transform::NameRef>,
}

impl<'a> Ctx<'a> {
    fn new(snapshot: &'a Snapshot, cache: &'a ParseCache) -> Ctx<'a> {
        Ctx {
            snapshot,
            cache,
            problems: Vec::new(),
            used: BTreeSet::new(),
            env_owned: Vec::new(),
            memo: HashMap::new(),
            namerefs: Vec::new(),
        }
    }

    fn layer_of(&self, file: &str) -> Layer {
        let owned = self
            .env_owned
            .iter()
            .any(|p| wheelhouse_paths::within(file, p));
        if owned {
            Layer::Environment
        } else {
            Layer::Base
        }
    }

    /// Values read from `file` itself, attributed to its layer.
    fn origin<'f>(&self, file: &'f str) -> Origin<'f> {
        Origin {
            file,
            layer: self.layer_of(file),
            embedded: None,
            element: None,
        }
    }

    fn exists(&self, path: &str) -> bool {
        self.snapshot.files.contains_key(path) || self.snapshot.unreadable.contains_key(path)
    }

    fn load(&mut self, path: &str) -> Option<Arc<YamlFile>> {
        self.used.insert(path.to_owned());
        if let Some(why) = self.snapshot.unreadable.get(path) {
            self.problem(path, None, why.clone(), Severity::Error);
            return None;
        }
        let text = self.snapshot.files.get(path)?.clone();
        let parsed = self
            .cache
            .get(path, &text)
            .unwrap_or_else(|| yaml::parse(path, &text).map(Arc::new));
        match parsed {
            Ok(file) => Some(file),
            Err(e) => {
                self.problems.push(Problem {
                    file: path.to_owned(),
                    line: Some(e.line),
                    column: Some(e.column),
                    message: e.message.clone(),
                    severity: Severity::Error,
                });
                None
            }
        }
    }

    /// The documents of `path` as render values located in it (see [`Ctx::load`]).
    fn documents(&mut self, path: &str) -> Option<Arc<Vec<crate::render::Value>>> {
        let file = self.load(path)?;
        let text = self.snapshot.files.get(path)?;
        Some(
            self.cache
                .values(path, text)
                .unwrap_or_else(|| as_values(path, &file)),
        )
    }

    fn problem(&mut self, file: &str, node: Option<&Node>, message: String, severity: Severity) {
        self.problems.push(Problem {
            file: file.to_owned(),
            line: node.map(tree::line),
            column: node.map(tree::column),
            message,
            severity,
        });
    }

    /// A problem at `node` of what `origin` reads (located in the file around it, for YAML
    /// embedded in a string).
    fn problem_in(
        &mut self,
        origin: &Origin<'_>,
        node: &Node,
        message: String,
        severity: Severity,
    ) {
        self.problems.push(Problem {
            file: origin.file.to_owned(),
            line: Some(origin.line(node)),
            column: origin.embedded.is_none().then(|| tree::column(node)),
            message,
            severity,
        });
    }
}

/// How the lines of YAML embedded in a string map to the lines of the file holding it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineMap {
    /// A literal block scalar (`|`): its line `n` is the file's line `offset + n`.
    Offset(u32),
    /// Any other string: every line is reported at the string's own line.
    Fixed(u32),
}

/// Where the nodes being read are written, and how their values are attributed: a file (and
/// its layer), YAML embedded in a string of that file (an inline patch, an Argo CD
/// `helm.values`), and the `ApplicationSet` element whose keys fill `{{key}}` placeholders.
#[derive(Debug, Clone, Copy)]
struct Origin<'a> {
    file: &'a str,
    layer: Layer,
    /// The YAML path of the string holding the embedded YAML, and how its lines map.
    embedded: Option<(&'a str, LineMap)>,
    element: Option<&'a argo::Element<'a>>,
}

/// Separates the path of a string from the path inside the YAML embedded in it:
/// `patches[1].patch > spec.replicas`.
pub const EMBEDDED_PATH_SEPARATOR: &str = " > ";

impl<'a> Origin<'a> {
    /// The origin of YAML embedded in `node`, a string at `path` of this origin (its text is
    /// [`Origin::text`]).
    fn embedded(&self, path: &'a str, node: &Node) -> Option<Origin<'a>> {
        let Node::Scalar { value, style, .. } = node else {
            return None;
        };
        let line = tree::line(node);
        let map = match style {
            crate::yaml::ScalarStyle::Literal => LineMap::Offset(line),
            crate::yaml::ScalarStyle::Folded => LineMap::Fixed(line + 1),
            _ if !value.trim_end().contains('\n') => LineMap::Offset(line.saturating_sub(1)),
            _ => LineMap::Fixed(line),
        };
        Some(Origin {
            embedded: Some((path, map)),
            element: None,
            ..*self
        })
    }

    /// The file line of line `inner` of the embedded YAML (or of the file).
    fn line_at(&self, inner: u32) -> u32 {
        match self.embedded {
            Some((_, LineMap::Offset(offset))) => offset + inner,
            Some((_, LineMap::Fixed(line))) => line,
            None => inner,
        }
    }

    fn path(&self, inner: String) -> String {
        match self.embedded {
            Some((outer, _)) => format!("{outer}{EMBEDDED_PATH_SEPARATOR}{inner}"),
            None => inner,
        }
    }

    fn line(&self, node: &Node) -> u32 {
        self.line_at(tree::line(node))
    }

    /// The value of a scalar with where it is set. In an `ApplicationSet` template, a value
    /// that is one placeholder is set by the element's key (the environment's own); a value
    /// with placeholders among other text is filled and attributed to the template.
    fn sourced(&self, path: String, node: &Node) -> Option<Sourced> {
        let text = scalar_text(node)?;
        let value = match self.element {
            Some(el) => {
                if let Some(s) = el.whole(&text) {
                    return Some(s);
                }
                el.fill(&text).0
            }
            None => text,
        };
        Some(Sourced {
            value,
            source: Provenance {
                file: self.file.to_owned(),
                path: self.path(path),
                line: self.line(node),
                layer: self.layer,
            },
        })
    }

    /// The text of a scalar, placeholders filled.
    fn text<'n>(&self, node: &'n Node) -> Option<std::borrow::Cow<'n, str>> {
        let text = tree::as_str(node)?;
        Some(match self.element {
            Some(el) if text.contains("{{") => std::borrow::Cow::Owned(el.fill(text).0),
            _ => std::borrow::Cow::Borrowed(text),
        })
    }
}

/// Values by name, in the order they were first set; setting a name again replaces its value
/// in place. Indexed, so merging big values files stays linear.
#[derive(Debug, Default)]
struct ValueList {
    list: Vec<NamedValue>,
    index: HashMap<String, usize>,
}

impl ValueList {
    fn set(&mut self, name: String, value: Sourced) {
        match self.index.get(&name) {
            Some(&i) => self.list[i].value = value,
            None => {
                self.index.insert(name.clone(), self.list.len());
                self.list.push(NamedValue { name, value });
            }
        }
    }

    fn get(&self, name: &str) -> Option<&Sourced> {
        self.index.get(name).map(|&i| &self.list[i].value)
    }
}

/// Sets `name` in a short list (labels, env vars), replacing an existing value in place.
fn set_named(list: &mut Vec<NamedValue>, name: &str, value: Sourced) {
    match list.iter_mut().find(|x| x.name == name) {
        Some(existing) => existing.value = value,
        None => list.push(NamedValue {
            name: name.to_owned(),
            value,
        }),
    }
}

/// `.key`, or `["key"]` for a key holding dots or brackets (`app.kubernetes.io/name`).
fn key_path(key: &str) -> String {
    let seg = yaml::format_path(&[yaml::PathSeg::Key(key.to_owned())]);
    if seg.starts_with('[') {
        seg
    } else {
        format!(".{seg}")
    }
}

fn scalar_text(node: &Node) -> Option<String> {
    match node {
        Node::Scalar { value, .. } => Some(value.clone()),
        _ => None,
    }
}

/// The loaded key/value pairs of a mapping.
fn map_entries(node: &Node) -> impl Iterator<Item = (&str, &Node)> {
    tree::entries(node)
        .iter()
        .map(|e| (e.key.as_str(), &e.value))
}

/// Joins a folder and a relative path, resolving `.` and `..`; `None` if it climbs out of the
/// repository. Every path a resolver follows goes through here (one function for the app and
/// the CLI alike: [`wheelhouse_paths::join`]).
pub use wheelhouse_paths::join;

/// Splits an image reference into (name, tag-or-digest).
pub fn split_image(image: &str) -> (&str, &str) {
    if let Some((name, digest)) = image.split_once('@') {
        return (name, digest);
    }
    let slash = image.rfind('/').map_or(0, |i| i + 1);
    match image[slash..].rfind(':') {
        Some(i) => (&image[..slash + i], &image[slash + i + 1..]),
        None => (image, ""),
    }
}

/// A resolution plus what it needs to be updated cheaply: which files each environment read, so
/// a change to one overlay re-resolves one environment, not thirty.
#[derive(Debug, Clone)]
pub struct Resolution {
    pub state: DesiredState,
    paths: BTreeSet<String>,
    envs: Vec<EnvironmentSpec>,
    env_files: Vec<BTreeSet<String>>,
    env_problems: Vec<Vec<Problem>>,
    shared_files: BTreeSet<String>,
    shared_problems: Vec<Problem>,
    shared_releases: Vec<WorkloadState>,
    /// Files holding Argo CD Applications: a change there can move environments.
    argo_files: BTreeSet<String>,
    /// Files holding the Flux Kustomizations and Kargo Stages that define environments.
    gitops_files: BTreeSet<String>,
    /// What each kustomization builds on, as detection read it: when it changes, the
    /// environments may have.
    kusts: Vec<layout::KustRef>,
    /// The kustomization folders built, reused by a refresh when none of their files changed.
    memo: Memos,
}

fn all_paths(snapshot: &Snapshot) -> BTreeSet<String> {
    snapshot
        .files
        .keys()
        .chain(snapshot.unreadable.keys())
        .cloned()
        .collect()
}

/// Resolves every environment.
pub fn resolve(
    snapshot: &Snapshot,
    cache: &mut ParseCache,
    config: Option<&layout::WorkspaceConfig>,
) -> Resolution {
    cache.warm(snapshot);
    let Detected {
        paths,
        argo,
        kusts,
        gitops_files,
        envs,
        problems,
    } = detect(snapshot, cache, config);
    let cache: &ParseCache = cache;
    let mut ctx = Ctx::new(snapshot, cache);
    ctx.problems = problems;
    argo::report_unplaced(
        &mut ctx,
        &argo.apps,
        &envs,
        config.is_some_and(|c| !c.environments.is_empty()),
    );
    let env_roots: Vec<String> = envs.iter().flat_map(layer_roots).collect();
    let before_releases = ctx.problems.len();
    let shared_releases = shared_helm_releases(&mut ctx, &paths, &env_roots);
    let mut shared_files = std::mem::take(&mut ctx.used);
    shared_files.extend(gitops_files.iter().cloned());
    let mut shared_problems = std::mem::take(&mut ctx.problems);
    let release_problems = shared_problems.split_off(before_releases);
    let mut workloads = Vec::new();
    let mut env_files = Vec::new();
    let mut env_problems = Vec::new();
    let (resolved, memo) = resolve_all(snapshot, cache, &envs, &shared_releases);
    for (w, used, problems) in resolved {
        workloads.push(w);
        env_files.push(used);
        env_problems.push(problems);
    }
    // A release file an environment builds is judged there, with what its build holds (the
    // ConfigMap its valuesFrom names); read alone, it would miss them.
    shared_problems.extend(
        release_problems
            .into_iter()
            .filter(|p| !env_files.iter().any(|f| f.contains(&p.file))),
    );
    let used: BTreeSet<&String> = env_files
        .iter()
        .flatten()
        .chain(shared_files.iter())
        .collect();
    let other_files = paths
        .iter()
        .filter(|p| is_yaml(p) && !used.contains(p))
        .filter(|p| !p.starts_with(".wheelhouse/") && !p.starts_with(".github/"))
        .filter(|p| !in_chart(&paths, p))
        .cloned()
        .collect();
    let mut resolution = Resolution {
        state: DesiredState {
            environments: envs
                .iter()
                .zip(crate::layout::stage_groups(
                    &envs.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(),
                ))
                .map(|(e, stage)| {
                    let mut paths: Vec<String> = Vec::new();
                    for p in e.layers.iter().flat_map(|l| l.paths()) {
                        if !paths.iter().any(|x| x == p) {
                            paths.push(p.to_owned());
                        }
                    }
                    EnvironmentInfo {
                        name: e.name.clone(),
                        protected: e.protected,
                        paths,
                        sources: e.sources.clone(),
                        stage,
                    }
                })
                .collect(),
            workloads,
            other_files,
            problems: Vec::new(),
        },
        paths,
        envs,
        env_files,
        env_problems,
        shared_files,
        shared_problems,
        shared_releases,
        argo_files: argo.files,
        gitops_files: gitops_files.into_iter().collect(),
        kusts,
        memo,
    };
    resolution.collect_problems(snapshot);
    resolution
}

/// What environment detection read and found.
struct Detected {
    paths: BTreeSet<String>,
    argo: argo::Collected,
    kusts: Vec<layout::KustRef>,
    gitops_files: BTreeSet<String>,
    envs: Vec<EnvironmentSpec>,
    /// Located problems of detection (the Argo CD, Flux and Kargo objects read).
    problems: Vec<Problem>,
}

/// The environments of the snapshot, from the Argo CD, Flux and Kargo objects and the
/// kustomizations it holds (parsing those files, not the others).
fn detect(
    snapshot: &Snapshot,
    cache: &mut ParseCache,
    config: Option<&layout::WorkspaceConfig>,
) -> Detected {
    let paths = all_paths(snapshot);
    let mut argo = argo::collect(snapshot, cache);
    let kusts = kustomize::references(snapshot, cache);
    let (flux_refs, stages, gitops_files) = flux::collect(snapshot, cache);
    let mut problems = std::mem::take(&mut argo.problems);
    problems.extend(flux::remote_without_path(snapshot, cache, &flux_refs));
    let (envs, detect_problems) = layout::detect_all(
        &paths,
        config,
        &layout::Inputs {
            apps: argo.apps.clone(),
            kusts: kusts.clone(),
            flux: flux_refs,
            stages,
        },
    );
    for p in detect_problems {
        problems.push(Problem {
            severity: if p.message.contains("no Stage in the repository defines") {
                Severity::Error
            } else {
                Severity::Warning
            },
            file: p.file,
            line: Some(p.line),
            column: None,
            message: p.message,
        });
    }
    Detected {
        paths,
        argo,
        kusts,
        gitops_files,
        envs,
        problems,
    }
}

/// The folders (and files) an environment's layers build from.
fn layer_roots(spec: &EnvironmentSpec) -> Vec<String> {
    spec.layers
        .iter()
        .flat_map(|l| match l {
            LayerSpec::Argo { reads, .. } => reads.clone(),
            other => vec![other.path().to_owned()],
        })
        .collect()
}

/// Renders the environment called `name` alone: environments are detected from the whole
/// snapshot, then only the folders it builds (and those they build on) are parsed and built.
/// `Err` holds the environments' names when none is called `name`.
pub fn render_environment(
    snapshot: &Snapshot,
    cache: &mut ParseCache,
    config: Option<&layout::WorkspaceConfig>,
    name: &str,
) -> Result<Rendered, Vec<String>> {
    let Detected { envs, kusts, .. } = detect(snapshot, cache, config);
    let Some(spec) = envs.iter().find(|e| e.name == name) else {
        return Err(envs.into_iter().map(|e| e.name).collect());
    };
    // The folders it builds, through every kustomization they build on.
    let mut dirs = layer_roots(spec);
    let mut i = 0;
    while i < dirs.len() {
        if let Some(k) = kusts.iter().find(|k| k.dir == dirs[i]) {
            for r in &k.refs {
                if !dirs.contains(r) {
                    dirs.push(r.clone());
                }
            }
        }
        i += 1;
    }
    let inside = |p: &str| {
        dirs.iter()
            .any(|d| d.is_empty() || wheelhouse_paths::within(p, d))
    };
    cache.warm_where(snapshot, inside);
    let cache: &ParseCache = cache;
    Ok(render_spec(&mut Ctx::new(snapshot, cache), spec))
}

type Resolved = (Vec<WorkloadState>, BTreeSet<String>, Vec<Problem>);

/// Every environment of `envs`, on all cores: each thread resolves a run of neighbouring
/// environments (which share most bases, built once per thread). Also the folders built, kept
/// for the next refresh.
fn resolve_all(
    snapshot: &Snapshot,
    cache: &ParseCache,
    envs: &[EnvironmentSpec],
    shared: &[WorkloadState],
) -> (Vec<Resolved>, Memos) {
    let run = |chunk: &[EnvironmentSpec]| -> (Vec<Resolved>, Memos) {
        let mut ctx = Ctx::new(snapshot, cache);
        let out = chunk
            .iter()
            .map(|env| {
                let w = environment_with_releases(&mut ctx, env, shared);
                (
                    w,
                    std::mem::take(&mut ctx.used),
                    std::mem::take(&mut ctx.problems),
                )
            })
            .collect();
        (out, ctx.memo)
    };
    let mut all = Vec::new();
    let mut memos = Memos::new();
    for (part, memo) in on_cores(envs, run) {
        all.extend(part);
        memos.extend(memo);
    }
    (all, memos)
}

/// `run` over runs of neighbouring `items` (which share most bases, built once per run), one
/// run per core (at most 8), the results in order.
pub(crate) fn on_cores<T: Sync, R: Send>(items: &[T], run: impl Fn(&[T]) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8)
        .min(items.len());
    if threads <= 1 {
        return vec![run(items)];
    }
    let chunk = items.len().div_ceil(threads);
    let run = &run;
    let mut parts = items.chunks(chunk);
    // The first part on this thread: its allocator's memory is warm already, a new thread's
    // is not (fresh pages cost more than the work on small inputs).
    let first = parts.next().unwrap_or_default();
    std::thread::scope(|scope| {
        let handles: Vec<_> = parts.map(|part| scope.spawn(move || run(part))).collect();
        let mut out = vec![run(first)];
        out.extend(
            handles
                .into_iter()
                .map(|h| h.join().expect("resolver thread")),
        );
        out
    })
}

/// Kustomization folders already built, by folder.
type Memos = HashMap<String, Arc<kustomize::Memo>>;

fn environment_with_releases(
    ctx: &mut Ctx<'_>,
    env: &EnvironmentSpec,
    shared: &[WorkloadState],
) -> Vec<WorkloadState> {
    let mut list = resolve_environment(ctx, env);
    for release in shared {
        if !list.iter().any(|w| w.id == release.id) {
            list.push(release.clone());
        }
    }
    // (kind, id) is unique in the list (a later layer replaced an earlier one of the same id,
    // a shared release joins only where no workload has its id), so the unstable sort orders it
    // as a stable one would, without a buffer of copies of the workloads.
    list.sort_unstable_by(|a, b| (a.kind, &a.id).cmp(&(b.kind, &b.id)));
    list
}

impl Resolution {
    fn collect_problems(&mut self, snapshot: &Snapshot) {
        let mut problems: Vec<Problem> = self
            .shared_problems
            .iter()
            .chain(self.env_problems.iter().flatten())
            .cloned()
            .collect();
        for (file, why) in &snapshot.unreadable {
            if !problems.iter().any(|p| &p.file == file) {
                problems.push(Problem {
                    file: file.clone(),
                    line: None,
                    column: None,
                    message: why.clone(),
                    severity: Severity::Warning,
                });
            }
        }
        problems.sort_by(|a, b| (&a.file, a.line, &a.message).cmp(&(&b.file, b.line, &b.message)));
        problems.dedup();
        self.state.problems = problems;
    }

    /// Brings the resolution up to date after `changed` files changed in `snapshot`. Re-resolves
    /// only the environments that read one of them; falls back to a full resolution when the set
    /// of files changed, or a shared file (a HelmRelease, the config) did.
    pub fn update(
        &mut self,
        snapshot: &Snapshot,
        cache: &mut ParseCache,
        config: Option<&layout::WorkspaceConfig>,
        changed: &[String],
    ) {
        match self.rebuild(snapshot, cache, config, changed) {
            Rebuilt::Full(r) => *self = *r,
            Rebuilt::Unchanged => {}
            Rebuilt::Envs(envs, memo) => {
                self.memo = memo;
                for (i, (workloads, used, problems)) in envs {
                    self.state.workloads[i] = workloads;
                    self.env_files[i] = used;
                    self.env_problems[i] = problems;
                }
                self.collect_problems(snapshot);
            }
        }
    }

    /// [`Resolution::update`] into a new resolution, this one kept: what the environments the
    /// change re-resolves had before is not copied.
    pub fn updated(
        &self,
        snapshot: &Snapshot,
        cache: &mut ParseCache,
        config: Option<&layout::WorkspaceConfig>,
        changed: &[String],
    ) -> Resolution {
        match self.rebuild(snapshot, cache, config, changed) {
            Rebuilt::Full(r) => *r,
            Rebuilt::Unchanged => self.clone(),
            Rebuilt::Envs(envs, memo) => {
                let mut fresh: Vec<Option<Resolved>> = vec![None; self.envs.len()];
                for (i, r) in envs {
                    fresh[i] = Some(r);
                }
                let (mut workloads, mut env_files, mut env_problems) = (
                    Vec::with_capacity(fresh.len()),
                    Vec::with_capacity(fresh.len()),
                    Vec::with_capacity(fresh.len()),
                );
                for (i, r) in fresh.into_iter().enumerate() {
                    let (w, used, problems) = r.unwrap_or_else(|| {
                        (
                            self.state.workloads[i].clone(),
                            self.env_files[i].clone(),
                            self.env_problems[i].clone(),
                        )
                    });
                    workloads.push(w);
                    env_files.push(used);
                    env_problems.push(problems);
                }
                let mut next = Resolution {
                    state: DesiredState {
                        environments: self.state.environments.clone(),
                        workloads,
                        other_files: self.state.other_files.clone(),
                        problems: Vec::new(),
                    },
                    paths: self.paths.clone(),
                    envs: self.envs.clone(),
                    env_files,
                    env_problems,
                    shared_files: self.shared_files.clone(),
                    shared_problems: self.shared_problems.clone(),
                    shared_releases: self.shared_releases.clone(),
                    argo_files: self.argo_files.clone(),
                    gitops_files: self.gitops_files.clone(),
                    kusts: self.kusts.clone(),
                    memo,
                };
                next.collect_problems(snapshot);
                next
            }
        }
    }

    /// What `changed` calls for: a full resolution, nothing, or the environments that read a
    /// changed file resolved again (with the folder builds kept for next time).
    fn rebuild(
        &self,
        snapshot: &Snapshot,
        cache: &mut ParseCache,
        config: Option<&layout::WorkspaceConfig>,
        changed: &[String],
    ) -> Rebuilt {
        let full = all_paths(snapshot) != self.paths
            || changed.iter().any(|c| {
                self.shared_files.contains(c)
                    || self.argo_files.contains(c)
                    || c.starts_with(".wheelhouse/")
                    || snapshot.files.get(c).is_some_and(|t| {
                        t.contains("HelmRelease")
                            || argo::mentions_argo(t)
                            || flux::mentions_flux_or_kargo(t)
                    })
            })
            || (changed.iter().any(|c| layout::is_kustomization(c))
                && kustomize::references(snapshot, cache) != self.kusts);
        if full {
            return Rebuilt::Full(Box::new(resolve(snapshot, cache, config)));
        }
        let affected: Vec<usize> = (0..self.envs.len())
            .filter(|&i| changed.iter().any(|c| self.env_files[i].contains(c)))
            .collect();
        if affected.is_empty() {
            return Rebuilt::Unchanged;
        }
        cache.warm(snapshot);
        let cache: &ParseCache = cache;
        let mut memo = self.memo.clone();
        memo.retain(|_, m| !m.reads_any(changed));
        let (envs, shared, kept) = (&self.envs, &self.shared_releases, &memo);
        let parts = on_cores(&affected, |part| {
            let mut ctx = Ctx::new(snapshot, cache);
            ctx.memo = kept.clone();
            let out: Vec<(usize, Resolved)> = part
                .iter()
                .map(|&i| {
                    let w = environment_with_releases(&mut ctx, &envs[i], shared);
                    (
                        i,
                        (
                            w,
                            std::mem::take(&mut ctx.used),
                            std::mem::take(&mut ctx.problems),
                        ),
                    )
                })
                .collect();
            (out, ctx.memo)
        });
        let mut envs = Vec::new();
        for (out, built) in parts {
            memo.extend(built);
            envs.extend(out);
        }
        Rebuilt::Envs(envs, memo)
    }
}

enum Rebuilt {
    Full(Box<Resolution>),
    Unchanged,
    Envs(Vec<(usize, Resolved)>, Memos),
}

/// What one environment renders to: the objects its reconciler would apply (for the
/// Kustomize and manifest layers; Helm charts are understood at the values level and say so),
/// and what the render found.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub objects: Vec<crate::render::Value>,
    /// The name each object has as written (its workload id), beside `objects`.
    pub ids: Vec<String>,
    /// The folders built (what `kubectl kustomize` is run on to check).
    pub folders: Vec<String>,
    /// Kustomization files (path, text) as an Argo CD Application's `kustomize:` edits them
    /// before its folder is built: the check builds them so, in a copy of the repository.
    pub edited: Vec<(String, String)>,
    pub problems: Vec<Problem>,
}

impl Rendered {
    /// Multi-document YAML, in kustomize's order (`kubectl kustomize` prints the same).
    pub fn to_yaml(&self) -> String {
        crate::render::emit::to_yaml(&self.objects)
    }

    /// Only the objects of one workload: those named `id` as written or as deployed.
    pub fn only(&self, id: &str) -> Rendered {
        let keep: Vec<usize> = (0..self.objects.len())
            .filter(|&i| {
                self.ids[i] == id || self.objects[i].str_at(&["metadata", "name"]) == Some(id)
            })
            .collect();
        Rendered {
            objects: keep.iter().map(|&i| self.objects[i].clone()).collect(),
            ids: keep.iter().map(|&i| self.ids[i].clone()).collect(),
            folders: self.folders.clone(),
            edited: self.edited.clone(),
            problems: self.problems.clone(),
        }
    }
}

impl Resolution {
    /// Renders environment `env` (its index in the state).
    pub fn render(&self, snapshot: &Snapshot, cache: &mut ParseCache, env: usize) -> Rendered {
        cache.warm(snapshot);
        self.render_warm(snapshot, cache, env)
    }

    /// Renders each of `envs` (indexes in the state), on every core, in order.
    pub fn render_many(
        &self,
        snapshot: &Snapshot,
        cache: &mut ParseCache,
        envs: &[usize],
    ) -> Vec<Rendered> {
        cache.warm(snapshot);
        let cache: &ParseCache = cache;
        on_cores(envs, |part| {
            part.iter()
                .map(|&e| self.render_warm(snapshot, cache, e))
                .collect::<Vec<_>>()
        })
        .into_iter()
        .flatten()
        .collect()
    }

    fn render_warm(&self, snapshot: &Snapshot, cache: &ParseCache, env: usize) -> Rendered {
        let mut ctx = Ctx::new(snapshot, cache);
        // The folders the resolution built are this render's too (their files have not changed
        // since, or `update` dropped them).
        ctx.memo = self.memo.clone();
        render_spec(&mut ctx, &self.envs[env])
    }

    /// The files environment `env` read (its layers, the bases and components they build on,
    /// patches, generator inputs…): a change to any other file cannot change what it renders.
    pub fn reads(&self, env: usize) -> &BTreeSet<String> {
        &self.env_files[env]
    }

    /// The files read for every environment (shared HelmReleases, the Flux, Argo CD and Kargo
    /// objects that define environments).
    pub fn shared_reads(&self) -> &BTreeSet<String> {
        &self.shared_files
    }

    /// Whether `path` holds what defines environments: `.wheelhouse/config.yaml`, Argo CD
    /// Applications and ApplicationSets, Flux Kustomizations, Kargo Stages.
    pub fn defines_environments(&self, path: &str) -> bool {
        path == crate::layout::CONFIG_PATH
            || self.argo_files.contains(path)
            || self.gitops_files.contains(path)
    }

    /// How environment `env` is made (its layers), as detection found it.
    pub fn spec(&self, env: usize) -> &layout::EnvironmentSpec {
        &self.envs[env]
    }

    /// The index of environment `name`.
    pub fn environment(&self, name: &str) -> Option<usize> {
        self.envs.iter().position(|e| e.name == name)
    }
}

/// Renders one environment with what `ctx` already built.
fn render_spec(ctx: &mut Ctx<'_>, spec: &EnvironmentSpec) -> Rendered {
    let mut objects: Vec<crate::render::Resource> = Vec::new();
    // Where each (kind, namespace, name) sits in `objects`: a later layer replaces it.
    let mut at: HashMap<(String, String, String), usize> = HashMap::new();
    let mut folders = Vec::new();
    let mut edited = Vec::new();
    for layer in &spec.layers {
        let found = match layer {
            LayerSpec::Kustomize { dir } => {
                folders.push(dir.clone());
                kustomize::render(ctx, dir, &mut Vec::new())
            }
            LayerSpec::Manifests { dir } => files_in(ctx.snapshot, dir, true)
                .iter()
                .flat_map(|f| kustomize::manifest_resources(ctx, f))
                .collect(),
            LayerSpec::Flux {
                file,
                external: Some(from),
                ..
            } => {
                flux::not_evaluated(ctx, file, from);
                Vec::new()
            }
            LayerSpec::Flux {
                file, doc, path, ..
            } => {
                if flux::checkable(ctx, file, *doc) {
                    folders.push(path.clone());
                }
                flux::apply(ctx, file, *doc, path, &mut Vec::new())
            }
            LayerSpec::Argo {
                file, doc, element, ..
            } => argo::render_layer(ctx, file, *doc, *element, &mut folders, &mut edited),
            LayerSpec::HelmValues { chart_dir, .. } => {
                ctx.problems.push(Problem {
                        file: format!("{chart_dir}/Chart.yaml"),
                        line: None,
                        column: None,
                        message: format!(
                            "{}the chart in {chart_dir} is not rendered (Wheelhouse reads its values, it does not run Helm)",
                            kustomize::NOT_EVALUATED
                        ),
                        severity: Severity::Warning,
                    });
                Vec::new()
            }
        };
        for r in found {
            let key = |o: &crate::render::Value| {
                (
                    o.str_at(&["kind"]).unwrap_or("").to_owned(),
                    o.str_at(&["metadata", "namespace"])
                        .unwrap_or("")
                        .to_owned(),
                    o.str_at(&["metadata", "name"]).unwrap_or("").to_owned(),
                )
            };
            match at.entry(key(&r.object)) {
                std::collections::hash_map::Entry::Occupied(i) => objects[*i.get()] = r,
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(objects.len());
                    objects.push(r);
                }
            }
        }
    }
    let key = |o: &crate::render::Value| {
        format!(
            "{}/{}/{}",
            o.str_at(&["kind"]).unwrap_or(""),
            o.str_at(&["metadata", "namespace"]).unwrap_or(""),
            o.str_at(&["metadata", "name"]).unwrap_or("")
        )
    };
    let originals: HashMap<String, String> = objects
        .iter()
        .map(|r| (key(&r.object), r.names[0].clone()))
        .collect();
    let mut objects: Vec<crate::render::Value> = objects.into_iter().map(|r| r.object).collect();
    // In the order the built folder's `sortOptions` asks for (legacy when it says nothing).
    let order = folders
        .first()
        .map(|d| kustomize::sort_order(ctx, d))
        .unwrap_or_default();
    crate::render::transform::sort(&mut objects, &order);
    let ids = objects
        .iter()
        .map(|o| originals.get(&key(o)).cloned().unwrap_or_default())
        .collect();
    let mut problems = std::mem::take(&mut ctx.problems);
    problems.sort_by(|a, b| (&a.file, a.line, &a.message).cmp(&(&b.file, b.line, &b.message)));
    problems.dedup();
    Rendered {
        objects,
        ids,
        folders,
        edited,
        problems,
    }
}

/// Whether `path` is inside a Helm chart (a folder holding `Chart.yaml`): its templates are
/// not YAML, and its files are the chart's.
pub fn in_chart(paths: &BTreeSet<String>, path: &str) -> bool {
    let mut dir = path;
    while let Some((parent, _)) = dir.rsplit_once('/') {
        if paths.contains(&format!("{parent}/Chart.yaml")) {
            return true;
        }
        dir = parent;
    }
    paths.contains("Chart.yaml")
}

/// Whether `path` is one of a Helm chart's templates (under `templates/` of a folder holding a
/// `Chart.yaml`): Go templates, not YAML until Helm renders them, so never read as YAML here.
pub fn is_chart_template(snapshot: &Snapshot, path: &str) -> bool {
    let segments: Vec<&str> = path.split('/').collect();
    segments.iter().enumerate().any(|(i, s)| {
        *s == "templates" && i + 1 < segments.len() && {
            let chart = segments[..i].join("/");
            let file = if chart.is_empty() {
                "Chart.yaml".to_owned()
            } else {
                format!("{chart}/Chart.yaml")
            };
            snapshot.files.contains_key(&file) || snapshot.unreadable.contains_key(&file)
        }
    })
}

pub fn is_yaml(path: &str) -> bool {
    path.ends_with(".yaml") || path.ends_with(".yml") || path.ends_with("/Kustomization")
}

fn resolve_environment(ctx: &mut Ctx<'_>, env: &EnvironmentSpec) -> Vec<WorkloadState> {
    let mut out: Vec<WorkloadState> = Vec::new();
    let mut index: HashMap<(WorkloadKind, String), usize> = HashMap::new();
    for layer in &env.layers {
        ctx.env_owned = layer.owned().into_iter().map(str::to_owned).collect();
        let found = match layer {
            LayerSpec::Kustomize { dir } => {
                let mut stack = Vec::new();
                build_kustomization(ctx, dir, &mut stack)
            }
            LayerSpec::HelmValues { chart_dir, file } => {
                helm_values(ctx, chart_dir, file).into_iter().collect()
            }
            LayerSpec::Flux {
                file,
                external: Some(from),
                ..
            } => {
                flux::not_evaluated(ctx, file, from);
                Vec::new()
            }
            LayerSpec::Flux {
                file, doc, path, ..
            } => {
                let resources = flux::apply(ctx, file, *doc, path, &mut Vec::new());
                kustomize::workloads(ctx, &resources)
            }
            LayerSpec::Manifests { dir } => files_in(ctx.snapshot, dir, true)
                .iter()
                .flat_map(|f| workloads_in_file(ctx, f))
                .collect(),
            LayerSpec::Argo {
                file, doc, element, ..
            } => argo::resolve_layer(ctx, &env.name, file, *doc, *element),
        };
        out.reserve(found.len());
        for w in found {
            match index.get(&(w.kind, w.id.clone())) {
                Some(&i) => out[i] = w,
                None => {
                    index.insert((w.kind, w.id.clone()), out.len());
                    out.push(w);
                }
            }
        }
    }
    ctx.env_owned.clear();
    out
}

/// `dir/name`, or `name` at the repository root.
fn in_dir(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_owned()
    } else {
        format!("{dir}/{name}")
    }
}

/// The YAML files under `dir` (directly in it unless `recurse`), in path order.
fn files_in(snapshot: &Snapshot, dir: &str, recurse: bool) -> Vec<String> {
    let prefix = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    snapshot
        .files
        .range(prefix.clone()..)
        .map(|(p, _)| p)
        .take_while(|p| p.starts_with(&prefix))
        .filter(|p| is_yaml(p) && (recurse || !p[prefix.len()..].contains('/')))
        .cloned()
        .collect()
}

fn kustomization_file(ctx: &Ctx<'_>, dir: &str) -> Option<String> {
    ["kustomization.yaml", "kustomization.yml", "Kustomization"]
        .iter()
        .map(|k| {
            if dir.is_empty() {
                (*k).to_owned()
            } else {
                format!("{dir}/{k}")
            }
        })
        .find(|p| ctx.snapshot.files.contains_key(p) || ctx.snapshot.unreadable.contains_key(p))
}

fn build_kustomization(
    ctx: &mut Ctx<'_>,
    dir: &str,
    stack: &mut Vec<String>,
) -> Vec<WorkloadState> {
    if kustomization_file(ctx, dir).is_none() {
        return Vec::new();
    }
    let resources = kustomize::render(ctx, dir, stack);
    kustomize::workloads(ctx, &resources)
}

/// Workloads (and Flux HelmReleases) defined in one manifest file: read as the render reads
/// them, so a plain manifest and a built kustomization show values the same way.
fn workloads_in_file(ctx: &mut Ctx<'_>, file: &str) -> Vec<WorkloadState> {
    let resources = kustomize::manifest_resources(ctx, file);
    kustomize::workloads(ctx, &resources)
}

fn pod_spec_path(kind: WorkloadKind) -> &'static [&'static str] {
    match kind {
        WorkloadKind::CronJob => &["spec", "jobTemplate", "spec", "template", "spec"],
        _ => &["spec", "template", "spec"],
    }
}

fn merge_labels(origin: &Origin<'_>, path: &str, map: Option<&Node>, labels: &mut Vec<NamedValue>) {
    for (key, v) in map_entries(map.unwrap_or(&tree::EMPTY)) {
        if let Some(value) = origin.sourced(format!("{path}{}", key_path(key)), v) {
            set_named(labels, key, value);
        }
    }
}

/// Flattens the scalar leaves of a values tree: names `a.b.c` (after `name`), provenance paths
/// after `path` (they differ when values sit under a key, as Argo CD's `helm.valuesObject`).
fn flatten(origin: &Origin<'_>, name: &str, path: &str, node: &Node, out: &mut ValueList) {
    match node {
        Node::Map { .. } => {
            for (k, v) in map_entries(node) {
                let name = if name.is_empty() {
                    k.to_owned()
                } else {
                    format!("{name}.{k}")
                };
                // The path quotes keys holding dots (`podAnnotations["prometheus.io/scrape"]`),
                // so an edit finds the very key; the name stays dotted, as people write it.
                let path = match key_path(k) {
                    seg if path.is_empty() => seg.trim_start_matches('.').to_owned(),
                    seg => format!("{path}{seg}"),
                };
                flatten(origin, &name, &path, v, out);
            }
        }
        Node::Seq { items, .. } => {
            for (i, v) in items.iter().enumerate() {
                flatten(
                    origin,
                    &format!("{name}[{i}]"),
                    &format!("{path}[{i}]"),
                    v,
                    out,
                );
            }
        }
        Node::Alias { .. } => {}
        Node::Scalar { .. } => {
            if let Some(value) = origin.sourced(path.to_owned(), node) {
                out.set(name.to_owned(), value);
            }
        }
    }
}

/// A workload configured by Helm values: `image.repository` + `image.tag` make its container,
/// `replicaCount` its replicas.
fn helm_containers(id: &str, values: &ValueList) -> Vec<ContainerState> {
    let Some(repo) = values.get("image.repository") else {
        return Vec::new();
    };
    let tag = values.get("image.tag");
    let tag_value = tag.map(|t| t.value.clone()).unwrap_or_default();
    let image = Sourced {
        value: if tag_value.is_empty() {
            repo.value.clone()
        } else {
            format!("{}:{tag_value}", repo.value)
        },
        source: tag.unwrap_or(repo).source.clone(),
    };
    vec![ContainerState {
        name: id.to_owned(),
        image,
        tag: tag_value,
        env: Vec::new(),
        resources: Vec::new(),
    }]
}

fn helm_values(ctx: &mut Ctx<'_>, chart_dir: &str, file: &str) -> Option<WorkloadState> {
    let id = chart_dir.rsplit('/').next().unwrap_or(chart_dir).to_owned();
    let mut values = ValueList::default();
    let mut files = Vec::new();
    for f in [format!("{chart_dir}/values.yaml"), file.to_owned()] {
        if f.is_empty() || !ctx.exists(&f) {
            continue;
        }
        if let Some(parsed) = ctx.load(&f) {
            if let Some(doc) = parsed.documents().first() {
                flatten(&ctx.origin(&f), "", "", doc, &mut values);
            }
            files.push(f);
        }
    }
    if files.is_empty() {
        return None;
    }
    // What the values leave to the chart's templates is marked on the cell, never left blank.
    let app_version = ctx
        .documents(&format!("{chart_dir}/Chart.yaml"))
        .and_then(|d| {
            d.first()
                .and_then(|c| c.str_at(&["appVersion"]).map(str::to_owned))
        });
    let mut left: Vec<String> = Vec::new();
    if values.get("image.tag").is_none_or(|t| t.value.is_empty()) {
        left.push(match &app_version {
            Some(v) => format!(
                "the image tag (the chart's templates decide it, commonly its appVersion {v})"
            ),
            None => "the image tag (the chart's templates decide it)".into(),
        });
    }
    if values.get("replicaCount").is_none() {
        left.push("the replicas (no replicaCount in the values)".into());
    }
    if !left.is_empty() {
        ctx.problems.push(Problem {
            file: files.last().cloned().unwrap_or_default(),
            line: None,
            column: None,
            message: format!(
                "{}chart templates are not rendered: {} of {id} are not shown",
                kustomize::NOT_EVALUATED,
                left.join(" and ")
            ),
            severity: Severity::Warning,
        });
    }
    Some(WorkloadState {
        id: id.clone(),
        kind: WorkloadKind::HelmValues,
        containers: helm_containers(&id, &values),
        name: id,
        namespace: None,
        replicas: values.get("replicaCount").cloned(),
        chart_version: None,
        values: values.list,
        labels: Vec::new(),
        files,
    })
}

/// A release's replicas: its chart's own top-level `replicaCount`, never a subchart's.
fn release_replicas(values: &[NamedValue]) -> Option<Sourced> {
    values
        .iter()
        .find(|v| v.name == "spec.values.replicaCount")
        .map(|v| v.value.clone())
}

/// Flux HelmReleases outside every environment folder apply to all environments.
fn shared_helm_releases(
    ctx: &mut Ctx<'_>,
    paths: &BTreeSet<String>,
    env_roots: &[String],
) -> Vec<WorkloadState> {
    let candidates: Vec<String> = paths
        .iter()
        .filter(|p| is_yaml(p) && !layout::is_kustomization(p))
        .filter(|p| {
            !env_roots
                .iter()
                .any(|r| p.starts_with(&format!("{r}/")) || *p == r)
        })
        .filter(|p| {
            ctx.snapshot
                .files
                .get(*p)
                .is_some_and(|t| t.contains("kind: HelmRelease"))
        })
        .cloned()
        .collect();
    let mut out = Vec::new();
    for file in candidates {
        out.extend(
            workloads_in_file(ctx, &file)
                .into_iter()
                .filter(|w| w.kind == WorkloadKind::HelmRelease),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{kustomization_outline, split_image};

    #[test]
    fn a_kustomization_outline_keeps_the_keys_that_name_files_line_for_line() {
        let text = "# prod\nkind: Kustomization\nimages:\n  - name: a\n    newTag: \"1\"\nresources:\n  - ../../base # shared\npatches:\n  - path: p.yaml\nconfigMapGenerator:\n  - name: c\n    files: [run.sh]\n";
        let outline = kustomization_outline(text).unwrap();
        assert_eq!(
            outline,
            "\nkind: Kustomization\n\n\n\nresources:\n  - ../../base # shared\n\n\nconfigMapGenerator:\n  - name: c\n    files: [run.sh]\n"
        );
        let parsed = crate::yaml::parse("k.yaml", &outline).unwrap();
        let root = &parsed.documents()[0];
        let base = &crate::tree::items(crate::tree::get(root, "resources").unwrap())[0];
        assert_eq!((base.span().line, base.span().column), (7, 5));
        // Whatever is not plainly top-level keys is left to the full parse.
        for odd in [
            "resources:\n  - a\n---\nresources: [b]\n",
            "base: &b\n  - x\nresources: *b\n",
            "resources: [\na.yaml\n]\n",
            "%YAML 1.2\n---\nresources: []\n",
            "\"resources\": [a]\n",
            "- a\n",
            "resources:[a]\n",
            "images:\n  - name: a\n",
        ] {
            assert_eq!(kustomization_outline(odd), None, "{odd:?}");
        }
        assert_eq!(
            kustomization_outline("images:\n- name: a\nresources:\n- a.yaml\n").as_deref(),
            Some("\n\nresources:\n- a.yaml\n"),
            "an indentless list at column 0 is its key's"
        );
    }

    #[test]
    fn image_references_split_into_name_and_tag() {
        assert_eq!(
            split_image("registry.acme.example/shop/api:1.4.2"),
            ("registry.acme.example/shop/api", "1.4.2")
        );
        assert_eq!(
            split_image("localhost:5000/api:1"),
            ("localhost:5000/api", "1")
        );
        assert_eq!(split_image("nginx"), ("nginx", ""));
        assert_eq!(split_image("nginx@sha256:abc"), ("nginx", "sha256:abc"));
    }
}
