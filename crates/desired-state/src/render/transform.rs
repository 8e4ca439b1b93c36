//! Kustomize's built-in transformers over rendered resources, with its field specs for the
//! built-in kinds: `namespace`, `namePrefix`/`nameSuffix`, `commonLabels` and `labels`,
//! `commonAnnotations`, `replicas`, `images`, and the name references that follow a rename
//! (a ConfigMap with a hash suffix, a prefixed Secret) into the objects that use them.

use super::value::{Data, Src, Value};
use super::Resource;
use std::collections::HashMap;
use std::sync::Arc;

/// Kinds that live outside namespaces (kustomize leaves their namespace unset).
const CLUSTER_SCOPED: [&str; 17] = [
    "Namespace",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "PersistentVolume",
    "StorageClass",
    "PriorityClass",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
    "APIService",
    "CSIDriver",
    "CSINode",
    "Node",
    "IngressClass",
    "RuntimeClass",
    "PodSecurityPolicy",
    "VolumeAttachment",
];

/// Kinds whose name no prefix or suffix changes.
const NAME_KEPT: [&str; 3] = ["Namespace", "CustomResourceDefinition", "APIService"];

const POD_TEMPLATE_KINDS: [&str; 5] = [
    "Deployment",
    "ReplicaSet",
    "DaemonSet",
    "StatefulSet",
    "ReplicationController",
];

pub fn kind(o: &Value) -> &str {
    o.str_at(&["kind"]).unwrap_or("")
}

/// Which RoleBinding subjects a namespace transformer moves (`setRoleBindingSubjects`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Subjects {
    /// Subjects named `default` (kustomize's default).
    #[default]
    DefaultOnly,
    /// Every ServiceAccount subject.
    AllServiceAccounts,
    None,
}

/// The kustomization's `namespace`, with kustomize's default field specs.
pub fn namespace(resources: &mut [Resource], ns: &str, src: &Option<Arc<Src>>) {
    namespace_with(
        resources,
        &Namespace {
            namespace: Value::str(ns).with_src(src.clone()),
            subjects: Subjects::DefaultOnly,
            unset_only: false,
        },
        &default_namespace_fields(),
    );
}

/// A namespace transformer's settings.
#[derive(Debug)]
pub struct Namespace {
    pub namespace: Value,
    pub subjects: Subjects,
    /// Only objects that name no namespace get it.
    pub unset_only: bool,
}

/// The fields kustomize's `namespace` sets besides `metadata/namespace` (which every
/// namespaced object gets whatever the field specs say).
pub fn default_namespace_fields() -> Vec<FieldSpec> {
    let spec = |path: &str, group: &str, kind: &str, create: bool| FieldSpec {
        group: (!group.is_empty()).then(|| group.to_owned()),
        version: None,
        kind: Some(kind.to_owned()),
        path: path.split('/').map(str::to_owned).collect(),
        create,
    };
    vec![
        spec("metadata/name", "", "Namespace", true),
        spec(
            "spec/service/namespace",
            "apiregistration.k8s.io",
            "APIService",
            true,
        ),
        spec(
            "spec/conversion/webhook/clientConfig/service/namespace",
            "apiextensions.k8s.io",
            "CustomResourceDefinition",
            false,
        ),
    ]
}

