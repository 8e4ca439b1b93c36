//! A loopback Git smart-HTTP server that wants Basic auth, for tests of clone, fetch and push
//! with credentials.
//!
//! It serves the bare repositories under one folder through `git http-backend` (run as a CGI
//! program, once per request), listens only on 127.0.0.1 on a port the system picks, and records
//! every request with how its credentials fared, so a test can assert "the wrong password was
//! rejected" or "the second clone sent the stored credential". Pushes are allowed.
//!
//! Not a general HTTP server: one request per connection (`Connection: close`), bodies held in
//! memory, no TLS, repository names used as given (no percent-decoding). Needs `git` on `PATH`.

use std::io::{self, BufRead, BufReader, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use base64::Engine as _;

/// The realm named in the `WWW-Authenticate` challenge.
pub const REALM: &str = "wheelhouse-test";

/// How long a connection may sit silent before the server drops it; also bounds how long
/// [`GitHttpServer::stop`] can wait for a client that opened a connection and went quiet.
const IO_TIMEOUT: Duration = Duration::from_secs(30);

/// A running server; stops (and joins its threads) on [`GitHttpServer::stop`] or drop.
#[derive(Debug)]
pub struct GitHttpServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stopping: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
}

#[derive(Debug)]
struct Shared {
    repos_root: PathBuf,
    auth: Option<(String, String)>,
    requests: Mutex<Vec<RequestLog>>,
}

/// One request the server answered, in arrival order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestLog {
    pub method: String,
    /// Path and query as sent, e.g. `/acme.git/info/refs?service=git-upload-pack`.
    pub target: String,
    /// The user name in the `Authorization` header, whether or not it was accepted.
    pub user: Option<String>,
    pub auth: AuthOutcome,
    /// The HTTP status the server answered with.
    pub status: u16,
    /// Request headers as sent, in order (names as the client spelled them).
    pub headers: Vec<(String, String)>,
}

/// What the server made of a request's credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuthOutcome {
    /// The server was started without credentials, so every request goes through.
    NotRequired,
    /// No `Authorization: Basic` header: answered 401 with a challenge.
    Missing,
    /// Credentials that do not match: answered 401 with a challenge.
    Rejected,
    /// The expected user and password: handed to `git http-backend`.
    Accepted,
}

impl RequestLog {
    /// The first value of header `name`, compared without regard to case.
    pub fn header(&self, name: &str) -> Option<&str> {
        header_value(&self.headers, name)
    }
}

impl GitHttpServer {
    /// Serves the bare repositories under `repos_root` (`url("acme.git")` is
    /// `repos_root/acme.git`). With `auth` set to `(user, password)`, every request must carry
    /// those credentials; with `None`, none are asked for.
    pub fn start(repos_root: &Path, auth: Option<(String, String)>) -> Self {
        let listener =
            TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind a loopback port for git");
        let addr = listener.local_addr().expect("local address");
        let shared = Arc::new(Shared {
            repos_root: repos_root.to_path_buf(),
            auth,
            requests: Mutex::new(Vec::new()),
        });
        let stopping = Arc::new(AtomicBool::new(false));
        let acceptor = {
            let shared = Arc::clone(&shared);
            let stopping = Arc::clone(&stopping);
            std::thread::Builder::new()
                .name(format!("git-http-{}", addr.port()))
                .spawn(move || accept_loop(&listener, &shared, &stopping))
                .expect("spawn git http server thread")
        };
        Self {
            addr,
            shared,
            stopping,
            acceptor: Some(acceptor),
        }
    }

    /// The clone URL of `repo_name`, a path under the served folder, e.g.
    /// `http://127.0.0.1:41234/acme.git`. Carries no credentials.
    pub fn url(&self, repo_name: &str) -> String {
        format!("http://{}/{}", self.addr, repo_name.trim_start_matches('/'))
    }

    /// A URL on a loopback port nothing listens on, to stand for a server that is down:
    /// connecting is refused at once. The port was free a moment ago; another test could take
    /// it in between, which is unlikely enough for tests.
    pub fn unused_url() -> String {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind a loopback port");
        let addr = listener.local_addr().expect("local address");
        drop(listener);
        format!("http://{addr}/unreachable.git")
    }

    /// Every request answered so far, oldest first. A request is recorded before its response
    /// is sent, so once a client call has returned, all its requests are here.
    pub fn requests(&self) -> Vec<RequestLog> {
        self.shared.requests.lock().expect("request log").clone()
    }

    /// How many requests so far had credentials judged as `outcome`.
    pub fn count(&self, outcome: AuthOutcome) -> usize {
        self.shared
            .requests
            .lock()
            .expect("request log")
            .iter()
            .filter(|r| r.auth == outcome)
            .count()
    }

