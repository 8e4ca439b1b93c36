//! Signing and verifying approval records with SSH keys (SSHSIG, namespace `wheelhouse`).
//!
//! Signatures are what `ssh-keygen -Y sign -n wheelhouse` writes (armored `SSH SIGNATURE`, SHA-512),
//! and verification follows `ssh-keygen -Y verify -n wheelhouse -f allowed_signers -I EMAIL`: the
//! signature must be cryptographically valid, its key must be listed in `allowed_signers` for the
//! claimed principal, and the line's `namespaces=` and `valid-after=`/`valid-before=` options must
//! allow it. [`verify`] is a pure function of plain values; [`load_private_key`] is the one function
//! here that touches the disk.
//!
//! A signature is made here with a private key loaded from its file ([`sign`]); the SSH agent
//! signs in [`crate::agent`], and [`crate::key`] chooses between the two.
//!
//! Not here: what the signed bytes of a record are (see [`crate::notes`]) and where the passphrase
//! is kept (the keyring, in the app). Certificates (`cert-authority` lines, signatures made with a
//! certificate) are not supported: such lines are reported as problems and never make a signature
//! valid.

use serde::Serialize;
use ssh_key::{HashAlg, LineEnding, SshSig};
pub use ssh_key::{PrivateKey, PublicKey};
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// The SSHSIG namespace of approval records. A signature made for another namespace (`git`,
/// `file`) never verifies as an approval, so a signed commit or file cannot be replayed as one.
pub const NAMESPACE: &str = "wheelhouse";

/// What a record's signature proves, judged against an `allowed_signers` file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SignatureState {
    /// Signed over exactly these bytes by a key that `allowed_signers` lists for the principal.
    Valid {
        fingerprint: String,
        principal: String,
    },
    /// Not a usable signature: malformed, another namespace, other bytes (tampered), or a key whose
    /// `allowed_signers` line does not allow it here (namespace, validity period).
    Invalid { reason: String },
    /// The record carries no signature.
    Missing,
    /// A valid signature by a key that `allowed_signers` does not list at all.
    UnknownKey { fingerprint: String },
    /// A valid signature by a listed key, but the key belongs to other principals than the one the
    /// record claims: someone signing in another person's name.
    WrongPrincipal {
        fingerprint: String,
        key_principals: Vec<String>,
    },
}

impl SignatureState {
    pub fn is_valid(&self) -> bool {
        matches!(self, SignatureState::Valid { .. })
    }
}

/// Why a key could not be loaded or could not sign. Consumers match on the variant (or
/// [`SigningError::code`]); messages name the file and never contain the passphrase.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SigningError {
    #[error("Could not read the SSH key {}: {reason}.", path.display())]
    KeyUnreadable { path: PathBuf, reason: String },
    #[error("{} is not an OpenSSH private key ({reason}). Choose the private key file (not the .pub); a key in the old PEM format can be converted with ssh-keygen -p -f {}.", path.display(), path.display())]
    NotAPrivateKey { path: PathBuf, reason: String },
    #[error("The SSH key {} is protected by a passphrase. Enter its passphrase to sign.", path.display())]
    PassphraseRequired { path: PathBuf },
    #[error("The passphrase for the SSH key {} is wrong. Nothing was signed; try again.", path.display())]
    WrongPassphrase { path: PathBuf },
    #[error("The SSH key {} is encrypted with a cipher Wheelhouse cannot decrypt ({reason}).", path.display())]
    UnsupportedEncryption { path: PathBuf, reason: String },
    #[error("The private key is still encrypted: load it with its passphrase before signing.")]
    KeyLocked,
    #[error("{algorithm} keys cannot sign approvals from their file. Use an ed25519, ECDSA or RSA key, from its file or through the SSH agent.")]
    UnsupportedKey { algorithm: String },
    #[error("Signing failed: {reason}.")]
    SigningFailed { reason: String },
    #[error("No signing key is chosen. Choose a private key file (~/.ssh/id_ed25519), a public key file whose private half is in the SSH agent (~/.ssh/id_ed25519.pub), or one of the agent's keys as key::ssh-ed25519 AAAA… (git config user.signingkey takes any of these).")]
    NoSigningKey,
    #[error("\"{value}\" is not an SSH public key ({reason}). Write it as key::ssh-ed25519 AAAA…, the public key as ssh-add -L prints it.")]
    InvalidPublicKey { value: String, reason: String },
    #[error("The SSH agent is not available ({reason}). Start it and add your key with ssh-add, or choose a private key file.")]
    AgentUnavailable { reason: String },
    #[error("The SSH agent does not hold the key {fingerprint}. Add it with ssh-add and its private key file, or choose one of the keys the agent holds (ssh-add -l lists them).")]
    KeyNotInAgent { fingerprint: String },
    #[error("The SSH agent refused to sign with {fingerprint} (a confirmation was declined, or a hardware key was not touched). Nothing was signed; try again.")]
    AgentRefused { fingerprint: String },
}

