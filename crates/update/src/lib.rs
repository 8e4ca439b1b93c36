//! Whether a newer signed release of Wheelhouse exists: reads the release feed named in the
//! update settings, refuses it unless its minisign signature is made by the configured key, and
//! compares its version with the running one. Deciding ([`judge`]) is pure; fetching
//! ([`check`]) is the only I/O. Nothing is downloaded or installed: packages are updated by the
//! system's package manager (docs/updates.md).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;
use ts_rs::TS;

/// The file, in the app's data folder, that turns update checks on.
pub const SETTINGS_FILE: &str = "update.json";

/// How long fetching the feed or its signature may take.
const FETCH_LIMIT: Duration = Duration::from_secs(10);
/// A feed larger than this is refused unread.
const FEED_LIMIT: u64 = 1 << 20;

/// Where the release feed is and the key its signature must be made with (`update.json`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateSettings {
    /// The feed's URL (`https://…/latest.json`); its signature is at the same URL + `.minisig`.
    pub feed: String,
    /// The minisign public key, base64 (the second line of `minisign.pub`).
    pub public_key: String,
}

/// The release feed: the JSON document of Tauri's updater (static file form), signed as a whole.
#[derive(Debug, Clone, Deserialize)]
pub struct Feed {
    pub version: String,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub pub_date: Option<String>,
    /// By platform (`linux-x86_64`): where the release's package is.
    #[serde(default)]
    pub platforms: BTreeMap<String, Artifact>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Artifact {
    pub url: String,
    /// The package's own minisign signature (for Tauri's updater); not checked here.
    #[serde(default)]
    pub signature: Option<String>,
}

/// What a check found: the newest signed release and whether it is newer than this one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct UpdateCheck {
    pub current: String,
    pub latest: String,
    pub newer: bool,
    pub notes: Option<String>,
    pub pub_date: Option<String>,
    /// Where this platform's package of the latest release is, when the feed names one.
    pub download: Option<String>,
    /// The feed that was read.
    pub feed: String,
}

#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    #[error("{file}: {message}")]
    Settings { file: String, message: String },
    #[error("The update key in the settings is not a minisign public key: {0}")]
    BadKey(String),
    #[error("The release feed's signature is not valid for the configured key: the feed was refused ({0})")]
    BadSignature(String),
    #[error("The release feed is not valid JSON of the expected shape, at line {line}, column {column}: {message}")]
    MalformedFeed {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("The release feed names version {0}, which is not a version number")]
    BadVersion(String),
    #[error("This build's version {0} is not a version number")]
    BadRunningVersion(String),
    #[error("Update checks are off: no release feed is configured. Put the feed's address and its signing key in {file} (docs/updates.md)")]
    NotConfigured { file: String },
    #[error("The release feed could not be fetched from {url}: {message}")]
    Unreachable { url: String, message: String },
}

wheelhouse_diagnostics::from_coded!(UpdateError);

impl UpdateError {
    /// A stable code for the faces.
    pub fn code(&self) -> wheelhouse_diagnostics::ErrorCode {
        match self {
            UpdateError::Settings { .. } => wheelhouse_diagnostics::ErrorCode::InvalidInput,
            UpdateError::BadKey(_) => wheelhouse_diagnostics::ErrorCode::InvalidInput,
            UpdateError::BadSignature(_) => wheelhouse_diagnostics::ErrorCode::BadSignature,
            UpdateError::MalformedFeed { .. }
            | UpdateError::BadVersion(_)
            | UpdateError::BadRunningVersion(_) => wheelhouse_diagnostics::ErrorCode::InvalidInput,
            UpdateError::Unreachable { .. } => wheelhouse_diagnostics::ErrorCode::RemoteUnreachable,
            UpdateError::NotConfigured { .. } => wheelhouse_diagnostics::ErrorCode::NotConfigured,
        }
    }
}

/// Whether update checks are on (`update.json` in the app's data folder) and, when they are and
/// a check was asked for, what it found: what Settings → About shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct UpdateStatus {
    pub configured: bool,
    /// Where the update settings are read from.
    pub settings_file: String,
    pub check: Option<UpdateCheck>,
}

