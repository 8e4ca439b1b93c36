//! Loopback servers for monitor tests, each of which a test can take down and bring back: an
//! HTTP endpoint answering what it was told, a TCP port that accepts or refuses, a TLS server
//! with a certificate made for the test (valid for a number of days the test picks), and a DNS
//! server answering A queries for the names it was given.

use std::net::{Ipv4Addr, TcpListener, UdpSocket};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// An HTTP endpoint on 127.0.0.1 answering every request with the status and body set last.
pub struct HttpProbe {
    server: Arc<tiny_http::Server>,
    answer: Arc<Mutex<(u16, String)>>,
    port: u16,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl std::fmt::Debug for HttpProbe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HttpProbe(127.0.0.1:{})", self.port)
    }
}

impl HttpProbe {
    pub fn start(status: u16, body: &str) -> HttpProbe {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind loopback"));
        let port = server.server_addr().to_ip().expect("an IP address").port();
        let answer = Arc::new(Mutex::new((status, body.to_owned())));
        let thread = {
            let (server, answer) = (server.clone(), answer.clone());
            std::thread::spawn(move || {
                for request in server.incoming_requests() {
                    let (status, body) = answer.lock().unwrap().clone();
                    let _ = request
                        .respond(tiny_http::Response::from_string(body).with_status_code(status));
                }
            })
        };
        HttpProbe {
            server,
            answer,
            port,
            thread: Some(thread),
        }
    }

    pub fn set(&self, status: u16, body: &str) {
        *self.answer.lock().unwrap() = (status, body.to_owned());
    }

    pub fn url(&self, path: &str) -> String {
        format!(
            "http://127.0.0.1:{}/{}",
            self.port,
            path.trim_start_matches('/')
        )
    }
}

impl Drop for HttpProbe {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A TCP port on 127.0.0.1 that accepts connections while up and refuses them while down.
pub struct TcpProbe {
    port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl std::fmt::Debug for TcpProbe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TcpProbe(127.0.0.1:{})", self.port)
    }
}

impl TcpProbe {
    pub fn start() -> TcpProbe {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().expect("an address").port();
        let mut p = TcpProbe {
            port,
            stop: Arc::new(AtomicBool::new(false)),
            thread: None,
        };
        p.serve(listener);
        p
    }

    fn serve(&mut self, listener: TcpListener) {
        listener.set_nonblocking(true).expect("non-blocking");
        let stop = Arc::new(AtomicBool::new(false));
        self.stop = stop.clone();
        self.thread = Some(std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((s, _)) => drop(s),
                    Err(_) => std::thread::sleep(std::time::Duration::from_millis(5)),
                }
            }
        }));
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Closes the port: connections are refused.
    pub fn down(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }

    /// Opens the same port again.
    pub fn up(&mut self) {
        let listener = TcpListener::bind(("127.0.0.1", self.port)).expect("rebind the port");
        self.serve(listener);
    }
}

impl Drop for TcpProbe {
    fn drop(&mut self) {
        self.down();
    }
}

/// A TLS server on 127.0.0.1 (OpenSSL) whose certificate, for `localhost` and 127.0.0.1,
/// expires in the number of days it was started with; its PEM is what a client must trust.
pub struct TlsProbe {
    port: u16,
    _dir: tempfile::TempDir,
    cert: PathBuf,
}

impl std::fmt::Debug for TlsProbe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TlsProbe(127.0.0.1:{})", self.port)
    }
}

impl TlsProbe {
    pub fn start(valid_days: u32) -> TlsProbe {
        let dir = tempfile::tempdir().expect("temp dir");
        let (cert, key) = self_signed(dir.path(), valid_days);
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().expect("an address").port();
        serve_tls(listener, &cert, &key, |mut s| {
            let _ = s.shutdown();
        });
        TlsProbe {
            port,
            _dir: dir,
            cert,
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn certificate(&self) -> &Path {
        &self.cert
    }
}

/// A DNS server on 127.0.0.1 (UDP) answering A queries for `names` with their addresses and
/// NXDOMAIN for every other name.
pub struct DnsProbe {
    port: u16,
}

impl std::fmt::Debug for DnsProbe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DnsProbe(127.0.0.1:{})", self.port)
    }
}

