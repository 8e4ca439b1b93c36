//! Bad input: each problem is reported with its file (and line and column where there is one),
//! the rest of the matrix is still resolved, and nothing is written.

mod common;

use common::open;
use wheelhouse_desired_state::{matrix, ErrorCode, Severity, Workspace};

const BASE: &str =
    "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - api.yaml\n";
const API: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n        - name: api\n          image: registry.example/api:1.0\n";

fn repo(extra: &[(&str, &[u8])]) -> tempfile::TempDir {
    let mut files: Vec<(&str, &[u8])> = vec![
        ("base/kustomization.yaml", BASE.as_bytes()),
        ("base/api.yaml", API.as_bytes()),
        ("overlays/dev/kustomization.yaml", b"resources:\n  - ../../base\nimages:\n  - name: registry.example/api\n    newTag: \"1.1\"\n"),
    ];
    files.extend_from_slice(extra);
    common::repo(&files)
}

/// The dev environment still resolves api 1.1, whatever else is broken.
fn dev_still_works(ws: &Workspace) {
    let m = matrix::matrix(ws.state());
    let api = m.rows.iter().find(|r| r.id == "api").expect("api row");
    let dev = ws
        .state()
        .environments
        .iter()
        .position(|e| e.name == "dev")
        .unwrap();
    assert_eq!(api.cells[dev].as_ref().unwrap().tags, vec!["1.1"]);
}

fn problem<'a>(ws: &'a Workspace, file: &str) -> &'a wheelhouse_desired_state::Problem {
    ws.state()
        .problems
        .iter()
        .find(|p| p.file == file)
        .unwrap_or_else(|| panic!("no problem reported for {file}: {:?}", ws.state().problems))
}

#[test]
fn invalid_yaml_is_located_and_the_rest_still_resolves() {
    let dir = repo(&[(
        "overlays/prod/kustomization.yaml",
        b"resources:\n  - ../../base\nimages: [unclosed\n",
    )]);
    let ws = open(dir.path());
    let p = problem(&ws, "overlays/prod/kustomization.yaml");
    assert_eq!(p.severity, Severity::Error);
    assert_eq!(p.code, ErrorCode::InvalidYaml);
    assert!(p.line.is_some() && p.column.is_some(), "{p:?}");
    dev_still_works(&ws);
}

#[test]
fn duplicate_keys_are_errors_with_a_line() {
    let dir = repo(&[(
        "overlays/prod/kustomization.yaml",
        b"resources:\n  - ../../base\nnamespace: a\nnamespace: b\n",
    )]);
    let ws = open(dir.path());
    let p = problem(&ws, "overlays/prod/kustomization.yaml");
    assert!(p.message.contains("namespace"), "{p:?}");
    assert_eq!(p.line, Some(4));
    dev_still_works(&ws);
}

#[test]
fn a_missing_resource_and_a_loop_are_named_at_their_line() {
    let dir = repo(&[
        (
            "overlays/prod/kustomization.yaml",
            b"resources:\n  - ../../base\n  - missing.yaml\n  - ../loop\n",
        ),
        (
            "overlays/loop/kustomization.yaml",
            b"resources:\n  - ../prod\n",
        ),
    ]);
    let ws = open(dir.path());
    let missing = ws
        .state()
        .problems
        .iter()
        .find(|p| p.message.contains("missing.yaml"));
    assert_eq!(missing.map(|p| p.code), Some(ErrorCode::MissingFile));
    let problems: Vec<String> = ws.state().problems.iter().map(|p| p.to_string()).collect();
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("overlays/prod/kustomization.yaml:3:")
                && p.contains("missing.yaml does not exist")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.contains("loops back")),
        "{problems:?}"
    );
    dev_still_works(&ws);
}

#[test]
fn a_patch_that_targets_nothing_is_an_error_and_the_rest_still_shows() {
    let dir = repo(&[
        ("overlays/prod/kustomization.yaml", b"resources:\n  - ../../base\npatches:\n  - path: ghost.yaml\n"),
        ("overlays/prod/ghost.yaml", b"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ghost\nspec:\n  replicas: 3\n"),
    ]);
    let ws = open(dir.path());
    let p = problem(&ws, "overlays/prod/ghost.yaml");
    // kustomize fails the build on it: the reconciler would apply nothing.
    assert_eq!(p.severity, Severity::Error);
    assert_eq!(p.code, ErrorCode::InvalidFile);
    assert!(p.message.contains("ghost"), "{p:?}");
    dev_still_works(&ws);
}