impl UpdateStatus {
    /// The check that was made, or why there is none: update checks are off.
    pub fn into_check(self) -> Result<UpdateCheck, UpdateError> {
        match self.check {
            Some(c) => Ok(c),
            None => Err(UpdateError::NotConfigured {
                file: self.settings_file,
            }),
        }
    }
}

/// Update checks for the app whose data folder is `data_dir`, running version `current`: off
/// without `update.json` (nothing is fetched); with it, the feed is fetched and judged when
/// `fetch` is set.
pub fn status(data_dir: &Path, current: &str, fetch: bool) -> Result<UpdateStatus, UpdateError> {
    let settings_file = data_dir.join(SETTINGS_FILE).display().to_string();
    let Some(settings) = load_settings(data_dir)? else {
        return Ok(UpdateStatus {
            configured: false,
            settings_file,
            check: None,
        });
    };
    let check = if fetch {
        Some(check(&settings, current)?)
    } else {
        None
    };
    Ok(UpdateStatus {
        configured: true,
        settings_file,
        check,
    })
}

/// The update settings in `data_dir`, or `None` when there are none (update checks are off).
pub fn load_settings(data_dir: &Path) -> Result<Option<UpdateSettings>, UpdateError> {
    let path = data_dir.join(SETTINGS_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(UpdateError::Settings {
                file: path.display().to_string(),
                message: e.to_string(),
            })
        }
    };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| UpdateError::Settings {
            file: path.display().to_string(),
            message: format!("line {}, column {}: {e}", e.line(), e.column()),
        })
}

/// The platform key of this build in the feed (`linux-x86_64`).
pub fn platform() -> String {
    format!("{}-{}", std::env::consts::OS, std::env::consts::ARCH)
}

/// Judges a fetched feed: its `signature` (the text of a `.minisig` file) must verify `feed`
/// under `public_key`, and then its version is compared with `current`. Pure.
pub fn judge(
    current: &str,
    feed_url: &str,
    feed: &[u8],
    signature: &str,
    public_key: &str,
) -> Result<UpdateCheck, UpdateError> {
    let key = minisign_verify::PublicKey::from_base64(public_key.trim())
        .map_err(|e| UpdateError::BadKey(e.to_string()))?;
    let sig = minisign_verify::Signature::decode(signature)
        .map_err(|e| UpdateError::BadSignature(e.to_string()))?;
    key.verify(feed, &sig, false)
        .map_err(|e| UpdateError::BadSignature(e.to_string()))?;
    let parsed: Feed = serde_json::from_slice(feed).map_err(|e| UpdateError::MalformedFeed {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    let latest = semver::Version::parse(parsed.version.trim_start_matches('v'))
        .map_err(|_| UpdateError::BadVersion(parsed.version.clone()))?;
    let running = semver::Version::parse(current.trim_start_matches('v'))
        .map_err(|_| UpdateError::BadRunningVersion(current.to_owned()))?;
    Ok(UpdateCheck {
        current: running.to_string(),
        latest: latest.to_string(),
        newer: latest > running,
        notes: parsed.notes,
        pub_date: parsed.pub_date,
        download: parsed.platforms.get(&platform()).map(|a| a.url.clone()),
        feed: feed_url.to_owned(),
    })
}

/// Fetches the feed and its signature (`feed` + `.minisig`) and judges them.
pub fn check(settings: &UpdateSettings, current: &str) -> Result<UpdateCheck, UpdateError> {
    let feed = fetch(&settings.feed)?;
    let signature = fetch(&format!("{}.minisig", settings.feed))?;
    let signature = String::from_utf8(signature)
        .map_err(|_| UpdateError::BadSignature("the signature is not text".into()))?;
    judge(
        current,
        &settings.feed,
        &feed,
        &signature,
        &settings.public_key,
    )
}

fn fetch(url: &str) -> Result<Vec<u8>, UpdateError> {
    let unreachable = |message: String| UpdateError::Unreachable {
        url: url.to_owned(),
        message,
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(FETCH_LIMIT))
        .build()
        .into();
    let mut response = agent
        .get(url)
        .call()
        .map_err(|e| unreachable(e.to_string()))?;
    response
        .body_mut()
        .with_config()
        .limit(FEED_LIMIT)
        .read_to_vec()
        .map_err(|e| unreachable(e.to_string()))
}
