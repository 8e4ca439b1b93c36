//! RFC 3339 times in, dates in words out. Times are Unix seconds everywhere else.

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Parses an RFC 3339 timestamp (`2027-01-04T00:00:00Z`) to Unix seconds.
pub(crate) fn parse_rfc3339(text: &str) -> Result<i64, String> {
    OffsetDateTime::parse(text, &Rfc3339)
        .map(OffsetDateTime::unix_timestamp)
        .map_err(|_| {
            format!("`{text}` is not an RFC 3339 time; write it like 2027-01-04T00:00:00Z")
        })
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A Unix time in words, in UTC: `4 Jan 2027 00:00 UTC`.
pub fn format_utc(unix_seconds: i64) -> String {
    match OffsetDateTime::from_unix_timestamp(unix_seconds) {
        Ok(t) => format!(
            "{} {} {} {:02}:{:02} UTC",
            t.day(),
            MONTHS[usize::from(u8::from(t.month())) - 1],
            t.year(),
            t.hour(),
            t.minute()
        ),
        Err(_) => format!("{unix_seconds} (Unix time)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_in_words_in_utc() {
        assert_eq!(format_utc(1_799_020_800), "4 Jan 2027 00:00 UTC");
        assert_eq!(
            format_utc(1_788_264_000 + 3 * 3600 + 5 * 60),
            "1 Sep 2026 15:05 UTC"
        );
    }

    #[test]
    fn rfc3339_offsets_are_honoured_and_dates_alone_refused() {
        assert_eq!(
            parse_rfc3339("2027-01-04T01:00:00+01:00"),
            Ok(1_799_020_800)
        );
        assert_eq!(parse_rfc3339("2027-01-04T00:00:00Z"), Ok(1_799_020_800));
        assert!(parse_rfc3339("2027-01-04").is_err());
    }
}