    /// Stops accepting, waits for requests in flight and joins every thread. Dropping the
    /// server does the same.
    pub fn stop(mut self) {
        self.shut_down();
    }

    fn shut_down(&mut self) {
        let Some(acceptor) = self.acceptor.take() else {
            return;
        };
        self.stopping.store(true, Ordering::SeqCst);
        // `accept` blocks; one connection wakes it so it can see the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(5));
        let _ = acceptor.join();
    }
}

impl Drop for GitHttpServer {
    fn drop(&mut self) {
        self.shut_down();
    }
}

fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>, stopping: &AtomicBool) {
    let mut workers: Vec<JoinHandle<()>> = Vec::new();
    for incoming in listener.incoming() {
        if stopping.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = incoming else {
            // Usually out of file descriptors: back off instead of spinning.
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        workers.retain(|w| !w.is_finished());
        let shared = Arc::clone(shared);
        let spawned = std::thread::Builder::new()
            .name("git-http-conn".into())
            .spawn(move || {
                if let Err(e) = serve_connection(stream, &shared) {
                    eprintln!("git http test server: {e}");
                }
            });
        if let Ok(worker) = spawned {
            workers.push(worker);
        }
    }
    for worker in workers {
        let _ = worker.join();
    }
}

#[derive(Debug)]
struct RequestHead {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
}

impl RequestHead {
    fn header(&self, name: &str) -> Option<&str> {
        header_value(&self.headers, name)
    }

    fn expects_continue(&self) -> bool {
        self.header("expect")
            .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"))
    }
}

fn header_value<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn serve_connection(stream: TcpStream, shared: &Shared) -> io::Result<()> {
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let Some(head) = read_head(&mut reader)? else {
        return Ok(());
    };
    let (auth, user) = judge_credentials(shared.auth.as_ref(), head.header("authorization"));

    let response = if matches!(auth, AuthOutcome::Missing | AuthOutcome::Rejected) {
        // Read the body the client already sent, so closing does not reset the connection
        // under the 401. A client waiting for `100 Continue` has sent none.
        if !head.expects_continue() {
            read_body(&mut reader, &head)?;
        }
        challenge()
    } else {
        if head.expects_continue() {
            writer.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
        }
        let body = read_body(&mut reader, &head)?;
        run_http_backend(&shared.repos_root, &head, &body, user.as_deref())
    };

    shared
        .requests
        .lock()
        .expect("request log")
        .push(RequestLog {
            method: head.method,
            target: head.target,
            user,
            auth,
            status: response.status,
            headers: head.headers,
        });

    writer.write_all(&response.to_bytes())?;
    writer.flush()?;
    writer.shutdown(std::net::Shutdown::Both).or(Ok(()))
}

/// `Ok(None)` when the peer closed without sending anything (the wake-up from `stop`).
fn read_head(reader: &mut impl BufRead) -> io::Result<Option<RequestHead>> {
    let Some(request_line) = read_line(reader)? else {
        return Ok(None);
    };
    let mut parts = request_line.split_whitespace();
    let (Some(method), Some(target), Some(_version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid(format!("bad request line {request_line:?}")));
    };
    let mut headers = Vec::new();
    loop {
        let line = read_line(reader)?.ok_or_else(|| invalid("headers cut short"))?;
        if line.is_empty() {
            break;
        }
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| invalid(format!("bad header {line:?}")))?;
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    Ok(Some(RequestHead {
        method: method.to_string(),
        target: target.to_string(),
        headers,
    }))
}

/// One line without its CRLF; `None` at end of stream before any byte.
fn read_line(reader: &mut impl BufRead) -> io::Result<Option<String>> {
    let mut line = Vec::new();
    if reader.read_until(b'\n', &mut line)? == 0 {
        return Ok(None);
    }
    while line.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
        line.pop();
    }
    String::from_utf8(line)
        .map(Some)
        .map_err(|_| invalid("header line is not UTF-8"))
}

fn read_body(reader: &mut impl BufRead, head: &RequestHead) -> io::Result<Vec<u8>> {
    let chunked = head
        .header("transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    if chunked {
        return read_chunked(reader);
    }
    let length = match head.header("content-length") {
        Some(v) => v
            .parse::<usize>()
            .map_err(|_| invalid(format!("bad Content-Length {v:?}")))?,
        None => 0,
    };
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    Ok(body)
}

