//! A real SMTP server on loopback (mailin-embedded over OpenSSL), for tests of email
//! notifications: it offers STARTTLS with a certificate made for the test (its PEM file is what
//! the client is told to trust, through `SSL_CERT_FILE`), takes `AUTH PLAIN` with the one user
//! it was given, and records every message it accepts. It can also refuse every recipient, or
//! offer no STARTTLS at all, so a test sees what a refusing or plain server does to a delivery;
//! or speak TLS from the first byte (`smtps://`, port 465's way): then the same SMTP session
//! (mailin's) runs over an OpenSSL stream this module accepts itself, since mailin-embedded
//! knows STARTTLS only.
//!
//! The server runs on its own threads until the test process ends (mailin cannot be stopped);
//! each test starts its own on a fresh port.

use std::net::{IpAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use mailin_embedded::response::{self, Response};
use mailin_embedded::{AuthMechanism, Handler, Server, SslConfig};

/// One message as accepted: the envelope and the message's bytes.
#[derive(Debug, Clone)]
pub struct Mail {
    pub from: String,
    pub to: Vec<String>,
    pub data: Vec<u8>,
}

/// How the server behaves.
#[derive(Debug, Clone, Default)]
pub struct SmtpOptions {
    /// Offer no STARTTLS.
    pub plain: bool,
    /// Answer every RCPT with 550.
    pub refuse_recipients: bool,
    /// `(user, password)` for AUTH PLAIN; none: no AUTH offered.
    pub login: Option<(String, String)>,
    /// TLS from the first byte (smtps), not STARTTLS.
    pub implicit_tls: bool,
}

#[derive(Clone)]
struct Recorder {
    options: SmtpOptions,
    mails: Arc<Mutex<Vec<Mail>>>,
    current: Option<Mail>,
    authenticated: bool,
}

impl Handler for Recorder {
    fn helo(&mut self, _ip: IpAddr, _domain: &str) -> Response {
        self.authenticated = false;
        response::OK
    }

    fn mail(&mut self, _ip: IpAddr, _domain: &str, from: &str) -> Response {
        if self.options.login.is_some() && !self.authenticated {
            return response::AUTHENTICATION_REQUIRED;
        }
        self.current = Some(Mail {
            from: from.to_owned(),
            to: Vec::new(),
            data: Vec::new(),
        });
        response::OK
    }

    fn rcpt(&mut self, to: &str) -> Response {
        if self.options.refuse_recipients {
            return response::NO_MAILBOX;
        }
        if let Some(m) = &mut self.current {
            m.to.push(to.to_owned());
        }
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        if let Some(m) = &mut self.current {
            m.data.extend_from_slice(buf);
        }
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        if let Some(m) = self.current.take() {
            self.mails.lock().unwrap().push(m);
        }
        response::OK
    }

    fn auth_plain(&mut self, _authz: &str, user: &str, password: &str) -> Response {
        match &self.options.login {
            Some((u, p)) if u == user && p == password => {
                self.authenticated = true;
                response::AUTH_OK
            }
            _ => response::INVALID_CREDENTIALS,
        }
    }
}

/// A running server on 127.0.0.1.
pub struct SmtpReceiver {
    port: u16,
    mails: Arc<Mutex<Vec<Mail>>>,
    _dir: tempfile::TempDir,
    cert: PathBuf,
}

impl std::fmt::Debug for SmtpReceiver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SmtpReceiver(127.0.0.1:{})", self.port)
    }
}

impl SmtpReceiver {
    pub fn start(options: SmtpOptions) -> SmtpReceiver {
        let dir = tempfile::tempdir().expect("temp dir");
        let (cert, key) = crate::probe::self_signed(dir.path(), 2);
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().expect("an address").port();
        let mails = Arc::new(Mutex::new(Vec::new()));
        let recorder = Recorder {
            options: options.clone(),
            mails: mails.clone(),
            current: None,
            authenticated: false,
        };
        if options.implicit_tls {
            serve_implicit_tls(listener, recorder, &cert, &key);
            return SmtpReceiver {
                port,
                mails,
                _dir: dir,
                cert,
            };
        }
        let mut server = Server::new(recorder);
        server
            .with_name("localhost")
            .with_num_threads(4)
            .with_tcp_listener(listener);
        if options.login.is_some() {
            server.with_auth(AuthMechanism::Plain);
        }
        if !options.plain {
            server
                .with_ssl(SslConfig::SelfSigned {
                    cert_path: cert.display().to_string(),
                    key_path: key.display().to_string(),
                })
                .expect("the test certificate loads");
        }
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        SmtpReceiver {
            port,
            mails,
            _dir: dir,
            cert,
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The server's certificate (PEM): what a client must trust to talk to it.
    pub fn certificate(&self) -> &Path {
        &self.cert
    }

    /// Every message accepted so far.
    pub fn mails(&self) -> Vec<Mail> {
        self.mails.lock().unwrap().clone()
    }
}

/// Serves SMTP over TLS from the first byte on `listener`: each connection on its own thread,
/// the TLS handshake first, then mailin's session line by line.
fn serve_implicit_tls(listener: TcpListener, recorder: Recorder, cert: &Path, key: &Path) {
    let mut builder = mailin::SessionBuilder::new("localhost");
    if recorder.options.login.is_some() {
        builder.enable_auth(AuthMechanism::Plain);
    }
    crate::probe::serve_tls(listener, cert, key, move |tls| {
        let remote = tls
            .get_ref()
            .peer_addr()
            .map(|a| a.ip())
            .unwrap_or(IpAddr::from([127, 0, 0, 1]));
        let _ = smtp_session(builder.build(remote, recorder.clone()), tls);
    });
}

/// One SMTP session over an established TLS stream, until the client quits or goes.
fn smtp_session<S: std::io::Read + std::io::Write>(
    mut session: mailin::Session<Recorder>,
    stream: S,
) -> std::io::Result<()> {
    use std::io::BufRead;
    session.tls_active();
    let mut stream = std::io::BufReader::new(stream);
    session.greeting().write_to(stream.get_mut())?;
    stream.get_mut().flush()?;
    let mut line = Vec::with_capacity(80);
    loop {
        line.clear();
        if stream.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        let response = session.process(&line);
        match response.action {
            mailin::Action::NoReply => continue,
            mailin::Action::Reply | mailin::Action::UpgradeTls => {
                response.write_to(stream.get_mut())?;
                stream.get_mut().flush()?;
            }
            mailin::Action::Close => {
                response.write_to(stream.get_mut())?;
                return stream.get_mut().flush();
            }
        }
    }
}