/// A namespace transformer as kustomize runs it: `metadata.namespace` on every namespaced
/// object, then the field specs (a v1 Namespace's `metadata/name` renames it), then the
/// subjects of role bindings.
pub fn namespace_with(resources: &mut [Resource], t: &Namespace, fields: &[FieldSpec]) {
    let ns = t.namespace.as_str().unwrap_or("").to_owned();
    let value = || Value::str(ns.clone()).with_src(t.namespace.src.clone());
    for r in resources {
        let k = kind(&r.object).to_owned();
        let unset = |o: &Value| {
            o.str_at(&["metadata", "namespace"])
                .is_none_or(str::is_empty)
        };
        if !CLUSTER_SCOPED.contains(&k.as_str()) && (!t.unset_only || unset(&r.object)) {
            r.object.ensure_map(&["metadata"]).set("namespace", value());
        }
        let chosen: Vec<&FieldSpec> = fields.iter().filter(|fs| fs.selects(&r.object)).collect();
        for fs in chosen {
            if fs.path == ["metadata", "namespace"] {
                continue;
            }
            if fs.path == ["metadata", "name"] && k == "Namespace" {
                // kustomize renames a Namespace object to the namespace it sets.
                if r.object.str_at(&["apiVersion"]) == Some("v1")
                    && r.object.str_at(&["metadata", "name"]) != Some(ns.as_str())
                {
                    r.rename(|_| ns.clone());
                }
                continue;
            }
            each_field_mut(
                &mut r.object,
                &fs.path,
                fs.create.then_some(&value),
                &mut |v| {
                    if !t.unset_only || v.as_str().is_none_or(str::is_empty) {
                        *v = value();
                    }
                },
            );
        }
        if k == "RoleBinding" || k == "ClusterRoleBinding" {
            if let Some(subjects) = r.object.get_mut("subjects").and_then(Value::items_mut) {
                for s in subjects {
                    let moved = match t.subjects {
                        Subjects::DefaultOnly => s.str_at(&["name"]) == Some("default"),
                        Subjects::AllServiceAccounts => {
                            s.str_at(&["kind"]) == Some("ServiceAccount")
                        }
                        Subjects::None => false,
                    };
                    if moved {
                        s.set("namespace", value());
                    }
                }
            }
        }
    }
}

/// A kustomize field spec: a field (`spec/template/metadata/labels`; lists on the way are
/// walked through, a `[]` after a name says the field is a list) of the objects of a group,
/// version and kind (any, where not given).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSpec {
    pub group: Option<String>,
    pub version: Option<String>,
    pub kind: Option<String>,
    pub path: Vec<String>,
    /// Missing fields on the way are made.
    pub create: bool,
}

impl FieldSpec {
    /// Whether the spec applies to `o`.
    pub fn selects(&self, o: &Value) -> bool {
        let av = o.str_at(&["apiVersion"]).unwrap_or("");
        let (group, version) = av.split_once('/').unwrap_or(("", av));
        self.group.as_deref().is_none_or(|g| g == group)
            && self.version.as_deref().is_none_or(|v| v == version)
            && self.kind.as_deref().is_none_or(|k| k == kind(o))
    }
}

/// Calls `f` on every value at `path` in `v` (lists walked through). With `create`, missing
/// maps on the way are made and a missing last field is `create()`; a field marked as a list
/// (`containers[]`) is never made.
pub fn each_field_mut<S: AsRef<str>>(
    v: &mut Value,
    path: &[S],
    create: Option<&dyn Fn() -> Value>,
    f: &mut dyn FnMut(&mut Value),
) {
    if let Some(items) = v.items_mut() {
        for i in items {
            each_field_mut(i, path, create, f);
        }
        return;
    }
    let Some((key, rest)) = path.split_first() else {
        f(v);
        return;
    };
    let (key, listed) = match key.as_ref().strip_suffix("[]") {
        Some(k) => (k, true),
        None => (key.as_ref(), false),
    };
    let present = v.get(key).is_some_and(|c| !matches!(c.data, Data::Null));
    if !present {
        match create {
            Some(make) if !listed && v.is_map() => {
                let made = if rest.is_empty() {
                    make()
                } else {
                    Value::map()
                };
                v.set(key, made);
            }
            _ => return,
        }
    }
    if let Some(child) = v.get_mut(key) {
        each_field_mut(child, rest, create, f);
    }
}

/// Labels or annotations set where `fields` say (a `LabelTransformer`,
/// `AnnotationsTransformer`); string values.
pub fn entries_at(resources: &mut [Resource], pairs: &[(String, Value)], fields: &[FieldSpec]) {
    if pairs.is_empty() {
        return;
    }
    for r in resources {
        let chosen: Vec<&FieldSpec> = fields.iter().filter(|fs| fs.selects(&r.object)).collect();
        for fs in chosen {
            each_field_mut(
                &mut r.object,
                &fs.path,
                fs.create.then_some(&Value::map),
                &mut |m| {
                    if m.is_map() {
                        for (key, v) in pairs {
                            m.set(key, v.clone());
                        }
                    }
                },
            );
        }
    }
}

