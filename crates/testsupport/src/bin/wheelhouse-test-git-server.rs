//! The loopback Git HTTP server as a program, for the end-to-end tests of the app:
//!
//!   wheelhouse-test-git-server REPOS_ROOT USER PASSWORD
//!
//! Prints `READY http://127.0.0.1:PORT/` on stdout, then one line per request
//! (`REQUEST <status> <auth outcome> <method> <target>`), and stops when stdin closes.

use std::io::{BufRead, Write};
use std::path::Path;
use std::time::Duration;
use wheelhouse_testsupport::GitHttpServer;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [root, user, password] = args.as_slice() else {
        eprintln!("usage: wheelhouse-test-git-server REPOS_ROOT USER PASSWORD");
        std::process::exit(2);
    };
    let server = GitHttpServer::start(Path::new(root), Some((user.clone(), password.clone())));
    let base = server.url("");
    println!("READY {base}");
    let _ = std::io::stdout().flush();

    let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
    std::thread::spawn(move || {
        let stdin = std::io::stdin();
        for line in stdin.lock().lines() {
            if line.is_err() {
                break;
            }
        }
        let _ = done_tx.send(());
    });
    let mut reported = 0;
    loop {
        let stop = done_rx.recv_timeout(Duration::from_millis(100)).is_ok();
        let requests = server.requests();
        for r in &requests[reported..] {
            println!(
                "REQUEST {} {:?} {} {}",
                r.status, r.auth, r.method, r.target
            );
        }
        reported = requests.len();
        let _ = std::io::stdout().flush();
        if stop {
            break;
        }
    }
    server.stop();
}
