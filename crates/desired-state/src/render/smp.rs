//! Strategic merge patches with kustomize's semantics: maps merge key by key, a `null` deletes,
//! lists of the built-in Kubernetes kinds merge element by element on their merge key
//! (containers and env by `name`, ports by `containerPort`/`port`, volumes by `name`, mounts by
//! `mountPath`…) and every other list is replaced; the directives `$patch: delete|replace`,
//! `$retainKeys` and `$deleteFromPrimitiveList/<field>` are honoured. `metadata.finalizers` of a
//! built-in kind merges by value. `$setElementOrder/<field>` is kept as written, as kustomize
//! keeps it: it reorders nothing.
//!
//! The order of a merged list is the one kustomize prints: the patch's elements in the patch's
//! order (merged with their match), then the elements the patch did not name, in their order.

use super::value::{Data, Value};
use std::sync::Arc;

/// API groups whose kinds kustomize knows the schema of (lists merge by key there).
const BUILTIN_GROUPS: [&str; 10] = [
    "",
    "apps",
    "batch",
    "extensions",
    "networking.k8s.io",
    "policy",
    "autoscaling",
    "rbac.authorization.k8s.io",
    "storage.k8s.io",
    "scheduling.k8s.io",
];

/// Whether lists of this object merge by key (its kind is a built-in one).
pub fn has_schema(object: &Value) -> bool {
    let api = object.str_at(&["apiVersion"]).unwrap_or("");
    let group = api.rsplit_once('/').map_or("", |(g, _)| g);
    BUILTIN_GROUPS.contains(&group)
}

/// The merge key of list `field`, given the keys above it.
fn merge_key(field: &str, above: &[String], kind: &str) -> Option<&'static str> {
    Some(match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "env"
        | "volumes"
        | "imagePullSecrets" => "name",
        "volumeMounts" => "mountPath",
        "volumeDevices" => "devicePath",
        "hostAliases" => "ip",
        "topologySpreadConstraints" => "topologyKey",
        "ownerReferences" => "uid",
        "ports" => {
            if above
                .iter()
                .any(|k| k == "containers" || k == "initContainers" || k == "ephemeralContainers")
            {
                "containerPort"
            } else if kind == "Service" {
                "port"
            } else {
                return None;
            }
        }
        _ => return None,
    })
}

/// Applies `patch` over `dest`. `schema`: whether lists merge by key (a built-in kind).
pub fn merge(dest: &mut Value, patch: &Value, schema: bool) {
    let kind = dest.str_at(&["kind"]).unwrap_or("").to_owned();
    let mut above = Vec::new();
    merge_value(dest, patch, schema, &kind, &mut above);
}

fn directive(v: &Value) -> Option<&str> {
    v.get("$patch").and_then(Value::as_str)
}

/// Whether map key `k` is a directive the merge acts on (and removes). kustomize leaves
/// `$setElementOrder/…` alone: it lands in the result like any field.
fn is_directive_key(k: &str) -> bool {
    k.starts_with('$') && !k.starts_with("$setElementOrder/")
}

/// A patch value with its directives removed (what lands in the result when nothing was
/// there to merge with).
pub fn strip_directives(v: &Value) -> Value {
    if !has_directives(v) {
        return v.clone();
    }
    match &v.data {
        Data::Map(m) => Value {
            data: Data::map(
                m.iter()
                    .filter(|(k, _)| !is_directive_key(k))
                    .filter(|(_, v)| !matches!(v.data, Data::Null))
                    .map(|(k, v)| (k.clone(), strip_directives(v)))
                    .collect(),
            ),
            src: v.src.clone(),
        },
        Data::Seq(items) => Value {
            data: Data::seq(
                items
                    .iter()
                    .filter(|i| directive(i).is_none_or(|d| d != "delete"))
                    .map(strip_directives)
                    .collect(),
            ),
            src: v.src.clone(),
        },
        _ => v.clone(),
    }
}

/// Whether `strip_directives` would change `v`: a `$` key, a null in a map (a deletion) or a
/// list element with a directive, anywhere inside.
fn has_directives(v: &Value) -> bool {
    match &v.data {
        Data::Map(m) => m
            .iter()
            .any(|(k, v)| is_directive_key(k) || matches!(v.data, Data::Null) || has_directives(v)),
        Data::Seq(items) => items
            .iter()
            .any(|i| directive(i).is_some() || has_directives(i)),
        _ => false,
    }
}