wheelhouse_diagnostics::from_coded!(SigningError);

impl SigningError {
    /// A stable machine code for the error.
    pub fn code(&self) -> wheelhouse_diagnostics::ErrorCode {
        match self {
            SigningError::KeyUnreadable { .. } => wheelhouse_diagnostics::ErrorCode::KeyUnreadable,
            SigningError::NotAPrivateKey { .. } => {
                wheelhouse_diagnostics::ErrorCode::NotAPrivateKey
            }
            SigningError::PassphraseRequired { .. } => {
                wheelhouse_diagnostics::ErrorCode::PassphraseRequired
            }
            SigningError::WrongPassphrase { .. } => {
                wheelhouse_diagnostics::ErrorCode::WrongPassphrase
            }
            SigningError::UnsupportedEncryption { .. } => {
                wheelhouse_diagnostics::ErrorCode::UnsupportedEncryption
            }
            SigningError::KeyLocked => wheelhouse_diagnostics::ErrorCode::KeyLocked,
            SigningError::UnsupportedKey { .. } => {
                wheelhouse_diagnostics::ErrorCode::UnsupportedKey
            }
            SigningError::SigningFailed { .. } => wheelhouse_diagnostics::ErrorCode::SigningFailed,
            SigningError::NoSigningKey => wheelhouse_diagnostics::ErrorCode::NoSigningKey,
            SigningError::InvalidPublicKey { .. } => {
                wheelhouse_diagnostics::ErrorCode::InvalidPublicKey
            }
            SigningError::AgentUnavailable { .. } => {
                wheelhouse_diagnostics::ErrorCode::AgentUnavailable
            }
            SigningError::KeyNotInAgent { .. } => wheelhouse_diagnostics::ErrorCode::KeyNotInAgent,
            SigningError::AgentRefused { .. } => wheelhouse_diagnostics::ErrorCode::AgentRefused,
        }
    }
}