/// A `PrefixSuffixTransformer` (`PrefixTransformer`, `SuffixTransformer`): `metadata/name`
/// renames the object (references follow), any other field gets the text around it.
pub fn prefix_suffix_at(
    resources: &mut [Resource],
    prefix: &str,
    suffix: &str,
    fields: &[FieldSpec],
) {
    for r in resources {
        if NAME_KEPT.contains(&kind(&r.object)) {
            continue;
        }
        let chosen: Vec<&FieldSpec> = fields.iter().filter(|fs| fs.selects(&r.object)).collect();
        for fs in chosen {
            if fs.path == ["metadata", "name"] {
                r.rename(|name| format!("{prefix}{name}{suffix}"));
                continue;
            }
            each_field_mut(&mut r.object, &fs.path, None, &mut |v| {
                if let Some(s) = v.as_str() {
                    v.data = Data::Str(format!("{prefix}{s}{suffix}"));
                }
            });
        }
    }
}

/// A `ReplicaCountTransformer`: `count` at each field spec of the objects that have (had)
/// `name`; false when no object matched any spec (kustomize fails the build then).
pub fn replicas_at(
    resources: &mut [Resource],
    name: &str,
    count: &Value,
    fields: &[FieldSpec],
) -> bool {
    let mut found = false;
    for r in resources.iter_mut().filter(|r| r.has_name(name)) {
        let chosen: Vec<&FieldSpec> = fields.iter().filter(|fs| fs.selects(&r.object)).collect();
        for fs in chosen {
            found = true;
            each_field_mut(
                &mut r.object,
                &fs.path,
                fs.create.then_some(&|| count.clone()),
                &mut |v| *v = count.clone(),
            );
        }
    }
    found
}

/// An `ImageTagTransformer`: the rule on every container (as `images` does), then on the
/// image references its field specs name.
pub fn image_at(resources: &mut [Resource], rule: &ImageRule, fields: &[FieldSpec]) -> bool {
    let mut used = images_all(resources, std::slice::from_ref(rule))[0];
    for r in resources {
        let chosen: Vec<&FieldSpec> = fields.iter().filter(|fs| fs.selects(&r.object)).collect();
        for fs in chosen {
            each_field_mut(&mut r.object, &fs.path, None, &mut |v| {
                if v.as_str().is_some() {
                    let mut holder = Value::map();
                    holder.set("image", v.clone());
                    if apply_rule(&mut holder, rule) {
                        used = true;
                        if let Some(new) = holder.remove("image") {
                            *v = new;
                        }
                    }
                }
            });
        }
    }
    used
}

/// The kustomization's `namePrefix`/`nameSuffix`: kustomize's one default field spec,
/// `metadata/name`, through [`prefix_suffix_at`].
pub fn prefix_suffix(resources: &mut [Resource], prefix: &str, suffix: &str) {
    if prefix.is_empty() && suffix.is_empty() {
        return;
    }
    let name = FieldSpec {
        group: None,
        version: None,
        kind: None,
        path: vec!["metadata".into(), "name".into()],
        create: false,
    };
    prefix_suffix_at(resources, prefix, suffix, std::slice::from_ref(&name));
}

