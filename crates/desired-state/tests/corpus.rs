//! The differential corpus: small repositories written by the team, one per Kustomize construct
//! and layout (`tests/corpus/<case>/repo`), each with the environments Wheelhouse must find
//! (`case.yaml`) and, per environment, the golden render printed by the real Kustomize
//! (`golden/<env>.yaml`, `kubectl kustomize` of each folder, joined).
//!
//! For every case and environment: Wheelhouse's render equals the golden once both are read
//! as objects (document and key order do not count), and every matrix cell (replicas, images,
//! tags, env vars, resources, chart versions, Helm values) equals the value read from the
//! golden, and the YAML printed is byte for byte kubectl's (object by object when kubectl
//! printed several folders one after the other). Agreement must be M/M; the test
//! prints N/M. When kubectl is on PATH the goldens are
//! checked against a fresh `kubectl kustomize` (stale goldens fail); `make corpus-goldens`
//! (`WHEELHOUSE_WRITE_CORPUS=1`) rewrites them.

use serde_json::Value as J;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use wheelhouse_desired_state::render::{compare, parse_documents};
use wheelhouse_desired_state::workspace::kustomize_build;
use wheelhouse_desired_state::{Severity, WorkloadKind, WorkloadState, Workspace};

struct Case {
    name: String,
    dir: PathBuf,
    environments: Vec<(String, Vec<String>)>,
    /// Per environment, kustomizations (path → text) as an Argo CD Application's `kustomize:`
    /// edit leaves them: kubectl builds a copy of the repository holding them.
    edited: BTreeMap<String, BTreeMap<String, String>>,
    problems: Vec<String>,
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("case.yaml").is_file())
        .collect();
    dirs.sort();
    for dir in dirs {
        let text = std::fs::read_to_string(dir.join("case.yaml")).unwrap();
        let docs = parse_documents("case.yaml", &text).unwrap();
        let doc = &docs[0];
        let environments = doc["environments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["name"].as_str().unwrap().to_owned(),
                    e["folders"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|f| f.as_str().unwrap().to_owned())
                        .collect(),
                )
            })
            .collect();
        let edited = doc["environments"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|e| {
                let files = e["edited"].as_object()?;
                Some((
                    e["name"].as_str().unwrap().to_owned(),
                    files
                        .iter()
                        .map(|(p, t)| (p.clone(), t.as_str().unwrap().to_owned()))
                        .collect(),
                ))
            })
            .collect();
        let problems = doc["problems"]
            .as_array()
            .map(|a| a.iter().map(|p| p.as_str().unwrap().to_owned()).collect())
            .unwrap_or_default();
        out.push(Case {
            name: dir.file_name().unwrap().to_string_lossy().into_owned(),
            dir,
            environments,
            edited,
            problems,
        });
    }
    out
}

fn on_path(name: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(name).is_file()))
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let t = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_tree(&p, &t);
        } else {
            std::fs::copy(&p, &t).unwrap();
        }
    }
}

/// What the real Kustomize prints for the folders of one environment, joined; built in a copy
/// of the repository holding the `edited` kustomizations when there are some.
fn kubectl_render(
    repo: &Path,
    folders: &[String],
    edited: Option<&BTreeMap<String, String>>,
) -> String {
    let copy = tempfile::tempdir().unwrap();
    let repo = match edited {
        Some(files) => {
            copy_tree(repo, copy.path());
            for (path, text) in files {
                std::fs::write(copy.path().join(path), text).unwrap();
            }
            copy.path()
        }
        None => repo,
    };
    let mut out = String::new();
    for f in folders {
        let text = kustomize_build(repo, f).unwrap_or_else(|e| panic!("{}: {e}", repo.display()));
        if !out.is_empty() && !out.ends_with("---\n") {
            out.push_str("---\n");
        }
        out.push_str(&text);
    }
    out
}

#[test]
fn goldens_are_what_kubectl_kustomize_prints() {
    if !on_path("kubectl") && !on_path("kustomize") {
        // CI machines have kubectl: there a missing one is a broken set-up, not a skip.
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but neither kubectl nor kustomize is on PATH: the goldens cannot be re-checked"
        );
        eprintln!("neither kubectl nor kustomize is on PATH: the goldens are not re-checked");
        return;
    }
    let write = std::env::var_os("WHEELHOUSE_WRITE_CORPUS").is_some();
    let mut stale = Vec::new();
    for case in cases() {
        for (env, folders) in &case.environments {
            let fresh = kubectl_render(&case.dir.join("repo"), folders, case.edited.get(env));
            let path = case.dir.join("golden").join(format!("{env}.yaml"));
            if write {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, &fresh).unwrap();
            } else if std::fs::read_to_string(&path).ok().as_deref() != Some(fresh.as_str()) {
                stale.push(format!("{}/{env}", case.name));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "golden renders differ from kubectl kustomize (run `make corpus-goldens`): {stale:?}"
    );
}