/// Loads an OpenSSH private key file (`-----BEGIN OPENSSH PRIVATE KEY-----`), decrypting it with
/// `passphrase` when it is protected. A passphrase given for an unprotected key is ignored.
pub fn load_private_key(path: &Path, passphrase: Option<&str>) -> Result<PrivateKey, SigningError> {
    let text = std::fs::read_to_string(path).map_err(|e| SigningError::KeyUnreadable {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    let key = PrivateKey::from_openssh(text.trim()).map_err(|e| SigningError::NotAPrivateKey {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    if !key.is_encrypted() {
        return Ok(key);
    }
    let Some(passphrase) = passphrase else {
        return Err(SigningError::PassphraseRequired {
            path: path.to_path_buf(),
        });
    };
    key.decrypt(passphrase).map_err(|e| match e {
        ssh_key::Error::AlgorithmUnknown | ssh_key::Error::AlgorithmUnsupported { .. } => {
            SigningError::UnsupportedEncryption {
                path: path.to_path_buf(),
                reason: e.to_string(),
            }
        }
        // A wrong passphrase yields garbage that fails the check integers or the padding.
        _ => SigningError::WrongPassphrase {
            path: path.to_path_buf(),
        },
    })
}

/// Signs `record_bytes` for the `wheelhouse` namespace with SHA-512, as `ssh-keygen -Y sign`
/// does, and returns the armored signature (`-----BEGIN SSH SIGNATURE-----`, LF line endings).
pub fn sign(record_bytes: &[u8], key: &PrivateKey) -> Result<String, SigningError> {
    if key.is_encrypted() {
        return Err(SigningError::KeyLocked);
    }
    let signed = match key.key_data() {
        ssh_key::private::KeypairData::Rsa(rsa) => sign_rsa(key.public_key(), rsa, record_bytes),
        _ => key.sign(NAMESPACE, HashAlg::Sha512, record_bytes),
    };
    let sig = signed.map_err(|e| match e {
        ssh_key::Error::AlgorithmUnsupported { algorithm } => SigningError::UnsupportedKey {
            algorithm: algorithm.to_string(),
        },
        other => SigningError::SigningFailed {
            reason: other.to_string(),
        },
    })?;
    sig.to_pem(LineEnding::LF)
        .map_err(|e| SigningError::SigningFailed {
            reason: e.to_string(),
        })
}

/// SSHSIG with an RSA key (`rsa-sha2-512`), done here because ssh-key 0.6.7 builds the RSA
/// private key from the wrong primes (`p` twice) and so cannot sign with RSA at all.
fn sign_rsa(
    public_key: &PublicKey,
    keypair: &ssh_key::private::RsaKeypair,
    msg: &[u8],
) -> ssh_key::Result<SshSig> {
    use rsa::signature::{SignatureEncoding, Signer};
    let int = |m: &ssh_key::Mpint| {
        m.as_positive_bytes()
            .map(rsa::BigUint::from_bytes_be)
            .ok_or(ssh_key::Error::Crypto)
    };
    let private = rsa::RsaPrivateKey::from_components(
        int(&keypair.public.n)?,
        int(&keypair.public.e)?,
        int(&keypair.private.d)?,
        vec![int(&keypair.private.p)?, int(&keypair.private.q)?],
    )
    .map_err(|_| ssh_key::Error::Crypto)?;
    let signed_data = SshSig::signed_data(NAMESPACE, HashAlg::Sha512, msg)?;
    let signature = rsa::pkcs1v15::SigningKey::<ssh_key::sha2::Sha512>::new(private)
        .try_sign(&signed_data)
        .map_err(|_| ssh_key::Error::Crypto)?;
    let signature = ssh_key::Signature::new(
        ssh_key::Algorithm::Rsa {
            hash: Some(HashAlg::Sha512),
        },
        signature.to_vec(),
    )?;
    SshSig::new(
        public_key.key_data().clone(),
        NAMESPACE,
        HashAlg::Sha512,
        signature,
    )
}

/// The SHA-256 fingerprint of a key as `ssh-keygen -l` prints it: `SHA256:` and unpadded base64.
pub fn fingerprint(public_key: &PublicKey) -> String {
    public_key.fingerprint(HashAlg::Sha256).to_string()
}

/// The `allowed_signers` line that lets `email` sign approvals with `public_key`: what Settings
/// shows people to add for themselves. The key's comment is left out (it often names a host).
pub fn allowed_signers_line(email: &str, public_key: &PublicKey) -> String {
    let bare = PublicKey::new(public_key.key_data().clone(), "");
    let key_text = bare
        .to_openssh()
        .map(|s| s.trim_end().to_string())
        .unwrap_or_default();
    format!("{email} namespaces=\"{NAMESPACE}\" {key_text}")
}

/// Judges `armored_sig` over `record_bytes` for a record that claims to be by `claimed_principal`,
/// against `allowed_signers`, at `now` (Unix seconds, for `valid-after`/`valid-before`).
///
/// The checks run in this order, so each state means exactly one thing: no signature → `Missing`;
/// not an SSHSIG, another namespace or a signature over other bytes → `Invalid`; a key nobody
/// listed → `UnknownKey`; a key listed only for other principals → `WrongPrincipal`; a line that
/// lists key and principal but restricts namespaces or validity → `Invalid`; otherwise `Valid`.
pub fn verify(
    record_bytes: &[u8],
    armored_sig: Option<&str>,
    allowed_signers: &AllowedSigners,
    claimed_principal: &str,
    now: i64,
) -> SignatureState {
    let armored = match armored_sig.map(str::trim) {
        None | Some("") => return SignatureState::Missing,
        Some(text) => text,
    };
    let sig = match SshSig::from_pem(armored) {
        Ok(sig) => sig,
        Err(e) => {
            return SignatureState::Invalid {
                reason: format!("not an SSH signature ({e})"),
            }
        }
    };
    if sig.namespace() != NAMESPACE {
        return SignatureState::Invalid {
            reason: format!(
                "signed for the namespace \"{}\", not \"{NAMESPACE}\"",
                sig.namespace()
            ),
        };
    }
    let signer = PublicKey::new(sig.public_key().clone(), "");
    if let Err(e) = signer.verify(NAMESPACE, record_bytes, &sig) {
        let reason = match e {
            ssh_key::Error::AlgorithmUnsupported { algorithm } => {
                format!("signatures by {algorithm} keys cannot be verified")
            }
            _ => "the signature does not match the record: the record was changed after it was signed, or the signature belongs to another record".to_string(),
        };
        return SignatureState::Invalid { reason };
    }
    let fingerprint = fingerprint(&signer);

    let same_key: Vec<&AllowedSigner> = allowed_signers
        .entries
        .iter()
        .filter(|e| !e.cert_authority && e.key.key_data() == signer.key_data())
        .collect();
    if same_key.is_empty() {
        return SignatureState::UnknownKey { fingerprint };
    }
    let for_principal: Vec<&AllowedSigner> = same_key
        .iter()
        .copied()
        .filter(|e| e.allows_principal(claimed_principal))
        .collect();
    if for_principal.is_empty() {
        let mut key_principals: Vec<String> = same_key
            .iter()
            .flat_map(|e| e.principals.split(','))
            .map(str::to_string)
            .collect();
        key_principals.sort();
        key_principals.dedup();
        return SignatureState::WrongPrincipal {
            fingerprint,
            key_principals,
        };
    }
    let mut refusals = Vec::new();
    for entry in for_principal {
        match entry.refusal(NAMESPACE, now) {
            None => {
                return SignatureState::Valid {
                    fingerprint,
                    principal: claimed_principal.to_string(),
                }
            }
            Some(reason) => refusals.push(reason),
        }
    }
    SignatureState::Invalid {
        reason: refusals.join("; "),
    }
}

/// A parsed `allowed_signers` file. Lines that cannot be used are kept as [`problems`] rather than
/// failing the whole file: a bad line can only take trust away, never add it.
///
/// [`problems`]: AllowedSigners::problems
#[derive(Debug, Clone, Default)]
pub struct AllowedSigners {
    entries: Vec<AllowedSigner>,
    problems: Vec<AllowedSignersProblem>,
}

/// One usable line of `allowed_signers`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowedSigner {
    /// 1-based line number in the file.
    pub line_no: usize,
    /// The comma-separated principal patterns (`*`, `?` wildcards, `!` negation), as written.
    pub principals: String,
    pub key: PublicKey,
    /// The `namespaces="..."` pattern list, if the line restricts namespaces.
    pub namespaces: Option<String>,
    /// `valid-after`, in Unix seconds.
    pub valid_after: Option<i64>,
    /// `valid-before`, in Unix seconds.
    pub valid_before: Option<i64>,
    /// `cert-authority`: the key signs certificates. Not supported; such entries never match.
    pub cert_authority: bool,
}

/// A line of `allowed_signers` that was ignored, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AllowedSignersProblem {
    pub line_no: usize,
    pub reason: String,
}

impl AllowedSigners {
    /// Parses the OpenSSH `allowed_signers` format (see ssh-keygen(1), "ALLOWED SIGNERS"):
    /// `principals [options] keytype base64 [comment]`, `#` comments and blank lines.
    ///
    /// Times in `valid-after`/`valid-before` without a trailing `Z` are read as UTC, where
    /// OpenSSH reads them in the local time zone; write them with `Z` to mean the same to both.
    pub fn parse(text: &str) -> AllowedSigners {
        let mut parsed = AllowedSigners::default();
        for (index, raw) in text.lines().enumerate() {
            let line_no = index + 1;
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match parse_line(line_no, line) {
                Ok(entry) => {
                    if entry.cert_authority {
                        parsed.problems.push(AllowedSignersProblem {
                            line_no,
                            reason: "cert-authority lines are not supported (signatures made with SSH certificates are not verified); this line is ignored".to_string(),
                        });
                    }
                    parsed.entries.push(entry);
                }
                Err(reason) => parsed
                    .problems
                    .push(AllowedSignersProblem { line_no, reason }),
            }
        }
        parsed
    }

    pub fn entries(&self) -> &[AllowedSigner] {
        &self.entries
    }

    pub fn problems(&self) -> &[AllowedSignersProblem] {
        &self.problems
    }

    /// True when no line lists a key that can verify anything.
    pub fn is_empty(&self) -> bool {
        self.entries.iter().all(|e| e.cert_authority)
    }
}

impl AllowedSigner {
    fn allows_principal(&self, principal: &str) -> bool {
        match_pattern_list(principal, &self.principals)
    }

    /// Why this line does not allow a signature in `namespace` at `now`, if it does not.
    fn refusal(&self, namespace: &str, now: i64) -> Option<String> {
        if let Some(namespaces) = &self.namespaces {
            if !match_pattern_list(namespace, namespaces) {
                return Some(format!(
                    "allowed_signers line {} allows this key only for the namespaces \"{namespaces}\", not \"{namespace}\"",
                    self.line_no
                ));
            }
        }
        if let Some(after) = self.valid_after {
            if now < after {
                return Some(format!(
                    "allowed_signers line {} makes this key valid only after {}",
                    self.line_no,
                    format_utc(after)
                ));
            }
        }
        if let Some(before) = self.valid_before {
            if now >= before {
                return Some(format!(
                    "allowed_signers line {} made this key valid only before {}",
                    self.line_no,
                    format_utc(before)
                ));
            }
        }
        None
    }
}

fn parse_line(line_no: usize, line: &str) -> Result<AllowedSigner, String> {
    let (principals, rest) = next_token(line)?;
    if principals.is_empty() {
        return Err("no principals before the key".to_string());
    }
    let rest = rest.ok_or("a principal but no key")?;
    let (options, key_text) = if starts_with_option(rest) {
        let (options, after) = parse_options(rest)?;
        (options, after.ok_or("options but no key")?)
    } else {
        (SignerOptions::default(), rest)
    };
    let mut fields = key_text.split_whitespace();
    let (Some(keytype), Some(base64)) = (fields.next(), fields.next()) else {
        return Err("the key is incomplete: expected a key type and its base64 data".to_string());
    };
    let key = PublicKey::from_openssh(&format!("{keytype} {base64}"))
        .map_err(|e| format!("the {keytype} key cannot be read ({e})"))?;
    if key.algorithm().as_str() != keytype {
        return Err(format!(
            "the key type says {keytype} but the key data is {}",
            key.algorithm()
        ));
    }
    Ok(AllowedSigner {
        line_no,
        principals,
        key,
        namespaces: options.namespaces,
        valid_after: options.valid_after,
        valid_before: options.valid_before,
        cert_authority: options.cert_authority,
    })
}

#[derive(Default)]
struct SignerOptions {
    namespaces: Option<String>,
    valid_after: Option<i64>,
    valid_before: Option<i64>,
    cert_authority: bool,
}

/// The first whitespace-delimited token (a `"quoted"` token may contain spaces), and the rest of
/// the line after the whitespace that follows it.
fn next_token(s: &str) -> Result<(String, Option<&str>), String> {
    let (token, rest) = if let Some(quoted) = s.strip_prefix('"') {
        let end = quoted.find('"').ok_or("an unterminated quote")?;
        (quoted[..end].to_string(), &quoted[end + 1..])
    } else {
        let end = s.find([' ', '\t']).unwrap_or(s.len());
        (s[..end].to_string(), &s[end..])
    };
    let rest = rest.trim_start();
    Ok((token, (!rest.is_empty()).then_some(rest)))
}

const OPTION_NAMES: [&str; 4] = [
    "cert-authority",
    "namespaces=",
    "valid-after=",
    "valid-before=",
];

fn starts_with_option(s: &str) -> bool {
    OPTION_NAMES.iter().any(|name| {
        s.get(..name.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(name))
    })
}

/// Parses `opt[,opt...]` as OpenSSH's `sshsigopt_parse` does, returning what follows the options.
fn parse_options(mut s: &str) -> Result<(SignerOptions, Option<&str>), String> {
    let mut entry = SignerOptions::default();
    loop {
        let lower = s.to_ascii_lowercase();
        if lower.starts_with("cert-authority") {
            entry.cert_authority = true;
            s = &s["cert-authority".len()..];
        } else if let Some(name) = ["namespaces", "valid-after", "valid-before"]
            .into_iter()
            .find(|name| lower.starts_with(&format!("{name}=")))
        {
            let (value, after) = dequote(&s[name.len() + 1..])
                .ok_or_else(|| format!("the value of {name} must be in double quotes"))?;
            s = after;
            match name {
                "namespaces" => {
                    if entry.namespaces.replace(value).is_some() {
                        return Err("namespaces is given twice".to_string());
                    }
                }
                _ => {
                    let time = parse_time(&value)
                        .ok_or_else(|| format!("{name}=\"{value}\" is not a time like 20250131 or 202501311200Z (YYYYMMDD[HHMM[SS]][Z])"))?;
                    let slot = if name == "valid-after" {
                        &mut entry.valid_after
                    } else {
                        &mut entry.valid_before
                    };
                    if slot.replace(time).is_some() {
                        return Err(format!("{name} is given twice"));
                    }
                }
            }
        } else {
            let unknown: String = s
                .chars()
                .take_while(|c| !matches!(c, ',' | ' ' | '\t' | '='))
                .collect();
            return Err(format!("unsupported option \"{unknown}\""));
        }
        match s.chars().next() {
            None => return Ok((entry, None)),
            Some(' ' | '\t') => {
                let rest = s.trim_start();
                return Ok((entry, (!rest.is_empty()).then_some(rest)));
            }
            Some(',') => {
                s = &s[1..];
                if s.is_empty() {
                    return Err("the options end with a comma".to_string());
                }
            }
            Some(_) => return Err("options must be separated by commas".to_string()),
        }
    }
}

/// `"value"` with `\"` escapes → (value, rest after the closing quote).
fn dequote(s: &str) -> Option<(String, &str)> {
    let body = s.strip_prefix('"')?;
    let mut value = String::new();
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if body[i + 1..].starts_with('"') => {
                value.push('"');
                chars.next();
            }
            '"' => return Some((value, &body[i + 1..])),
            _ => value.push(c),
        }
    }
    None
}