/// Where labels go. `selectors`: also selectors (commonLabels, `includeSelectors`);
/// `templates`: pod template labels (implied by `selectors`).
pub fn labels(
    resources: &mut [Resource],
    pairs: &[(String, Value)],
    selectors: bool,
    templates: bool,
) {
    if pairs.is_empty() {
        return;
    }
    for r in resources {
        let k = kind(&r.object).to_owned();
        let o = &mut r.object;
        let mut targets: Vec<(Vec<&str>, bool)> = vec![(vec!["metadata", "labels"], true)];
        let templates = templates || selectors;
        if POD_TEMPLATE_KINDS.contains(&k.as_str()) {
            if selectors {
                targets.push((vec!["spec", "selector", "matchLabels"], true));
            }
            if templates {
                targets.push((vec!["spec", "template", "metadata", "labels"], true));
            }
        }
        match k.as_str() {
            "Service" if selectors => targets.push((vec!["spec", "selector"], true)),
            "Job" => {
                if selectors {
                    targets.push((vec!["spec", "selector", "matchLabels"], false));
                }
                if templates {
                    targets.push((vec!["spec", "template", "metadata", "labels"], true));
                }
            }
            "CronJob" => {
                if selectors {
                    targets.push((
                        vec!["spec", "jobTemplate", "spec", "selector", "matchLabels"],
                        false,
                    ));
                }
                if templates {
                    targets.push((vec!["spec", "jobTemplate", "metadata", "labels"], true));
                    targets.push((
                        vec![
                            "spec",
                            "jobTemplate",
                            "spec",
                            "template",
                            "metadata",
                            "labels",
                        ],
                        true,
                    ));
                }
            }
            "PodDisruptionBudget" if selectors => {
                targets.push((vec!["spec", "selector", "matchLabels"], false))
            }
            "NetworkPolicy" if selectors => {
                targets.push((vec!["spec", "podSelector", "matchLabels"], false))
            }
            _ => {}
        }
        if selectors {
            for path in list_selectors(&k) {
                let path: Vec<&str> = path.split('/').collect();
                each_at_mut(o, &path, &mut |m| {
                    if m.is_map() {
                        for (key, v) in pairs {
                            m.set(key, v.clone());
                        }
                    }
                });
            }
        }
        for (path, create) in targets {
            if !create && o.at(&path).is_none() {
                continue;
            }
            let map = o.ensure_map(&path);
            for (key, v) in pairs {
                map.set(key, v.clone());
            }
        }
        if k == "StatefulSet" && selectors {
            if let Some(claims) = o
                .at_mut(&["spec", "volumeClaimTemplates"])
                .and_then(Value::items_mut)
            {
                for c in claims {
                    let map = c.ensure_map(&["metadata", "labels"]);
                    for (key, v) in pairs {
                        map.set(key, v.clone());
                    }
                }
            }
        }
    }
}

/// Selectors that labels with selectors reach where they already exist, as kustomize's
/// defaults list them (lists on the way are walked through): pod (anti-)affinity terms and
/// topology spread constraints of Deployments and StatefulSets, a NetworkPolicy's peers.
fn list_selectors(kind: &str) -> &'static [&'static str] {
    const POD: [&str; 5] = [
        "spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels",
        "spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels",
        "spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels",
        "spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels",
        "spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels",
    ];
    const PEERS: [&str; 2] = [
        "spec/ingress/from/podSelector/matchLabels",
        "spec/egress/to/podSelector/matchLabels",
    ];
    match kind {
        "Deployment" | "StatefulSet" => &POD,
        "NetworkPolicy" => &PEERS,
        _ => &[],
    }
}

/// Calls `f` on every value at `path` in `v`, walking through every item of the lists met on
/// the way, as kustomize's field specs do. Asks read-only first: where `path` leads nowhere,
/// nothing is written (writing copies a shared object).
fn each_at_mut<S: AsRef<str>>(v: &mut Value, path: &[S], f: &mut dyn FnMut(&mut Value)) {
    fn reaches<S: AsRef<str>>(v: &Value, path: &[S]) -> bool {
        match (&v.data, path.split_first()) {
            (Data::Seq(items), _) => items.iter().any(|i| reaches(i, path)),
            (_, None) => true,
            (_, Some((key, rest))) => v.get(key.as_ref()).is_some_and(|c| reaches(c, rest)),
        }
    }
    if !reaches(v, path) {
        return;
    }
    if let Some(items) = v.items_mut() {
        for i in items {
            each_at_mut(i, path, f);
        }
        return;
    }
    match path.split_first() {
        None => f(v),
        Some((key, rest)) => {
            if let Some(child) = v.get_mut(key.as_ref()) {
                each_at_mut(child, rest, f);
            }
        }
    }
}