fn merge_value(dest: &mut Value, patch: &Value, schema: bool, kind: &str, above: &mut Vec<String>) {
    if let (true, Data::Map(pm)) = (dest.is_map(), &patch.data) {
        {
            if directive(patch) == Some("replace") {
                *dest = strip_directives(patch);
                return;
            }
            if let Some(retain) = patch.get("$retainKeys") {
                let keep: Vec<&str> = retain.items().iter().filter_map(Value::as_str).collect();
                if let Some(dm) = dest.entries_mut() {
                    dm.retain(|(k, _)| keep.contains(&k.as_str()));
                }
            }
            for (k, pv) in pm.iter() {
                if let Some(field) = k.strip_prefix("$deleteFromPrimitiveList/") {
                    let gone: Vec<serde_json::Value> =
                        pv.items().iter().map(Value::to_json).collect();
                    if let Some(items) = dest.get_mut(field).and_then(Value::items_mut) {
                        items.retain(|i| !gone.contains(&i.to_json()));
                    }
                    continue;
                }
                if is_directive_key(k) {
                    continue;
                }
                if matches!(pv.data, Data::Null) {
                    dest.remove(k);
                    continue;
                }
                if directive(pv) == Some("delete") && pv.is_map() {
                    dest.remove(k);
                    continue;
                }
                above.push(k.clone());
                match dest.get_mut(k) {
                    Some(dv) => {
                        let list_key = if schema {
                            merge_key(k, &above[..above.len() - 1], kind)
                        } else {
                            None
                        };
                        let both_lists =
                            matches!(dv.data, Data::Seq(_)) && matches!(pv.data, Data::Seq(_));
                        // An ObjectMeta's `finalizers` (the object's, a pod template's) merge by value.
                        let finalizers = schema
                            && both_lists
                            && k == "finalizers"
                            && above.len() >= 2
                            && above[above.len() - 2] == "metadata";
                        match list_key {
                            Some(key) if both_lists => merge_list(dv, pv, key, schema, kind, above),
                            _ if finalizers => merge_by_value(dv, pv),
                            _ => merge_value(dv, pv, schema, kind, above),
                        }
                    }
                    None => {
                        let v = strip_directives(pv);
                        dest.set(k, v);
                    }
                }
                above.pop();
            }
        }
        return;
    }
    if let (true, Data::Seq(items)) = (matches!(dest.data, Data::Seq(_)), &patch.data) {
        {
            // A list without a merge key is replaced, unless an element asks otherwise.
            let replace: Vec<Value> = items
                .iter()
                .filter(|i| directive(i).is_none())
                .map(strip_directives)
                .collect();
            *dest = Value {
                data: Data::seq(replace),
                src: patch.src.clone(),
            };
        }
        return;
    }
    *dest = strip_directives(patch);
}

/// A list of scalars that merges by value (`metadata.finalizers`): the patch's items, then the
/// items it does not list, in their order.
fn merge_by_value(dest: &mut Value, patch: &Value) {
    let listed: Vec<serde_json::Value> = patch.items().iter().map(Value::to_json).collect();
    let mut out: Vec<Value> = patch.items().iter().map(strip_directives).collect();
    out.extend(
        dest.items()
            .iter()
            .filter(|i| !listed.contains(&i.to_json()))
            .cloned(),
    );
    dest.data = Data::seq(out);
}

fn key_of<'v>(v: &'v Value, key: &str) -> Option<serde_json::Value> {
    let k: Option<&'v Value> = v.get(key);
    k.map(Value::to_json)
}

fn merge_list(
    dest: &mut Value,
    patch: &Value,
    key: &str,
    schema: bool,
    kind: &str,
    above: &mut Vec<String>,
) {
    let Data::Seq(existing) = std::mem::replace(&mut dest.data, Data::Null) else {
        unreachable!("checked by the caller")
    };
    if patch
        .items()
        .iter()
        .any(|i| directive(i) == Some("replace"))
    {
        dest.data = Data::seq(
            patch
                .items()
                .iter()
                .filter(|i| directive(i).is_none())
                .map(strip_directives)
                .collect(),
        );
        return;
    }
    let existing = Arc::try_unwrap(existing).unwrap_or_else(|shared| (*shared).clone());
    let mut rest: Vec<Option<Value>> = existing.into_iter().map(Some).collect();
    let mut out = Vec::new();
    for p in patch.items() {
        let pk = key_of(p, key);
        let found = pk.as_ref().and_then(|pk| {
            rest.iter().position(|d| {
                d.as_ref()
                    .is_some_and(|d| key_of(d, key).as_ref() == Some(pk))
            })
        });
        if directive(p) == Some("delete") {
            if let Some(i) = found {
                rest[i] = None;
            }
            continue;
        }
        match found {
            Some(i) => {
                let mut d = rest[i].take().expect("found above");
                merge_value(&mut d, p, schema, kind, above);
                out.push(d);
            }
            None => out.push(strip_directives(p)),
        }
    }
    out.extend(rest.into_iter().flatten());
    dest.data = Data::seq(out);
}