/// OpenSSH's `parse_absolute_time`: `YYYYMMDD`, `YYYYMMDDHHMM` or `YYYYMMDDHHMMSS`, an optional
/// `Z`. Returned as Unix seconds, reading the time as UTC either way.
fn parse_time(value: &str) -> Option<i64> {
    let digits = value.strip_suffix('Z').unwrap_or(value);
    if !digits.bytes().all(|b| b.is_ascii_digit()) || ![8, 12, 14].contains(&digits.len()) {
        return None;
    }
    let num = |range: std::ops::Range<usize>| {
        digits.get(range).map_or(Some(0), |s| s.parse::<i64>().ok())
    };
    let (year, month, day) = (num(0..4)?, num(4..6)?, num(6..8)?);
    let (hour, minute, second) = (num(8..10)?, num(10..12)?, num(12..14)?);
    if !(1..=12).contains(&month)
        || !(1..=days_in_month(year, month)).contains(&day)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn format_utc(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    // Inverse of days_from_civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// OpenSSH's `match_pattern_list` (case-sensitive): true when `s` matches one of the
/// comma-separated patterns and none of the negated (`!pattern`) ones.
fn match_pattern_list(s: &str, list: &str) -> bool {
    let mut positive = false;
    for pattern in list.split(',') {
        let (negated, pattern) = match pattern.strip_prefix('!') {
            Some(p) => (true, p),
            None => (false, pattern),
        };
        if match_pattern(s.as_bytes(), pattern.as_bytes()) {
            if negated {
                return false;
            }
            positive = true;
        }
    }
    positive
}

/// `*` matches any run of bytes, `?` any one byte.
fn match_pattern(s: &[u8], pattern: &[u8]) -> bool {
    let (mut si, mut pi) = (0, 0);
    let mut backtrack: Option<(usize, usize)> = None;
    while si < s.len() {
        match pattern.get(pi) {
            Some(b'*') => {
                backtrack = Some((pi, si));
                pi += 1;
            }
            Some(&p) if p == b'?' || p == s[si] => {
                si += 1;
                pi += 1;
            }
            _ => match backtrack {
                Some((star, matched)) => {
                    pi = star + 1;
                    si = matched + 1;
                    backtrack = Some((star, matched + 1));
                }
                None => return false,
            },
        }
    }
    pattern[pi..].iter().all(|&p| p == b'*')
}
