//! What the packages install from the CLI itself: `--version` naming the commit it was built
//! from, shell completions and manual pages made from the command definitions.

mod common;

use common::{json_of, stderr, stdout, wheelhouse, wheelhouse_command};

#[test]
fn the_version_names_the_commit_it_was_built_from() {
    let out = wheelhouse(&["--version"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let git = std::process::Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let head = String::from_utf8(git.stdout).unwrap();
    assert!(
        text.starts_with(&format!(
            "wheelhouse {} ({} ",
            env!("CARGO_PKG_VERSION"),
            head.trim()
        )),
        "{text}"
    );
}

#[test]
fn completions_are_made_for_each_shell_and_an_unknown_shell_is_refused() {
    for (shell, marker) in [
        ("bash", "complete -F _wheelhouse"),
        ("zsh", "#compdef wheelhouse"),
        ("fish", "complete -c wheelhouse"),
    ] {
        let out = wheelhouse(&["completions", shell]);
        assert!(out.status.success(), "{}", stderr(&out));
        let script = stdout(&out);
        assert!(script.contains(marker), "{shell}: {script}");
        assert!(script.contains("render"), "{shell} completes subcommands");
    }
    let bad = wheelhouse(&["completions", "cmd.exe"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("possible values"), "{}", stderr(&bad));
}

#[test]
fn manual_pages_are_written_for_the_command_and_each_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    let out = wheelhouse(&["man", dir.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let main = std::fs::read_to_string(dir.path().join("wheelhouse.1")).unwrap();
    assert!(main.contains(".TH wheelhouse 1"), "{main}");
    assert!(main.contains("Steer GitOps environments through Git"));
    let render = std::fs::read_to_string(dir.path().join("wheelhouse-render.1")).unwrap();
    assert!(render.contains("\\-\\-check"), "{render}");
    assert!(
        !dir.path().join("wheelhouse-man.1").exists(),
        "the hidden command has no page"
    );
    let missing = wheelhouse(&["man", dir.path().join("nowhere/deeper").to_str().unwrap()]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        stderr(&missing).contains("could not be written"),
        "{}",
        stderr(&missing)
    );
}

/// A release feed signed with a key made for the test, served on loopback.
fn serve_signed_feed(version: &str, tamper: bool) -> (String, String) {
    let pair = minisign::KeyPair::generate_unencrypted_keypair().unwrap();
    let feed = format!(
        r#"{{"version": "{version}", "notes": "Faster matrix", "pub_date": "2026-12-01T12:00:00Z"}}"#
    );
    let signature = minisign::sign(
        Some(&pair.pk),
        &pair.sk,
        std::io::Cursor::new(feed.as_bytes()),
        None,
        None,
    )
    .unwrap()
    .into_string();
    let served = if tamper {
        feed.replace("Faster", "Slower")
    } else {
        feed
    };
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let url = format!(
        "http://{}/latest.json",
        server.server_addr().to_ip().unwrap()
    );
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let body = if request.url().ends_with(".minisig") {
                signature.clone()
            } else {
                served.clone()
            };
            let _ = request.respond(tiny_http::Response::from_string(body));
        }
    });
    (url, pair.pk.to_base64())
}

/// `wheelhouse [--json] update-check --feed URL --public-key KEY`.
fn update_check(json: bool, url: &str, key: &str) -> std::process::Output {
    let mut args = vec!["update-check", "--feed", url, "--public-key", key];
    if json {
        args.insert(0, "--json");
    }
    wheelhouse(&args)
}

#[test]
fn update_check_finds_a_newer_signed_release_and_refuses_a_tampered_feed() {
    let (url, key) = serve_signed_feed("99.0.0", false);
    let out = update_check(true, &url, &key);
    assert!(out.status.success(), "{}", stderr(&out));
    let found = json_of(&out);
    assert_eq!(found["newer"], true);
    assert_eq!(found["latest"], "99.0.0");
    assert_eq!(found["current"], env!("CARGO_PKG_VERSION"));
    let text = stdout(&update_check(false, &url, &key));
    assert!(text.contains("Wheelhouse 99.0.0 is available"), "{text}");

    let (url, key) = serve_signed_feed("99.0.0", true);
    let out = update_check(true, &url, &key);
    assert!(!out.status.success());
    assert_eq!(json_of(&out)["error"]["code"], "bad_signature");
}

#[test]
fn update_check_without_settings_says_how_to_turn_it_on() {
    let data = tempfile::tempdir().unwrap();
    let out = wheelhouse_command()
        .args(["--json", "update-check"])
        .env("WHEELHOUSE_DATA_DIR", data.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let error = &json_of(&out)["error"];
    assert_eq!(error["code"], "not_configured");
    assert!(
        error["message"].as_str().unwrap().contains("update.json"),
        "{error}"
    );
}