pub fn annotations(resources: &mut [Resource], pairs: &[(String, Value)]) {
    if pairs.is_empty() {
        return;
    }
    for r in resources {
        let k = kind(&r.object).to_owned();
        let mut targets = vec![vec!["metadata", "annotations"]];
        if POD_TEMPLATE_KINDS.contains(&k.as_str()) || k == "Job" {
            targets.push(vec!["spec", "template", "metadata", "annotations"]);
        }
        if k == "CronJob" {
            targets.push(vec!["spec", "jobTemplate", "metadata", "annotations"]);
            targets.push(vec![
                "spec",
                "jobTemplate",
                "spec",
                "template",
                "metadata",
                "annotations",
            ]);
        }
        for path in targets {
            let map = r.object.ensure_map(&path);
            for (key, v) in pairs {
                map.set(key, v.clone());
            }
        }
    }
}

const REPLICA_KINDS: [&str; 4] = [
    "Deployment",
    "ReplicationController",
    "ReplicaSet",
    "StatefulSet",
];

/// Every `replicas` entry `(name, count)` in order, in one pass over the resources; for each,
/// whether a resource had that name.
pub fn replicas_all(resources: &mut [Resource], entries: &[(&str, &Value)]) -> Vec<bool> {
    let mut used = vec![false; entries.len()];
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, (n, _)) in entries.iter().enumerate() {
        by_name.entry(n).or_default().push(i);
    }
    for r in resources {
        if !REPLICA_KINDS.contains(&kind(&r.object)) {
            continue;
        }
        let mut hits: Vec<usize> = r
            .names
            .iter()
            .filter_map(|n| by_name.get(n.as_str()))
            .flatten()
            .copied()
            .collect();
        hits.sort_unstable();
        hits.dedup();
        for i in hits {
            r.object
                .ensure_map(&["spec"])
                .set("replicas", entries[i].1.clone());
            used[i] = true;
        }
    }
    used
}

/// An `images` entry.
#[derive(Debug, Clone)]
pub struct ImageRule {
    pub name: String,
    pub new_name: Option<Value>,
    pub new_tag: Option<Value>,
    pub digest: Option<Value>,
}

/// Splits `name[:tag][@digest]` into its three parts.
pub fn image_parts(image: &str) -> (&str, Option<&str>, Option<&str>) {
    let (rest, digest) = match image.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (image, None),
    };
    let slash = rest.rfind('/').map_or(0, |i| i + 1);
    match rest[slash..].rfind(':') {
        Some(i) => (&rest[..slash + i], Some(&rest[slash + i + 1..]), digest),
        None => (rest, None, digest),
    }
}

/// Applies an `images` entry to every `containers`/`initContainers` list anywhere in every
/// object; false when no container uses the image.
/// Applies one `images` rule to one container; false when it does not use the image.
fn apply_rule(c: &mut Value, rule: &ImageRule) -> bool {
    let Some(image) = c.str_at(&["image"]).map(str::to_owned) else {
        return false;
    };
    let (name, tag, digest) = image_parts(&image);
    if name != rule.name {
        return false;
    }
    let new_name = rule
        .new_name
        .as_ref()
        .and_then(Value::as_str)
        .unwrap_or(name);
    let (text, src) = if let Some(d) = &rule.digest {
        let tag = rule
            .new_tag
            .as_ref()
            .and_then(Value::scalar_text)
            .map(|t| format!(":{t}"))
            .unwrap_or_default();
        (
            format!("{new_name}{tag}@{}", d.as_str().unwrap_or("")),
            d.src.clone(),
        )
    } else if let Some(t) = &rule.new_tag {
        (
            format!("{new_name}:{}", t.scalar_text().unwrap_or_default()),
            t.src.clone(),
        )
    } else {
        let mut s = new_name.to_owned();
        if let Some(t) = tag {
            s.push(':');
            s.push_str(t);
        }
        if let Some(d) = digest {
            s.push('@');
            s.push_str(d);
        }
        let src = rule.new_name.as_ref().and_then(|v| v.src.clone());
        (s, src)
    };
    c.set("image", Value::str(text).with_src(src));
    true
}

