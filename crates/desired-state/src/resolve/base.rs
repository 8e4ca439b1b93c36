//! What every part of resolution shares, and nothing else: the snapshot of the repository's
//! files and its parse cache, the context a build runs in ([`Ctx`]), where values are written
//! ([`Origin`]), a chart's values ([`ValueList`]), a built folder kept for reuse ([`Memo`]), an
//! ApplicationSet element ([`Element`]), and the small readers over paths and nodes. The
//! builders (`kustomize`, `flux`, `argo`) and the resolution itself use it; it uses none of them.

use crate::model::*;
use crate::render::Resource;
use crate::tree;
use crate::yaml::{self, Node, YamlFile};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;
use wheelhouse_diagnostics::ErrorCode;

/// The repository's text files that resolution may read, by repository-relative path.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub files: BTreeMap<String, Arc<str>>,
    /// Files that exist but could not be read as text (binary, too large), with why.
    pub unreadable: BTreeMap<String, String>,
}

pub(super) type Parsed = Result<Arc<YamlFile>, yaml::YamlError>;

/// Parsed files by path, reused while their text is unchanged.
#[derive(Debug, Default)]
pub struct ParseCache {
    pub(super) entries: HashMap<String, Entry>,
    /// Kustomizations parsed for their outline only ([`ParseCache::outline`]), by path.
    pub(super) outlines: HashMap<String, (Arc<str>, Parsed)>,
}