/// Decodes a `Transfer-Encoding: chunked` body, dropping chunk extensions and trailers.
fn read_chunked(reader: &mut impl BufRead) -> io::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line = read_line(reader)?.ok_or_else(|| invalid("chunked body cut short"))?;
        let size_hex = line.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_hex, 16)
            .map_err(|_| invalid(format!("bad chunk size {line:?}")))?;
        if size == 0 {
            while read_line(reader)?.is_some_and(|trailer| !trailer.is_empty()) {}
            return Ok(body);
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader.read_exact(&mut body[start..])?;
        if read_line(reader)?.is_none_or(|end| !end.is_empty()) {
            return Err(invalid("chunk not followed by CRLF"));
        }
    }
}

/// Judges an `Authorization` header against the expected credentials; also returns the user
/// name it carried, if any.
fn judge_credentials(
    expected: Option<&(String, String)>,
    authorization: Option<&str>,
) -> (AuthOutcome, Option<String>) {
    let presented = authorization.and_then(decode_basic);
    let user = presented.as_ref().map(|(u, _)| u.clone());
    let outcome = match (expected, presented) {
        (None, _) => AuthOutcome::NotRequired,
        (Some(_), None) => AuthOutcome::Missing,
        (Some((want_user, want_pass)), Some((user, pass))) => {
            if &user == want_user && &pass == want_pass {
                AuthOutcome::Accepted
            } else {
                AuthOutcome::Rejected
            }
        }
    };
    (outcome, user)
}

fn decode_basic(authorization: &str) -> Option<(String, String)> {
    let (scheme, encoded) = authorization.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let decoded = String::from_utf8(decoded).ok()?;
    let (user, pass) = decoded.split_once(':')?;
    Some((user.to_string(), pass.to_string()))
}