/// `a.b[0].c` → scalar text, for every leaf under `v`.
fn flatten(prefix: &str, v: &J, out: &mut BTreeMap<String, String>) {
    match v {
        J::Object(m) => {
            for (k, x) in m {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&p, x, out);
            }
        }
        J::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                flatten(&format!("{prefix}[{i}]"), x, out);
            }
        }
        J::String(s) => {
            out.insert(prefix.to_owned(), s.clone());
        }
        J::Null => {}
        other => {
            out.insert(prefix.to_owned(), other.to_string());
        }
    }
}

fn text(v: &J) -> Option<String> {
    match v {
        J::String(s) => Some(s.clone()),
        J::Null => None,
        other => Some(other.to_string()),
    }
}

/// The version a matrix cell shows for an image, read here without the product's parser: the
/// digest when one is pinned (`name:tag@sha256:…`), else the tag after the last `:` of the last
/// path segment (a registry's port is not a tag), else nothing.
fn golden_tag(image: &str) -> String {
    if let Some(at) = image.find('@') {
        return image[at + 1..].to_owned();
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    last.rsplit_once(':')
        .map(|(_, t)| t.to_owned())
        .unwrap_or_default()
}

/// Each document of kubectl's output as it printed it (documents are separated by `---` lines).
fn golden_documents(text: &str) -> Vec<String> {
    let mut docs = vec![String::new()];
    for line in text.split_inclusive('\n') {
        if line == "---\n" {
            docs.push(String::new());
        } else {
            docs.last_mut().unwrap().push_str(line);
        }
    }
    docs.retain(|d| !d.trim().is_empty());
    docs
}

/// `Kind/namespace/name`, numbered from the second object of the same identity on.
fn keyed(objects: &[J]) -> Vec<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    objects
        .iter()
        .map(|o| {
            let id = format!(
                "{}/{}/{}",
                o["kind"].as_str().unwrap_or(""),
                o["metadata"]["namespace"].as_str().unwrap_or(""),
                o["metadata"]["name"].as_str().unwrap_or("")
            );
            let n = seen.entry(id.clone()).or_default();
            *n += 1;
            if *n == 1 {
                id
            } else {
                format!("{id} #{n}")
            }
        })
        .collect()
}

#[test]
fn the_golden_helpers_read_what_kubectl_prints() {
    assert_eq!(golden_tag("registry.example:5000/team/api:1.4.2"), "1.4.2");
    assert_eq!(golden_tag("registry.example:5000/team/api"), "");
    assert_eq!(golden_tag("nginx:1.27@sha256:abc"), "sha256:abc");
    assert_eq!(
        golden_documents("a: 1\n---\nb: |\n  ---x\n---\nc: 3\n"),
        vec!["a: 1\n", "b: |\n  ---x\n", "c: 3\n"]
    );
    let j = |k: &str, n: &str| serde_json::json!({"kind": k, "metadata": {"name": n}});
    assert_eq!(
        keyed(&[j("ConfigMap", "a"), j("ConfigMap", "a"), j("Secret", "a")]),
        vec!["ConfigMap//a", "ConfigMap//a #2", "Secret//a"]
    );
    // Two objects of one identity on one side are two objects: the second is missing on ours.
    let diff = compare(
        &[j("ConfigMap", "a")],
        &[j("ConfigMap", "a"), j("ConfigMap", "a")],
    );
    assert_eq!(diff.len(), 1, "{diff:?}");
    assert_eq!(
        (
            diff[0].resource.as_str(),
            diff[0].ours.as_deref(),
            diff[0].theirs.as_deref()
        ),
        ("ConfigMap//a #2", None, Some("present"))
    );
}

