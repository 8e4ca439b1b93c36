//! A real OpenSSH agent for tests: `ssh-agent -D -a <tempdir>/agent.sock`, keys added with
//! `ssh-add`, killed when dropped. The socket is passed explicitly; `SSH_AUTH_SOCK` is set only
//! for the `ssh-add` child, never for the test process (tests run in parallel).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Generates a key without a passphrase; `extra` selects the type (`["-t", "rsa"]`).
pub fn keygen(dir: &Path, name: &str, comment: &str, extra: &[&str]) -> PathBuf {
    let path = dir.join(name);
    let status = Command::new("ssh-keygen")
        .args(["-q", "-N", "", "-C", comment, "-f"])
        .arg(&path)
        .args(extra)
        .stdin(Stdio::null())
        .status()
        .expect("ssh-keygen (package openssh-client) runs");
    assert!(status.success(), "ssh-keygen could not generate {name}");
    path
}

/// The public half of a key made by [`keygen`].
pub fn public_key(private: &Path) -> ssh_key::PublicKey {
    let text = std::fs::read_to_string(private.with_extension("pub")).unwrap();
    ssh_key::PublicKey::from_openssh(text.trim()).unwrap()
}

pub struct Agent {
    child: Child,
    pub socket: PathBuf,
    _dir: tempfile::TempDir,
}

impl Agent {
    pub fn start() -> Agent {
        let dir = tempfile::tempdir().unwrap();
        let socket = dir.path().join("agent.sock");
        let mut child = Command::new("ssh-agent")
            .arg("-D")
            .arg("-a")
            .arg(&socket)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("ssh-agent (package openssh-client) runs");
        let deadline = Instant::now() + Duration::from_secs(10);
        // The socket file appears when it is bound, a moment before the agent listens: wait
        // until it answers.
        while std::os::unix::net::UnixStream::connect(&socket).is_err() {
            if let Ok(Some(status)) = child.try_wait() {
                panic!("ssh-agent exited before listening: {status}");
            }
            assert!(Instant::now() < deadline, "ssh-agent did not listen");
            std::thread::sleep(Duration::from_millis(20));
        }
        Agent {
            child,
            socket,
            _dir: dir,
        }
    }

    fn ssh_add(&self, args: &[&str], key: &Path) {
        let out = Command::new("ssh-add")
            .args(args)
            .arg(key)
            .env("SSH_AUTH_SOCK", &self.socket)
            .env_remove("SSH_ASKPASS")
            .stdin(Stdio::null())
            .output()
            .expect("ssh-add runs");
        assert!(
            out.status.success(),
            "ssh-add {args:?} {}: {}",
            key.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// `ssh-add KEY`.
    pub fn add(&self, private: &Path) {
        self.ssh_add(&["-q"], private);
    }

    /// `ssh-add -d KEY`: the agent forgets the key.
    pub fn remove(&self, private: &Path) {
        self.ssh_add(&["-q", "-d"], private);
    }

    /// Stops the agent now (the socket file stays, nobody answers on it).
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Agent {
    fn drop(&mut self) {
        self.stop();
    }
}
