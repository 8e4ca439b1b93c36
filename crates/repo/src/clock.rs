//! The time the app and the CLI judge by: the system clock, unless `WHEELHOUSE_NOW` (seconds since
//! the Unix epoch) says otherwise. Verdicts (freeze windows), status pages and new incidents depend
//! on the date; tests and demos pin it so that they mean the same thing on any day.

/// Seconds since the Unix epoch, now (or `WHEELHOUSE_NOW`).
pub fn now_unix() -> i64 {
    pinned(std::env::var("WHEELHOUSE_NOW").ok().as_deref()).unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or_default()
    })
}

/// The pinned time in `value`, when it is a whole number of seconds.
fn pinned(value: Option<&str>) -> Option<i64> {
    value?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::pinned;

    #[test]
    fn a_pinned_time_is_whole_seconds_anything_else_is_ignored() {
        assert_eq!(pinned(Some("1795694400")), Some(1_795_694_400));
        assert_eq!(pinned(Some(" 12 ")), Some(12));
        assert_eq!(pinned(Some("2026-11-26")), None);
        assert_eq!(pinned(Some("")), None);
        assert_eq!(pinned(None), None);
    }
}
