//! "Check against kustomize build" against a remote base that never answers (a loopback server
//! that accepts connections and says nothing): the real kubectl is stopped at the time limit or
//! when cancelled, with the processes it started, and the workspace is free meanwhile.

mod common;

use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};
use wheelhouse_desired_state::workspace::DEFAULT_CHECK_LIMIT;
use wheelhouse_desired_state::Severity;

/// A server that accepts every connection and never answers; each accepted connection is sent
/// on the channel, so a test can see it closed once the client is gone.
fn silent_server() -> (u16, mpsc::Receiver<TcpStream>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            if tx.send(conn).is_err() {
                return;
            }
        }
    });
    (port, rx)
}

fn repo(port: u16, config: &str) -> tempfile::TempDir {
    let api = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: registry.example/api:1.0\n";
    let prod = format!(
        "resources:\n  - ../../base\n  - http://127.0.0.1:{port}/shop.git//base?ref=main\n"
    );
    common::repo(&[
        (
            "base/kustomization.yaml",
            "resources:\n  - api.yaml\n".to_owned(),
        ),
        ("base/api.yaml", api.to_owned()),
        (
            "overlays/dev/kustomization.yaml",
            "resources:\n  - ../../base\n".to_owned(),
        ),
        ("overlays/prod/kustomization.yaml", prod),
        (".wheelhouse/config.yaml", config.to_owned()),
    ])
}

/// The connection the build opened is closed within a few seconds: its process is gone.
fn closed(conn: &mut TcpStream) -> bool {
    conn.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut buf = [0u8; 4096];
    loop {
        match conn.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return true,
            Err(_) => return false,
        }
    }
}

const CONFIG: &str = "environments:\n  - name: dev\n    paths: [overlays/dev]\n  - name: prod\n    paths: [overlays/prod]\ncheck:\n  timeout_seconds: 2\n";

#[test]
fn a_build_past_the_limit_is_stopped_with_what_it_started() {
    if !common::kubectl_available() {
        return;
    }
    let (port, conns) = silent_server();
    let dir = repo(port, CONFIG);
    let mut ws = common::open(dir.path());
    let prepared = ws.prepare_check("prod").unwrap();
    assert_eq!(prepared.limit, Duration::from_secs(2));
    let started = Instant::now();
    let err = prepared.run(&AtomicBool::new(false)).unwrap_err();
    let took = started.elapsed();
    assert!(
        err.contains("overlays/prod did not finish within 2 s"),
        "{err}"
    );
    assert!(
        err.contains("check.timeout_seconds in .wheelhouse/config.yaml"),
        "{err}"
    );
    assert!(
        took >= Duration::from_secs(2) && took < Duration::from_secs(10),
        "{took:?}"
    );
    let mut conn = conns
        .recv_timeout(Duration::from_secs(1))
        .expect("kubectl connected");
    assert!(closed(&mut conn), "the process that connected was stopped");
}

#[test]
fn a_cancelled_build_stops_at_once_and_the_workspace_serves_meanwhile() {
    if !common::kubectl_available() {
        return;
    }
    let (port, conns) = silent_server();
    let config = CONFIG.replace("timeout_seconds: 2", "timeout_seconds: 600");
    let dir = repo(port, &config);
    let mut ws = common::open(dir.path());
    let prepared = ws.prepare_check("prod").unwrap();
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = cancel.clone();
    let running = std::thread::spawn(move || {
        let started = Instant::now();
        (prepared.run(&flag), started.elapsed())
    });
    // The build is hanging on the remote base; the workspace answers all the same.
    let mut conn = conns
        .recv_timeout(Duration::from_secs(20))
        .expect("kubectl connected");
    let dev = ws.render("dev").unwrap();
    assert_eq!(dev.objects.len(), 1);
    assert!(!running.is_finished());
    cancel.store(true, Ordering::Relaxed);
    let (result, took) = running.join().unwrap();
    let err = result.unwrap_err();
    assert!(err.ends_with("overlays/prod was cancelled"), "{err}");
    assert!(took < Duration::from_secs(30), "{took:?}");
    assert!(closed(&mut conn), "the process that connected was stopped");
}

#[test]
fn a_limit_that_is_not_a_number_of_seconds_is_located_and_the_default_holds() {
    for (value, column) in [
        ("soon", 20),
        ("0", 20),
        ("-5", 20),
        ("9999", 20),
        ("1.5", 20),
    ] {
        let config = format!("check:\n  timeout_seconds: {value}\n");
        let dir = repo(9, &config);
        let mut ws = common::open(dir.path());
        let p = ws
            .state()
            .problems
            .iter()
            .find(|p| p.file == ".wheelhouse/config.yaml")
            .unwrap_or_else(|| panic!("{value}: {:?}", ws.state().problems));
        assert_eq!(
            (p.line, p.column, p.severity),
            (Some(2), Some(column), Severity::Error),
            "{value}"
        );
        assert!(
            p.message.contains("from 1 to 3600; 30 s is used"),
            "{}",
            p.message
        );
        assert_eq!(ws.prepare_check("dev").unwrap().limit, DEFAULT_CHECK_LIMIT);
    }
}