/// The top-level keys of a kustomization that environment detection and the generator-input
/// scan read: the rest (`images`, `patches`…, often most of the file) is left to the full parse
/// of the folders a build actually reads.
pub(super) const OUTLINE_KEYS: [&str; 9] = [
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
pub(super) fn kustomization_outline(text: &str) -> Option<String> {
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
pub(super) struct Entry {
    pub(super) text: Arc<str>,
    pub(super) parsed: Parsed,
    /// The documents as render values located in the file, made once on first use: every
    /// environment (and both sides of a change) that reads the file shares them.
    pub(super) values: std::sync::OnceLock<Arc<Vec<crate::render::Value>>>,
}

impl Entry {
    pub(super) fn new(text: Arc<str>, parsed: Parsed) -> Entry {
        Entry {
            text,
            parsed,
            values: std::sync::OnceLock::new(),
        }
    }

    pub(super) fn holds(&self, text: &Arc<str>) -> bool {
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
    pub(super) fn values(
        &self,
        path: &str,
        text: &Arc<str>,
    ) -> Option<Arc<Vec<crate::render::Value>>> {
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
pub(super) fn outline_parse(path: &str, text: &str) -> Parsed {
    match kustomization_outline(text) {
        Some(outline) => yaml::parse(path, &outline).map(Arc::new),
        None => yaml::parse(path, text).map(Arc::new),
    }
}

/// The documents of `file` (at `path`) as render values located in it.
pub(super) fn as_values(path: &str, file: &YamlFile) -> Arc<Vec<crate::render::Value>> {
    let loc = crate::render::value::FileLocator(path.into());
    Arc::new(
        file.documents()
            .iter()
            .map(|d| crate::render::value::from_node(d, &loc))
            .collect(),
    )
}

pub(super) const WORKLOAD_KINDS: [(&str, WorkloadKind); 4] = [
    ("Deployment", WorkloadKind::Deployment),
    ("StatefulSet", WorkloadKind::StatefulSet),
    ("DaemonSet", WorkloadKind::DaemonSet),
    ("CronJob", WorkloadKind::CronJob),
];

pub(super) struct Ctx<'a> {
    pub(super) snapshot: &'a Snapshot,
    /// Warmed before resolving: shared by the threads that resolve environments.
    pub(super) cache: &'a ParseCache,
    pub(super) problems: Vec<Problem>,
    pub(super) used: BTreeSet<String>,
    /// The folders and files of the environment layer being built: files there are
    /// `Layer::Environment`.
    pub(super) env_owned: Vec<String>,
    /// Kustomization folders already built (bases shared by environments).
    pub(super) memo: HashMap<String, Arc<Memo>>,
    /// `nameReference`s declared by `configurations` in the build under way.
    pub(super) namerefs: Vec<crate::render::transform::NameRef>,
}

impl<'a> Ctx<'a> {
    pub(super) fn new(snapshot: &'a Snapshot, cache: &'a ParseCache) -> Ctx<'a> {
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

    pub(super) fn layer_of(&self, file: &str) -> Layer {
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
    pub(super) fn origin<'f>(&self, file: &'f str) -> Origin<'f> {
        Origin {
            file,
            layer: self.layer_of(file),
            embedded: None,
            element: None,
        }
    }

    pub(super) fn exists(&self, path: &str) -> bool {
        self.snapshot.files.contains_key(path) || self.snapshot.unreadable.contains_key(path)
    }

    pub(super) fn load(&mut self, path: &str) -> Option<Arc<YamlFile>> {
        self.used.insert(path.to_owned());
        if let Some(why) = self.snapshot.unreadable.get(path) {
            self.problem(path, None, why.clone(), ErrorCode::InvalidFile);
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
                self.problems.push(Problem::new(
                    ErrorCode::InvalidYaml,
                    path.to_owned(),
                    Some(e.line),
                    Some(e.column),
                    e.message.clone(),
                ));
                None
            }
        }
    }

    /// The documents of `path` as render values located in it (see [`Ctx::load`]).
    pub(super) fn documents(&mut self, path: &str) -> Option<Arc<Vec<crate::render::Value>>> {
        let file = self.load(path)?;
        let text = self.snapshot.files.get(path)?;
        Some(
            self.cache
                .values(path, text)
                .unwrap_or_else(|| as_values(path, &file)),
        )
    }

    pub(super) fn problem(
        &mut self,
        file: &str,
        node: Option<&Node>,
        message: String,
        code: ErrorCode,
    ) {
        self.problems.push(Problem::new(
            code,
            file.to_owned(),
            node.map(tree::line),
            node.map(tree::column),
            message,
        ));
    }

    /// A problem at `node` of what `origin` reads (located in the file around it, for YAML
    /// embedded in a string).
    pub(super) fn problem_in(
        &mut self,
        origin: &Origin<'_>,
        node: &Node,
        message: String,
        code: ErrorCode,
    ) {
        self.problems.push(Problem::new(
            code,
            origin.file.to_owned(),
            Some(origin.line(node)),
            origin.embedded.is_none().then(|| tree::column(node)),
            message,
        ));
    }
}

/// How the lines of YAML embedded in a string map to the lines of the file holding it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum LineMap {
    /// A literal block scalar (`|`): its line `n` is the file's line `offset + n`.
    Offset(u32),
    /// Any other string: every line is reported at the string's own line.
    Fixed(u32),
}

/// Where the nodes being read are written, and how their values are attributed: a file (and
/// its layer), YAML embedded in a string of that file (an inline patch, an Argo CD
/// `helm.values`), and the `ApplicationSet` element whose keys fill `{{key}}` placeholders.
#[derive(Debug, Clone, Copy)]
pub(super) struct Origin<'a> {
    pub(super) file: &'a str,
    pub(super) layer: Layer,
    /// The YAML path of the string holding the embedded YAML, and how its lines map.
    pub(super) embedded: Option<(&'a str, LineMap)>,
    pub(super) element: Option<&'a Element<'a>>,
}

/// Separates the path of a string from the path inside the YAML embedded in it:
/// `patches[1].patch > spec.replicas`.
pub const EMBEDDED_PATH_SEPARATOR: &str = " > ";

impl<'a> Origin<'a> {
    /// The origin of YAML embedded in `node`, a string at `path` of this origin (its text is
    /// [`Origin::text`]).
    pub(super) fn embedded(&self, path: &'a str, node: &Node) -> Option<Origin<'a>> {
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
    pub(super) fn line_at(&self, inner: u32) -> u32 {
        match self.embedded {
            Some((_, LineMap::Offset(offset))) => offset + inner,
            Some((_, LineMap::Fixed(line))) => line,
            None => inner,
        }
    }

    pub(super) fn path(&self, inner: String) -> String {
        match self.embedded {
            Some((outer, _)) => format!("{outer}{EMBEDDED_PATH_SEPARATOR}{inner}"),
            None => inner,
        }
    }

    pub(super) fn line(&self, node: &Node) -> u32 {
        self.line_at(tree::line(node))
    }

    /// The value of a scalar with where it is set. In an `ApplicationSet` template, a value
    /// that is one placeholder is set by the element's key (the environment's own); a value
    /// with placeholders among other text is filled and attributed to the template.
    pub(super) fn sourced(&self, path: String, node: &Node) -> Option<Sourced> {
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
    pub(super) fn text<'n>(&self, node: &'n Node) -> Option<std::borrow::Cow<'n, str>> {
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
pub(super) struct ValueList {
    pub(super) list: Vec<NamedValue>,
    pub(super) index: HashMap<String, usize>,
}

impl ValueList {
    pub(super) fn set(&mut self, name: String, value: Sourced) {
        match self.index.get(&name) {
            Some(&i) => self.list[i].value = value,
            None => {
                self.index.insert(name.clone(), self.list.len());
                self.list.push(NamedValue { name, value });
            }
        }
    }

    pub(super) fn get(&self, name: &str) -> Option<&Sourced> {
        self.index.get(name).map(|&i| &self.list[i].value)
    }
}

/// Sets `name` in a short list (labels, env vars), replacing an existing value in place.
pub(super) fn set_named(list: &mut Vec<NamedValue>, name: &str, value: Sourced) {
    match list.iter_mut().find(|x| x.name == name) {
        Some(existing) => existing.value = value,
        None => list.push(NamedValue {
            name: name.to_owned(),
            value,
        }),
    }
}

/// `.key`, or `["key"]` for a key holding dots or brackets (`app.kubernetes.io/name`).
pub(super) fn key_path(key: &str) -> String {
    let seg = yaml::format_path(&[yaml::PathSeg::Key(key.to_owned())]);
    if seg.starts_with('[') {
        seg
    } else {
        format!(".{seg}")
    }
}

pub(super) fn scalar_text(node: &Node) -> Option<String> {
    match node {
        Node::Scalar { value, .. } => Some(value.clone()),
        _ => None,
    }
}

/// The loaded key/value pairs of a mapping.
pub(super) fn map_entries(node: &Node) -> impl Iterator<Item = (&str, &Node)> {
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

/// `dir/name`, or `name` at the repository root.
pub(super) fn in_dir(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_owned()
    } else {
        format!("{dir}/{name}")
    }
}

/// The YAML files under `dir` (directly in it unless `recurse`), in path order.
pub(super) fn files_in(snapshot: &Snapshot, dir: &str, recurse: bool) -> Vec<String> {
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

pub(super) fn kustomization_file(ctx: &Ctx<'_>, dir: &str) -> Option<String> {
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

pub(super) fn pod_spec_path(kind: WorkloadKind) -> &'static [&'static str] {
    match kind {
        WorkloadKind::CronJob => &["spec", "jobTemplate", "spec", "template", "spec"],
        _ => &["spec", "template", "spec"],
    }
}

pub(super) fn merge_labels(
    origin: &Origin<'_>,
    path: &str,
    map: Option<&Node>,
    labels: &mut Vec<NamedValue>,
) {
    for (key, v) in map_entries(map.unwrap_or(&tree::EMPTY)) {
        if let Some(value) = origin.sourced(format!("{path}{}", key_path(key)), v) {
            set_named(labels, key, value);
        }
    }
}

/// Flattens the scalar leaves of a values tree: names `a.b.c` (after `name`), provenance paths
/// after `path` (they differ when values sit under a key, as Argo CD's `helm.valuesObject`).
pub(super) fn flatten(
    origin: &Origin<'_>,
    name: &str,
    path: &str,
    node: &Node,
    out: &mut ValueList,
) {
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
pub(super) fn helm_containers(id: &str, values: &ValueList) -> Vec<ContainerState> {
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

/// A release's replicas: its chart's own top-level `replicaCount`, never a subchart's.
pub(super) fn release_replicas(values: &[NamedValue]) -> Option<Sourced> {
    values
        .iter()
        .find(|v| v.name == "spec.values.replicaCount")
        .map(|v| v.value.clone())
}

/// A folder's build as kept for reuse: what it made, which files it read, what it found.
#[derive(Debug)]
pub(super) struct Memo {
    pub(super) resources: Vec<Resource>,
    pub(super) namerefs: Vec<crate::render::transform::NameRef>,
    pub(super) used: Vec<String>,
    pub(super) problems: Vec<Problem>,
}

/// One list element of an ApplicationSet: the keys that fill the template's placeholders.
#[derive(Debug)]
pub(super) struct Element<'a> {
    pub(super) file: &'a str,
    /// The element as written (`list`), or made by a `git` generator from the repository.
    pub(super) node: std::borrow::Cow<'a, Node>,
    /// Its YAML path: `spec.generators[0].list.elements[1]` (for a `git` element, the
    /// generator's).
    pub(super) path: String,
    /// Made by a generator: its values are not written anywhere to be edited.
    pub(super) generated: bool,
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