impl DnsProbe {
    pub fn start(names: &[(&str, Ipv4Addr)]) -> DnsProbe {
        use hickory_proto::op::{Message, MessageType, ResponseCode};
        use hickory_proto::rr::{rdata::A, RData, Record};
        let socket = UdpSocket::bind("127.0.0.1:0").expect("bind loopback");
        let port = socket.local_addr().expect("an address").port();
        let names: Vec<(String, Ipv4Addr)> = names
            .iter()
            .map(|(n, ip)| (format!("{}.", n.trim_end_matches('.')), *ip))
            .collect();
        std::thread::spawn(move || {
            let mut buf = [0u8; 1500];
            while let Ok((n, from)) = socket.recv_from(&mut buf) {
                let Ok(query) = Message::from_vec(&buf[..n]) else {
                    continue;
                };
                let mut answer = Message::response(query.metadata.id, query.metadata.op_code);
                answer.metadata.message_type = MessageType::Response;
                answer.metadata.recursion_desired = query.metadata.recursion_desired;
                let mut found = false;
                for q in &query.queries {
                    answer.add_query(q.clone());
                    let name = q.name().to_ascii();
                    if let Some((_, ip)) = names.iter().find(|(n, _)| n.eq_ignore_ascii_case(&name))
                    {
                        found = true;
                        answer.add_answer(Record::from_rdata(
                            q.name().clone(),
                            60,
                            RData::A(A(*ip)),
                        ));
                    }
                }
                if !found {
                    answer.metadata.response_code = ResponseCode::NXDomain;
                }
                if let Ok(bytes) = answer.to_vec() {
                    let _ = socket.send_to(&bytes, from);
                }
            }
        });
        DnsProbe { port }
    }

    pub fn port(&self) -> u16 {
        self.port
    }
}

/// Accepts TLS connections on `listener` with the certificate and key (PEM files), each on
/// its own thread, and hands each established stream to `handle`; a failed handshake is
/// dropped.
pub(crate) fn serve_tls(
    listener: TcpListener,
    cert: &Path,
    key: &Path,
    handle: impl Fn(openssl::ssl::SslStream<std::net::TcpStream>) + Send + Sync + 'static,
) {
    use openssl::ssl::{SslAcceptor, SslFiletype, SslMethod};
    let mut acceptor = SslAcceptor::mozilla_intermediate_v5(SslMethod::tls()).expect("TLS");
    acceptor
        .set_private_key_file(key, SslFiletype::PEM)
        .expect("the test key loads");
    acceptor
        .set_certificate_chain_file(cert)
        .expect("the test certificate loads");
    let acceptor = Arc::new(acceptor.build());
    let handle = Arc::new(handle);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (acceptor, handle) = (acceptor.clone(), handle.clone());
            std::thread::spawn(move || {
                let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(30)));
                if let Ok(tls) = acceptor.accept(stream) {
                    handle(tls);
                }
            });
        }
    });
}

/// A self-signed certificate for `localhost` and 127.0.0.1 valid for `days`, and its key:
/// (cert.pem, key.pem) in `dir`.
pub fn self_signed(dir: &Path, days: u32) -> (PathBuf, PathBuf) {
    use openssl::asn1::Asn1Time;
    use openssl::bn::{BigNum, MsbOption};
    use openssl::hash::MessageDigest;
    use openssl::pkey::PKey;
    use openssl::rsa::Rsa;
    use openssl::x509::extension::{BasicConstraints, SubjectAlternativeName};
    use openssl::x509::{X509NameBuilder, X509};

    let key = PKey::from_rsa(Rsa::generate(2048).expect("a key")).expect("a key");
    let mut name = X509NameBuilder::new().expect("a name");
    name.append_entry_by_text("CN", "localhost").expect("CN");
    let name = name.build();
    let mut b = X509::builder().expect("a builder");
    b.set_version(2).expect("v3");
    let mut serial = BigNum::new().expect("serial");
    serial
        .rand(64, MsbOption::MAYBE_ZERO, false)
        .expect("serial");
    b.set_serial_number(&serial.to_asn1_integer().expect("serial"))
        .expect("serial");
    b.set_subject_name(&name).expect("subject");
    b.set_issuer_name(&name).expect("issuer");
    b.set_pubkey(&key).expect("key");
    b.set_not_before(&Asn1Time::days_from_now(0).expect("time"))
        .expect("not before");
    b.set_not_after(&Asn1Time::days_from_now(days).expect("time"))
        .expect("not after");
    b.append_extension(BasicConstraints::new().critical().ca().build().expect("bc"))
        .expect("bc");
    let san = SubjectAlternativeName::new()
        .dns("localhost")
        .ip("127.0.0.1")
        .build(&b.x509v3_context(None, None))
        .expect("san");
    b.append_extension(san).expect("san");
    b.sign(&key, MessageDigest::sha256()).expect("sign");
    let cert = b.build();
    let cert_path = dir.join("cert.pem");
    let key_path = dir.join("key.pem");
    std::fs::write(&cert_path, cert.to_pem().expect("pem")).expect("write cert");
    std::fs::write(&key_path, key.private_key_to_pem_pkcs8().expect("pem")).expect("write key");
    (cert_path, key_path)
}