/// Applies every `images` entry in order (a renamed image can match a later entry) in one pass
/// over the containers; for each entry, whether some container used its image.
pub fn images_all(resources: &mut [Resource], rules: &[ImageRule]) -> Vec<bool> {
    let mut used = vec![false; rules.len()];
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, r) in rules.iter().enumerate() {
        by_name.entry(r.name.as_str()).or_default().push(i);
    }
    for r in resources {
        walk_containers(&mut r.object, &mut |c| {
            let mut after = 0;
            loop {
                let Some(image) = c.str_at(&["image"]) else {
                    return;
                };
                let name = image_parts(image).0;
                let Some(next) = by_name
                    .get(name)
                    .and_then(|list| list.iter().copied().find(|&i| i >= after))
                else {
                    return;
                };
                apply_rule(c, &rules[next]);
                used[next] = true;
                after = next + 1;
            }
        });
    }
    used
}

/// Whether a list of containers is somewhere inside `v` (asked before writing: see
/// [`Value::any_str`]).
fn holds_containers(v: &Value) -> bool {
    match &v.data {
        Data::Map(m) => m.iter().any(|(k, child)| {
            ((k == "containers" || k == "initContainers") && matches!(child.data, Data::Seq(_)))
                || holds_containers(child)
        }),
        Data::Seq(items) => items.iter().any(holds_containers),
        _ => false,
    }
}

fn walk_containers(v: &mut Value, f: &mut dyn FnMut(&mut Value)) {
    if !holds_containers(v) {
        return;
    }
    if let Some(m) = v.entries_mut() {
        for (k, child) in m.iter_mut() {
            if k == "containers" || k == "initContainers" {
                if let Some(items) = child.items_mut() {
                    for c in items.iter_mut() {
                        f(c);
                    }
                    continue;
                }
            }
            walk_containers(child, f);
        }
    } else if let Some(items) = v.items_mut() {
        for c in items {
            walk_containers(c, f);
        }
    }
}

/// Every pod spec in an object (a map holding `containers`).
fn walk_pod_specs(v: &mut Value, f: &mut dyn FnMut(&mut Value)) {
    if v.get("containers")
        .is_some_and(|c| matches!(c.data, Data::Seq(_)))
    {
        f(v);
        return;
    }
    if !holds_containers(v) {
        return;
    }
    match &mut v.data {
        Data::Map(m) => Arc::make_mut(m)
            .iter_mut()
            .for_each(|(_, c)| walk_pod_specs(c, f)),
        Data::Seq(items) => Arc::make_mut(items)
            .iter_mut()
            .for_each(|c| walk_pod_specs(c, f)),
        _ => {}
    }
}

fn rename(v: Option<&mut Value>, map: &HashMap<String, String>) {
    if let Some(v) = v {
        if let Some(new) = v.as_str().and_then(|s| map.get(s)) {
            v.data = Data::Str(new.clone());
        }
    }
}