/// Every matrix cell of one environment against the golden: (agreeing, total, disagreements).
fn cells(golden: &[J], workloads: &[WorkloadState]) -> (usize, usize, Vec<String>) {
    let (mut ok, mut total, mut bad) = (0, 0, Vec::new());
    let mut check = |what: String, ours: Option<String>, theirs: Option<String>| {
        total += 1;
        if ours == theirs {
            ok += 1;
        } else {
            bad.push(format!("{what}: ours {ours:?}, golden {theirs:?}"));
        }
    };
    for o in golden {
        let kind = o["kind"].as_str().unwrap_or("");
        let name = o["metadata"]["name"].as_str().unwrap_or("");
        let wk = match kind {
            "Deployment" => WorkloadKind::Deployment,
            "StatefulSet" => WorkloadKind::StatefulSet,
            "DaemonSet" => WorkloadKind::DaemonSet,
            "CronJob" => WorkloadKind::CronJob,
            "HelmRelease" => WorkloadKind::HelmRelease,
            _ => continue,
        };
        let w = workloads.iter().find(|w| w.kind == wk && w.name == name);
        check(
            format!("{kind}/{name} shown"),
            w.map(|_| "yes".into()),
            Some("yes".into()),
        );
        let Some(w) = w else { continue };
        if wk == WorkloadKind::HelmRelease {
            let spec = &o["spec"];
            let version = if spec["chartRef"].is_object() {
                let r = &spec["chartRef"];
                golden
                    .iter()
                    .find(|x| x["kind"] == r["kind"] && x["metadata"]["name"] == r["name"])
                    .and_then(|x| {
                        ["digest", "semver", "tag"]
                            .iter()
                            .find_map(|k| text(&x["spec"]["ref"][k]))
                    })
            } else {
                text(&spec["chart"]["spec"]["version"])
            };
            check(
                format!("{name} chart version"),
                w.chart_version.as_ref().map(|s| s.value.clone()),
                version,
            );
            let mut values = BTreeMap::new();
            flatten("spec.values", &spec["values"], &mut values);
            for (k, v) in values {
                let ours = w
                    .values
                    .iter()
                    .find(|x| x.name == k)
                    .map(|x| x.value.value.clone());
                check(format!("{name} {k}"), ours, Some(v));
            }
            continue;
        }
        if kind != "DaemonSet" && kind != "CronJob" {
            check(
                format!("{name} replicas"),
                w.replicas.as_ref().map(|s| s.value.clone()),
                text(&o["spec"]["replicas"]),
            );
        }
        let pod = if kind == "CronJob" {
            &o["spec"]["jobTemplate"]["spec"]["template"]["spec"]
        } else {
            &o["spec"]["template"]["spec"]
        };
        let containers = pod["containers"].as_array().cloned().unwrap_or_default();
        check(
            format!("{name} containers"),
            Some(
                w.containers
                    .iter()
                    .map(|c| c.name.clone())
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            Some(
                containers
                    .iter()
                    .filter_map(|c| c["name"].as_str())
                    .collect::<Vec<_>>()
                    .join(","),
            ),
        );
        for c in &containers {
            let cname = c["name"].as_str().unwrap_or("");
            let ours = w.containers.iter().find(|x| x.name == cname);
            check(
                format!("{name}/{cname} image"),
                ours.map(|x| x.image.value.clone()),
                text(&c["image"]),
            );
            let tag = golden_tag(c["image"].as_str().unwrap_or(""));
            check(
                format!("{name}/{cname} tag"),
                ours.map(|x| x.tag.clone()),
                Some(tag),
            );
            for e in c["env"].as_array().cloned().unwrap_or_default() {
                let Some(value) = text(&e["value"]) else {
                    continue;
                };
                let ename = e["name"].as_str().unwrap_or("");
                check(
                    format!("{name}/{cname} env {ename}"),
                    ours.and_then(|x| x.env.iter().find(|v| v.name == ename))
                        .map(|v| v.value.value.clone()),
                    Some(value),
                );
            }
            let ours_env = ours.map_or(0, |x| x.env.len());
            let theirs_env = c["env"].as_array().map_or(0, |a| {
                a.iter().filter(|e| text(&e["value"]).is_some()).count()
            });
            check(
                format!("{name}/{cname} env count"),
                Some(ours_env.to_string()),
                Some(theirs_env.to_string()),
            );
            let mut res = BTreeMap::new();
            flatten("", &c["resources"], &mut res);
            for (k, v) in &res {
                check(
                    format!("{name}/{cname} resources {k}"),
                    ours.and_then(|x| x.resources.iter().find(|r| &r.name == k))
                        .map(|r| r.value.value.clone()),
                    Some(v.clone()),
                );
            }
            check(
                format!("{name}/{cname} resources count"),
                Some(ours.map_or(0, |x| x.resources.len()).to_string()),
                Some(res.len().to_string()),
            );
        }
    }
    (ok, total, bad)
}

#[test]
fn every_render_and_every_cell_equals_kustomize() {
    let cases = cases();
    assert!(cases.len() >= 40, "the corpus has {} cases", cases.len());
    let (mut renders_ok, mut renders) = (0, 0);
    let (mut cells_ok, mut cells_total) = (0, 0);
    let mut identical = 0;
    let mut not_identical = Vec::new();
    let mut failures = Vec::new();
    for case in &cases {
        let repo = case.dir.join("repo");
        let mut ws = Workspace::open(&repo).unwrap();
        let names: Vec<&str> = ws
            .state()
            .environments
            .iter()
            .map(|e| e.name.as_str())
            .collect();
        let expected: Vec<&str> = case.environments.iter().map(|(n, _)| n.as_str()).collect();
        if names != expected {
            failures.push(format!(
                "{}: environments {names:?}, expected {expected:?}",
                case.name
            ));
            continue;
        }
        for p in &ws.state().problems {
            // What is not evaluated says so by its code, whatever the message.
            if p.message.starts_with("not evaluated")
                && p.code != wheelhouse_desired_state::ErrorCode::NotEvaluated
            {
                failures.push(format!("{}: {p} has code {}", case.name, p.code));
            }
            let expected = case.problems.iter().any(|x| p.message.contains(x.as_str()));
            if !expected
                && (p.severity == Severity::Error || p.message.starts_with("not evaluated"))
            {
                failures.push(format!("{}: unexpected problem {p}", case.name));
            }
        }
        for want in &case.problems {
            if !ws
                .state()
                .problems
                .iter()
                .any(|p| p.message.contains(want.as_str()))
            {
                failures.push(format!("{}: no problem says {want:?}", case.name));
            }
        }
        for (i, (env, folders)) in case.environments.iter().enumerate() {
            renders += 1;
            let golden_path = case.dir.join("golden").join(format!("{env}.yaml"));
            let golden_text = std::fs::read_to_string(&golden_path).unwrap_or_else(|_| {
                panic!(
                    "{} is missing: run `make corpus-goldens`",
                    golden_path.display()
                )
            });
            let golden = parse_documents(&golden_path.display().to_string(), &golden_text).unwrap();
            let rendered = ws.render(env).unwrap();
            // `wheelhouse render ENV` builds the environment alone: the same objects and
            // problems as the whole workspace's render.
            let alone = wheelhouse_desired_state::workspace::render_environment(
                &case.dir.join("repo"),
                env,
            )
            .unwrap()
            .unwrap();
            if alone.to_yaml() != rendered.to_yaml() || alone.problems != rendered.problems {
                failures.push(format!(
                    "{}/{env}: rendered alone it differs from the workspace's render",
                    case.name
                ));
            }
            let edited: Vec<&String> = rendered.edited.iter().map(|(p, _)| p).collect();
            let expected_edits: Vec<&String> = case
                .edited
                .get(env)
                .map(|m| m.keys().collect())
                .unwrap_or_default();
            if edited != expected_edits {
                failures.push(format!(
                    "{}/{env}: edited {edited:?}, expected {expected_edits:?}",
                    case.name
                ));
            }
            if &rendered.folders != folders {
                failures.push(format!(
                    "{}/{env}: built {:?}, expected {folders:?}",
                    case.name, rendered.folders
                ));
            }
            // Several folders are printed one after the other by kubectl: each object as printed
            // is compared with ours as we print it, object by object.
            let same_text = if folders.len() == 1 {
                rendered.to_yaml() == golden_text
            } else {
                let ours_json: Vec<J> = rendered.objects.iter().map(|o| o.to_json()).collect();
                let ours_keys = keyed(&ours_json);
                let docs = golden_documents(&golden_text);
                let theirs_keys = keyed(&golden);
                docs.len() == golden.len()
                    && theirs_keys.iter().zip(&docs).all(|(key, doc)| {
                        ours_keys.iter().position(|k| k == key).is_some_and(|i| {
                            wheelhouse_desired_state::render::emit::to_yaml(std::slice::from_ref(
                                &rendered.objects[i],
                            )) == *doc
                        })
                    })
            };
            if same_text {
                identical += 1;
            } else {
                not_identical.push(format!("{}/{env}", case.name));
            }
            let ours: Vec<J> = rendered.objects.iter().map(|o| o.to_json()).collect();
            let diff = compare(&ours, &golden);
            if diff.is_empty() {
                renders_ok += 1;
            } else {
                failures.push(format!("{}/{env}: render differs: {diff:#?}", case.name));
            }
            let (ok, total, bad) = cells(&golden, &ws.state().workloads[i]);
            cells_ok += ok;
            cells_total += total;
            for b in bad {
                failures.push(format!("{}/{env}: {b}", case.name));
            }
        }
    }
    println!(
        "corpus agreement: {renders_ok}/{renders} renders, {cells_ok}/{cells_total} matrix cells ({} cases); {identical}/{renders} byte for byte",
        cases.len()
    );
    for n in not_identical {
        failures.push(format!(
            "{n}: the YAML printed differs from kubectl kustomize's text"
        ));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!((renders_ok, cells_ok), (renders, cells_total));
}