#[derive(Debug)]
struct HttpResponse {
    status: u16,
    reason: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl HttpResponse {
    fn to_bytes(&self) -> Vec<u8> {
        let mut out = format!("HTTP/1.1 {} {}\r\n", self.status, self.reason).into_bytes();
        for (name, value) in &self.headers {
            out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
        out.extend_from_slice(
            format!(
                "Content-Length: {}\r\nConnection: close\r\n\r\n",
                self.body.len()
            )
            .as_bytes(),
        );
        out.extend_from_slice(&self.body);
        out
    }

    fn plain(status: u16, reason: &str, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            reason: reason.to_string(),
            headers: vec![("Content-Type".into(), "text/plain".into())],
            body: body.into(),
        }
    }
}

fn challenge() -> HttpResponse {
    let mut response = HttpResponse::plain(401, "Unauthorized", "authentication required\n");
    response.headers.push((
        "WWW-Authenticate".into(),
        format!("Basic realm=\"{REALM}\""),
    ));
    response
}

/// Runs `git http-backend` for one request, as a web server runs a CGI program.
fn run_http_backend(
    repos_root: &Path,
    head: &RequestHead,
    body: &[u8],
    user: Option<&str>,
) -> HttpResponse {
    let (path, query) = head
        .target
        .split_once('?')
        .unwrap_or((head.target.as_str(), ""));
    let mut command = Command::new("git");
    // A clean environment: the test process's GIT_DIR or config must not leak into the server.
    command
        .arg("http-backend")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_COUNT", "1")
        .env("GIT_CONFIG_KEY_0", "http.receivepack")
        .env("GIT_CONFIG_VALUE_0", "true")
        .env("GIT_PROJECT_ROOT", repos_root)
        .env("GIT_HTTP_EXPORT_ALL", "1")
        .env("GATEWAY_INTERFACE", "CGI/1.1")
        .env("SERVER_PROTOCOL", "HTTP/1.1")
        .env("REQUEST_METHOD", &head.method)
        .env("PATH_INFO", path)
        .env("QUERY_STRING", query)
        .env("REMOTE_ADDR", "127.0.0.1")
        .env("CONTENT_LENGTH", body.len().to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(content_type) = head.header("content-type") {
        command.env("CONTENT_TYPE", content_type);
    }
    if let Some(user) = user {
        command.env("REMOTE_USER", user).env("AUTH_TYPE", "Basic");
    }
    // CGI passes the other request headers as HTTP_*; http-backend reads
    // HTTP_CONTENT_ENCODING (gzip bodies) and HTTP_GIT_PROTOCOL (protocol v2) from them.
    for (name, value) in &head.headers {
        let skip = [
            "authorization",
            "content-type",
            "content-length",
            "transfer-encoding",
        ];
        if skip.iter().any(|s| name.eq_ignore_ascii_case(s)) {
            continue;
        }
        let var = format!("HTTP_{}", name.to_ascii_uppercase().replace('-', "_"));
        command.env(var, value);
    }

    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(e) => return HttpResponse::plain(500, "Internal Server Error", e.to_string()),
    };
    // Feed stdin from another thread: the backend may write before it has read everything.
    let mut stdin = child.stdin.take().expect("piped stdin");
    let input = body.to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let output = child.wait_with_output();
    let _ = feeder.join();
    match output {
        Ok(output) => parse_cgi_output(&output.stdout).unwrap_or_else(|| {
            let mut detail = b"git http-backend gave no CGI headers: ".to_vec();
            detail.extend_from_slice(&output.stderr);
            HttpResponse::plain(500, "Internal Server Error", detail)
        }),
        Err(e) => HttpResponse::plain(500, "Internal Server Error", e.to_string()),
    }
}

/// Splits a CGI program's output into status, headers and body (`None` without a header end).
fn parse_cgi_output(stdout: &[u8]) -> Option<HttpResponse> {
    let (head_len, sep_len) = find(stdout, b"\r\n\r\n")
        .map(|i| (i, 4))
        .into_iter()
        .chain(find(stdout, b"\n\n").map(|i| (i, 2)))
        .min_by_key(|(i, _)| *i)?;
    let head = std::str::from_utf8(&stdout[..head_len]).ok()?;
    let mut response = HttpResponse {
        status: 200,
        reason: "OK".into(),
        headers: Vec::new(),
        body: stdout[head_len + sep_len..].to_vec(),
    };
    for line in head.lines() {
        let (name, value) = line.split_once(':')?;
        let value = value.trim();
        if name.eq_ignore_ascii_case("status") {
            let (code, reason) = value.split_once(' ').unwrap_or((value, ""));
            response.status = code.parse().ok()?;
            response.reason = reason.to_string();
        } else if !["content-length", "connection", "transfer-encoding"]
            .iter()
            .any(|h| name.eq_ignore_ascii_case(h))
        {
            response.headers.push((name.to_string(), value.to_string()));
        }
    }
    Some(response)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn invalid(message: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds() -> (String, String) {
        ("alice".into(), "s3cret".into())
    }

    fn basic(user_pass: &str) -> String {
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(user_pass)
        )
    }

    #[test]
    fn the_expected_user_and_password_are_accepted() {
        let header = basic("alice:s3cret");
        let judged = judge_credentials(Some(&creds()), Some(&header));
        assert_eq!(judged, (AuthOutcome::Accepted, Some("alice".into())));
    }

    #[test]
    fn a_wrong_password_is_rejected_but_the_user_is_recorded() {
        let header = basic("alice:guess");
        let judged = judge_credentials(Some(&creds()), Some(&header));
        assert_eq!(judged, (AuthOutcome::Rejected, Some("alice".into())));
    }

    #[test]
    fn a_password_may_contain_colons() {
        let expected = ("alice".to_string(), "a:b:c".to_string());
        let header = basic("alice:a:b:c");
        let judged = judge_credentials(Some(&expected), Some(&header));
        assert_eq!(judged.0, AuthOutcome::Accepted);
    }

    #[test]
    fn a_bearer_token_counts_as_no_credentials() {
        let judged = judge_credentials(Some(&creds()), Some("Bearer abc"));
        assert_eq!(judged, (AuthOutcome::Missing, None));
    }

    #[test]
    fn a_server_without_auth_lets_anonymous_requests_through() {
        assert_eq!(
            judge_credentials(None, None),
            (AuthOutcome::NotRequired, None)
        );
    }

    #[test]
    fn a_chunked_body_is_decoded_without_extensions_or_trailers() {
        let wire = b"4;name=x\r\nWiki\r\n5\r\npedia\r\n0\r\nX-Trailer: 1\r\n\r\n";
        let body = read_chunked(&mut &wire[..]).expect("decode");
        assert_eq!(body, b"Wikipedia");
    }

    #[test]
    fn a_chunk_longer_than_announced_is_an_error() {
        let wire = b"2\r\nabc\r\n0\r\n\r\n";
        assert!(read_chunked(&mut &wire[..]).is_err());
    }

    #[test]
    fn a_cgi_status_header_becomes_the_http_status() {
        let out = b"Status: 404 Not Found\r\nContent-Type: text/plain\r\n\r\nnope";
        let response = parse_cgi_output(out).expect("parse");
        assert_eq!(
            (response.status, response.reason.as_str()),
            (404, "Not Found")
        );
        assert_eq!(
            response.headers,
            vec![("Content-Type".to_string(), "text/plain".to_string())]
        );
        assert_eq!(response.body, b"nope");
    }

    #[test]
    fn cgi_output_without_a_status_header_is_200() {
        let response = parse_cgi_output(b"Content-Type: x\n\n\r\n\r\nbody").expect("parse");
        assert_eq!(response.status, 200);
        assert_eq!(response.body, b"\r\n\r\nbody");
    }
}
