//! The time the app and the CLI judge by: the system clock, unless `WHEELHOUSE_NOW` says
//! otherwise. Verdicts (freeze windows), status pages and new incidents depend on the date; tests
//! and demos pin it so that they mean the same thing on any day.
//!
//! `WHEELHOUSE_NOW` is seconds since the Unix epoch (`1795694400`) or an RFC 3339 time
//! (`2026-11-26T12:00:00Z`, `2026-11-26T13:00:00+01:00`). Anything else is refused, never
//! ignored: a time that silently fell back to the clock could lift a freeze the person meant to
//! test. Both faces call [`check`] before they do anything.

/// The environment variable that pins the time.
pub const VARIABLE: &str = "WHEELHOUSE_NOW";

/// `WHEELHOUSE_NOW` holds something that is not a time.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{VARIABLE} is `{value}`, which is not a time: give seconds since the Unix epoch \
     (1795694400) or an RFC 3339 time (2026-11-26T12:00:00Z), or unset it to use the clock"
)]
pub struct BadPinnedTime {
    pub value: String,
}

/// Refuses a `WHEELHOUSE_NOW` that is set but is not a time.
pub fn check() -> Result<(), BadPinnedTime> {
    pinned(std::env::var(VARIABLE).ok().as_deref()).map(|_| ())
}

/// Seconds since the Unix epoch, now (or `WHEELHOUSE_NOW`). A value [`check`] refuses is not
/// used: the clock is, and a warning says so (the faces refuse to start with one).
pub fn now_unix() -> i64 {
    match pinned(std::env::var(VARIABLE).ok().as_deref()) {
        Ok(Some(seconds)) => seconds,
        Ok(None) => clock(),
        Err(e) => {
            tracing::warn!(error = %e, "using the system clock");
            clock()
        }
    }
}

/// Whether `WHEELHOUSE_NOW` pins the time: then time does not pass, and what is judged by how
/// much of it passed (a monitor falling due) cannot be.
pub fn is_pinned() -> bool {
    matches!(pinned(std::env::var(VARIABLE).ok().as_deref()), Ok(Some(_)))
}

fn clock() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

/// The time pinned by `value`: `None` when it is unset, a refusal when it is not a time.
fn pinned(value: Option<&str>) -> Result<Option<i64>, BadPinnedTime> {
    let Some(value) = value else {
        return Ok(None);
    };
    let text = value.trim();
    if let Ok(seconds) = text.parse::<i64>() {
        return Ok(Some(seconds));
    }
    text.parse::<jiff::Timestamp>()
        .map(|t| Some(t.as_second()))
        .map_err(|_| BadPinnedTime {
            value: value.to_owned(),
        })
}

#[cfg(test)]
mod tests {
    use super::{pinned, BadPinnedTime};

    #[test]
    fn a_pinned_time_is_seconds_or_rfc_3339() {
        assert_eq!(pinned(Some("1795694400")), Ok(Some(1_795_694_400)));
        assert_eq!(pinned(Some(" 12 ")), Ok(Some(12)));
        assert_eq!(pinned(Some("-60")), Ok(Some(-60)));
        assert_eq!(
            pinned(Some("2026-11-26T12:00:00Z")),
            Ok(Some(1_795_694_400))
        );
        assert_eq!(
            pinned(Some("2026-11-26T13:00:00+01:00")),
            Ok(Some(1_795_694_400))
        );
        assert_eq!(pinned(None), Ok(None));
    }

    #[test]
    fn anything_else_is_refused_with_the_value_and_what_to_give() {
        for bad in [
            "2026-11-26",
            "",
            "tomorrow",
            "1795694400.5",
            "2026-11-26T12:00:00",
        ] {
            let refused = pinned(Some(bad));
            assert_eq!(
                refused,
                Err(BadPinnedTime {
                    value: bad.to_owned()
                }),
                "{bad:?}"
            );
            let message = refused.unwrap_err().to_string();
            assert!(message.contains(&format!("`{bad}`")), "{message}");
            assert!(message.contains("RFC 3339"), "{message}");
        }
    }
}
