//! Generator inputs of any name are read from the working tree on open and again when they
//! change on disk, including ones a kustomization starts to name after the workspace opened.

mod common;

use common::{open, repo};

fn data(ws: &mut wheelhouse_desired_state::Workspace, key: &str) -> Option<String> {
    let r = ws.render("dev").expect("dev renders");
    let yaml = r.to_yaml();
    yaml.lines()
        .skip_while(|l| !l.starts_with(&format!("  {key}:")))
        .nth(1)
        .map(|l| l.trim().to_owned())
}

#[test]
fn a_script_read_by_a_generator_is_read_on_open_and_on_change() {
    let dir = repo(&[
        (
            "overlays/dev/kustomization.yaml",
            "configMapGenerator:\n  - name: scripts\n    files:\n      - run.sh\n",
        ),
        ("overlays/dev/run.sh", "#!/bin/sh\necho one\n"),
    ]);
    let mut ws = open(dir.path());
    assert!(ws.state().problems.is_empty(), "{:?}", ws.state().problems);
    assert_eq!(data(&mut ws, "run.sh").as_deref(), Some("#!/bin/sh"));
    assert!(ws.render("dev").unwrap().to_yaml().contains("echo one"));

    std::fs::write(
        dir.path().join("overlays/dev/run.sh"),
        "#!/bin/sh\necho two\n",
    )
    .unwrap();
    ws.refresh(&["overlays/dev/run.sh".to_owned()]);
    assert!(ws.render("dev").unwrap().to_yaml().contains("echo two"));

    // The kustomization starts to name a file it did not name when the workspace opened.
    std::fs::write(dir.path().join("overlays/dev/Procfile"), "web: /api").unwrap();
    std::fs::write(
        dir.path().join("overlays/dev/kustomization.yaml"),
        "configMapGenerator:\n  - name: scripts\n    files:\n      - run.sh\n      - Procfile\n",
    )
    .unwrap();
    ws.refresh(&["overlays/dev/kustomization.yaml".to_owned()]);
    assert!(ws.state().problems.is_empty(), "{:?}", ws.state().problems);
    assert!(ws
        .render("dev")
        .unwrap()
        .to_yaml()
        .contains("Procfile: 'web: /api'"));
}