#[test]
fn huge_binary_and_escaping_files_are_listed_not_parsed() {
    let big = vec![b'a'; 6 * 1024 * 1024];
    let dir = repo(&[
        ("huge.yaml", &big),
        ("overlays/dev/logo.yaml", b"\x89PNG\r\n\x1a\n\0\0\0"),
    ]);
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.yaml"), "password: x\n").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        outside.path().join("secret.yaml"),
        dir.path().join("linked.yaml"),
    )
    .unwrap();
    let ws = open(dir.path());
    assert!(problem(&ws, "huge.yaml").message.contains("MB"));
    assert!(problem(&ws, "overlays/dev/logo.yaml")
        .message
        .contains("binary"));
    #[cfg(unix)]
    assert!(problem(&ws, "linked.yaml")
        .message
        .contains("outside the repository"));
    assert!(
        !ws.snapshot().files.contains_key("linked.yaml"),
        "a file outside the repository was read"
    );
    dev_still_works(&ws);
}

#[test]
fn a_remote_base_is_never_fetched_and_is_marked_not_evaluated() {
    let dir = repo(&[(
        "overlays/prod/kustomization.yaml",
        b"resources:\n  - ../../base\n  - https://github.com/example/shop//deploy?ref=v1\n  - github.com/example/other/base?ref=main\n",
    )]);
    let ws = open(dir.path());
    let remote: Vec<_> = ws
        .state()
        .problems
        .iter()
        .filter(|p| p.code == ErrorCode::NotEvaluated && p.message.contains("remote resource"))
        .collect();
    assert_eq!(remote.len(), 2, "{:?}", ws.state().problems);
    assert_eq!(remote[0].line, Some(3));
    assert_eq!(remote[0].severity, Severity::Warning);
    dev_still_works(&ws);
}

#[test]
fn a_component_under_resources_and_a_component_loop_are_located_errors() {
    let dir = repo(&[
        (
            "overlays/prod/kustomization.yaml",
            b"resources:\n  - ../../base\n  - ../../components/ha\ncomponents:\n  - ../../components/loop\n",
        ),
        (
            "components/ha/kustomization.yaml",
            b"apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nreplicas:\n  - name: api\n    count: 3\n",
        ),
        (
            "components/loop/kustomization.yaml",
            b"apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncomponents:\n  - ../loop\n",
        ),
    ]);
    let ws = open(dir.path());
    let problems: Vec<String> = ws.state().problems.iter().map(|p| p.to_string()).collect();
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("overlays/prod/kustomization.yaml:3:")
                && p.contains("is a Component: list it under components:")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("components/loop/kustomization.yaml:4:")
                && p.contains("loops back")),
        "{problems:?}"
    );
    dev_still_works(&ws);
}

#[test]
fn a_replacement_whose_source_is_missing_is_a_located_error() {
    let dir = repo(&[(
        "overlays/prod/kustomization.yaml",
        b"resources:\n  - ../../base\nreplacements:\n  - source:\n      kind: ConfigMap\n      name: nowhere\n    targets:\n      - select:\n          kind: Deployment\n        fieldPaths:\n          - metadata.annotations.x\n",
    )]);
    let ws = open(dir.path());
    let p = problem(&ws, "overlays/prod/kustomization.yaml");
    assert_eq!(p.severity, Severity::Error);
    assert_eq!(p.line, Some(5), "{p:?}");
    assert!(p.message.contains("matches no resource"), "{p:?}");
    dev_still_works(&ws);
}

#[test]
fn an_alias_bomb_is_refused_at_its_line_and_the_rest_still_resolves() {
    // Nine levels of ten aliases each: 10^9 nodes once expanded, from ten lines.
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let overlay = "resources:\n  - ../../base\n  - bomb.yaml\n";
    let dir = repo(&[
        ("overlays/prod/kustomization.yaml", overlay.as_bytes()),
        ("overlays/prod/bomb.yaml", bomb.as_bytes()),
    ]);
    let before = std::fs::read_to_string(dir.path().join("overlays/prod/bomb.yaml")).unwrap();
    let ws = Workspace::open(dir.path()).unwrap();
    let p = problem(&ws, "overlays/prod/bomb.yaml");
    assert!(p.message.contains("alias bomb"), "{}", p.message);
    // The budget (a million nodes added by aliases) runs out on line 6, where `a5`'s ten
    // aliases add 1,111,110 nodes to the 123,440 the lines above added.
    assert_eq!((p.line, p.severity), (Some(6), Severity::Error));
    dev_still_works(&ws);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("overlays/prod/bomb.yaml")).unwrap(),
        before
    );
}