/// After every rename, references follow: a workload's ConfigMaps, Secrets, ServiceAccount and
/// claims, a RoleBinding's role and subjects, an HPA's target, an Ingress's services.
/// `renames[kind]` maps each old name of that kind (original and intermediate) to the final one.
pub fn fix_name_references(
    objects: &mut [Value],
    renames: &HashMap<String, HashMap<String, String>>,
) {
    let empty = HashMap::new();
    let of = |k: &str| renames.get(k).unwrap_or(&empty);
    let (cm, secret, sa, pvc, svc) = (
        of("ConfigMap"),
        of("Secret"),
        of("ServiceAccount"),
        of("PersistentVolumeClaim"),
        of("Service"),
    );
    for o in objects.iter_mut() {
        walk_pod_specs(o, &mut |pod| {
            rename(pod.get_mut("serviceAccountName"), sa);
            rename(pod.get_mut("serviceAccount"), sa);
            if let Some(list) = pod.get_mut("imagePullSecrets").and_then(Value::items_mut) {
                for s in list {
                    rename(s.get_mut("name"), secret);
                }
            }
            if let Some(vols) = pod.get_mut("volumes").and_then(Value::items_mut) {
                for vol in vols {
                    rename(vol.at_mut(&["configMap", "name"]), cm);
                    rename(vol.at_mut(&["secret", "secretName"]), secret);
                    rename(vol.at_mut(&["persistentVolumeClaim", "claimName"]), pvc);
                    if let Some(sources) = vol
                        .at_mut(&["projected", "sources"])
                        .and_then(Value::items_mut)
                    {
                        for s in sources {
                            rename(s.at_mut(&["configMap", "name"]), cm);
                            rename(s.at_mut(&["secret", "name"]), secret);
                        }
                    }
                }
            }
            for list in ["containers", "initContainers", "ephemeralContainers"] {
                if let Some(cs) = pod.get_mut(list).and_then(Value::items_mut) {
                    for c in cs {
                        if let Some(env) = c.get_mut("env").and_then(Value::items_mut) {
                            for e in env {
                                rename(e.at_mut(&["valueFrom", "configMapKeyRef", "name"]), cm);
                                rename(e.at_mut(&["valueFrom", "secretKeyRef", "name"]), secret);
                            }
                        }
                        if let Some(from) = c.get_mut("envFrom").and_then(Value::items_mut) {
                            for e in from {
                                rename(e.at_mut(&["configMapRef", "name"]), cm);
                                rename(e.at_mut(&["secretRef", "name"]), secret);
                            }
                        }
                    }
                }
            }
        });
        let k = kind(o).to_owned();
        match k.as_str() {
            "RoleBinding" | "ClusterRoleBinding" => {
                let role_kind = o.str_at(&["roleRef", "kind"]).unwrap_or("").to_owned();
                rename(o.at_mut(&["roleRef", "name"]), of(&role_kind));
                if let Some(subjects) = o.get_mut("subjects").and_then(Value::items_mut) {
                    for s in subjects {
                        if s.str_at(&["kind"]) == Some("ServiceAccount") {
                            rename(s.get_mut("name"), sa);
                        }
                    }
                }
            }
            "HorizontalPodAutoscaler" => {
                let target = o
                    .str_at(&["spec", "scaleTargetRef", "kind"])
                    .unwrap_or("")
                    .to_owned();
                rename(o.at_mut(&["spec", "scaleTargetRef", "name"]), of(&target));
            }
            "Ingress" => {
                if let Some(tls) = o.at_mut(&["spec", "tls"]).and_then(Value::items_mut) {
                    for t in tls {
                        rename(t.get_mut("secretName"), secret);
                    }
                }
                rename(
                    o.at_mut(&["spec", "defaultBackend", "service", "name"]),
                    svc,
                );
                if let Some(rules) = o.at_mut(&["spec", "rules"]).and_then(Value::items_mut) {
                    for rule in rules {
                        if let Some(paths) =
                            rule.at_mut(&["http", "paths"]).and_then(Value::items_mut)
                        {
                            for p in paths {
                                rename(p.at_mut(&["backend", "service", "name"]), svc);
                            }
                        }
                    }
                }
            }
            "StatefulSet" => rename(o.at_mut(&["spec", "serviceName"]), svc),
            "ServiceAccount" => {
                if let Some(secrets) = o.get_mut("secrets").and_then(Value::items_mut) {
                    for s in secrets {
                        rename(s.get_mut("name"), secret);
                    }
                }
            }
            _ => {}
        }
    }
}

/// How a build's output is ordered: `sortOptions` of the kustomization built.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum SortOrder {
    /// Kustomize's legacy order, with `legacySortOptions` lists of kinds in place of the
    /// defaults when given.
    #[default]
    Legacy,
    LegacyWith {
        first: Vec<String>,
        last: Vec<String>,
    },
    /// As accumulated (resources in the order listed, then what generators made).
    Fifo,
}