#[test]
fn an_unknown_sort_order_is_a_located_error_on_the_render() {
    let overlay = "resources:\n  - ../../base\nsortOptions:\n  order: random\n";
    let dir = repo(&[("overlays/prod/kustomization.yaml", overlay.as_bytes())]);
    let mut ws = Workspace::open(dir.path()).unwrap();
    let rendered = ws.render("prod").unwrap();
    let p = rendered
        .problems
        .iter()
        .find(|p| p.message.contains("sortOptions.order is random"))
        .expect("the unknown order is reported");
    assert_eq!(
        (p.file.as_str(), p.line, p.severity),
        ("overlays/prod/kustomization.yaml", Some(4), Severity::Error)
    );
    // Shown in the legacy order all the same.
    assert_eq!(rendered.objects.len(), 1);
    dev_still_works(&ws);
}

#[test]
fn chart_templates_are_never_yaml_errors_even_an_app_of_apps() {
    let dir = repo(&[
        ("charts/api/Chart.yaml", b"apiVersion: v2\nname: api\nversion: 1.2.0\n"),
        ("charts/api/values.yaml", b"replicaCount: 2\n"),
        (
            "charts/api/templates/deployment.yaml",
            b"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  labels:\n    {{- include \"api.labels\" . | nindent 4 }}\n",
        ),
        ("charts/apps/Chart.yaml", b"apiVersion: v2\nname: apps\nversion: 0.1.0\n"),
        (
            "charts/apps/templates/apps.yaml",
            b"{{- range .Values.apps }}\n---\napiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: {{ .name }}\n{{- end }}\n",
        ),
    ]);
    let ws = Workspace::open(dir.path()).unwrap();
    let in_charts: Vec<_> = ws
        .state()
        .problems
        .iter()
        .filter(|p| p.file.contains("/templates/"))
        .collect();
    assert!(in_charts.is_empty(), "{in_charts:#?}");
    dev_still_works(&ws);
}

#[test]
fn plugin_configs_of_unknown_kinds_missing_files_and_folders_are_located() {
    let overlay = "resources:\n  - ../../base\ntransformers:\n  - odd.yaml\n  - exec.yaml\n  - gone.yaml\ngenerators:\n  - gens\n  - lost.yaml\n";
    let dir = repo(&[
        ("overlays/prod/kustomization.yaml", overlay.as_bytes()),
        (
            "overlays/prod/odd.yaml",
            b"apiVersion: builtin\nkind: LabelTransformr\nmetadata:\n  name: typo\nlabels:\n  a: b\n",
        ),
        (
            "overlays/prod/exec.yaml",
            b"apiVersion: example.com/v1\nkind: SopsDecrypt\nmetadata:\n  name: secrets\n  annotations:\n    config.kubernetes.io/function: |\n      exec:\n        path: ./sops.sh\n",
        ),
        // A folder of generator configurations without a kustomization of its own.
        (
            "overlays/prod/gens/settings.yaml",
            b"apiVersion: builtin\nkind: ConfigMapGenerator\nmetadata:\n  name: settings\nliterals:\n  - A=1\n",
        ),
    ]);
    let before = wheelhouse_testsupport::snapshot(dir.path());
    let ws = Workspace::open(dir.path()).unwrap();
    let problems = &ws.state().problems;
    let at = |needle: &str| {
        problems
            .iter()
            .find(|p| p.message.contains(needle))
            .unwrap_or_else(|| panic!("no problem with {needle:?}: {problems:?}"))
    };
    let odd = at("LabelTransformr is not one of kustomize's built-in transformers");
    assert_eq!(
        (odd.file.as_str(), odd.line, odd.severity),
        ("overlays/prod/odd.yaml", Some(2), Severity::Error)
    );
    // An exec plugin is not run: every cell the kustomization builds says so.
    let exec = at("the transformer plugin SopsDecrypt (example.com/v1)");
    assert!(exec.message.starts_with("not evaluated: "), "{exec:?}");
    assert_eq!(exec.code, ErrorCode::NotEvaluated);
    assert_eq!(
        (exec.file.as_str(), exec.line),
        ("overlays/prod/kustomization.yaml", Some(5))
    );
    let gone = at("transformer file gone.yaml does not exist");
    assert_eq!((gone.line, gone.severity), (Some(6), Severity::Error));
    let folder = at("generator gens is a folder without a kustomization.yaml");
    assert_eq!(folder.line, Some(8));
    let lost = at("generator file lost.yaml does not exist");
    assert_eq!(lost.line, Some(9));
    let m = matrix::matrix(ws.state());
    let api = m.rows.iter().find(|r| r.id == "api").unwrap();
    let prod = ws
        .state()
        .environments
        .iter()
        .position(|e| e.name == "prod")
        .unwrap();
    let cell = api.cells[prod].as_ref().unwrap();
    assert!(
        cell.not_evaluated.iter().any(|w| w.contains("SopsDecrypt")),
        "{:?}",
        cell.not_evaluated
    );
    dev_still_works(&ws);
    assert_eq!(
        wheelhouse_testsupport::snapshot(dir.path()),
        before,
        "nothing was written"
    );
}