/// Orders `objects` as `order` says.
pub fn sort(objects: &mut [Value], order: &SortOrder) {
    match order {
        SortOrder::Legacy => legacy_order(objects),
        SortOrder::LegacyWith { first, last } => {
            let first: Vec<&str> = first.iter().map(String::as_str).collect();
            let last: Vec<&str> = last.iter().map(String::as_str).collect();
            ranked_order(objects, &first, &last)
        }
        SortOrder::Fifo => {}
    }
}

/// Kustomize's legacy output order: kinds that others depend on first, webhooks last, then by
/// kind, namespace and name.
pub fn legacy_order(objects: &mut [Value]) {
    const FIRST: [&str; 22] = [
        "Namespace",
        "ResourceQuota",
        "StorageClass",
        "CustomResourceDefinition",
        "ServiceAccount",
        "PodSecurityPolicy",
        "Role",
        "ClusterRole",
        "RoleBinding",
        "ClusterRoleBinding",
        "ConfigMap",
        "Secret",
        "Endpoints",
        "Service",
        "LimitRange",
        "PriorityClass",
        "PersistentVolume",
        "PersistentVolumeClaim",
        "Deployment",
        "StatefulSet",
        "CronJob",
        "PodDisruptionBudget",
    ];
    const LAST: [&str; 2] = [
        "MutatingWebhookConfiguration",
        "ValidatingWebhookConfiguration",
    ];
    ranked_order(objects, &FIRST, &LAST);
}

/// An object's group, version and kind as kustomize writes them to sort by
/// (`apps_v1_Deployment`; `~G` for the core group, `~V`/`~K` when missing).
fn gvk_key(o: &Value) -> String {
    let (group, version) = match o.str_at(&["apiVersion"]).unwrap_or("") {
        "" => ("", ""),
        av => av.split_once('/').unwrap_or(("", av)),
    };
    let or = |s: &str, none: &str| {
        if s.is_empty() {
            none.to_owned()
        } else {
            s.to_owned()
        }
    };
    format!(
        "{}_{}_{}",
        or(group, "~G"),
        or(version, "~V"),
        or(kind(o), "~K")
    )
}

/// Kinds in `first` first (in that order), kinds in `last` last, the rest between; then by
/// group, version and kind as [`gvk_key`] writes them, namespace and name (kustomize's legacy
/// sort).
fn ranked_order(objects: &mut [Value], first: &[&str], last: &[&str]) {
    let rank = |o: &Value| {
        let k = kind(o);
        if let Some(i) = first.iter().position(|x| *x == k) {
            i as i64 - first.len() as i64
        } else if let Some(i) = last.iter().position(|x| *x == k) {
            1 + i as i64
        } else {
            0
        }
    };
    objects.sort_by_cached_key(|o| {
        (
            rank(o),
            gvk_key(o),
            o.str_at(&["metadata", "namespace"])
                .unwrap_or("")
                .to_owned(),
            o.str_at(&["metadata", "name"]).unwrap_or("").to_owned(),
        )
    });
}

/// A `nameReference` entry of a kustomize `configurations` file: a field of `referrer`
/// objects (any kind when `None`) that names an object of kind `kind`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameRef {
    pub kind: String,
    pub referrer: Option<String>,
    /// The field path, split at `/` (lists are walked through).
    pub path: Vec<String>,
}

/// The references declared by `configurations` follow renames as the built-in ones do.
pub fn fix_custom_references(
    objects: &mut [Value],
    renames: &HashMap<String, HashMap<String, String>>,
    refs: &[NameRef],
) {
    for r in refs {
        let Some(map) = renames.get(&r.kind) else {
            continue;
        };
        for o in objects.iter_mut() {
            if r.referrer.as_deref().is_some_and(|k| k != kind(o)) {
                continue;
            }
            each_at_mut(o, &r.path, &mut |v| rename(Some(v), map));
        }
    }
}
