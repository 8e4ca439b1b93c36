//! Statuspage-style ids: 12 lowercase letters and digits, derived from what names a thing (a
//! component id, an incident's slug), so they stay the same from one build to the next.

use sha2::{Digest, Sha256};

const ALPHABET: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";

/// The id of `key` in namespace `kind` (`page`, `component`, `group`, `incident`, …).
pub fn stable_id(kind: &str, key: &str) -> String {
    let digest = Sha256::new()
        .chain_update(kind.as_bytes())
        .chain_update([0u8])
        .chain_update(key.as_bytes())
        .finalize();
    let mut n = u128::from_be_bytes(digest[..16].try_into().expect("16 bytes"));
    let mut id = [0u8; 12];
    for c in id.iter_mut().rev() {
        *c = ALPHABET[(n % 36) as usize];
        n /= 36;
    }
    String::from_utf8(id.to_vec()).expect("ascii")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_twelve_characters_and_differ_by_kind() {
        let a = stable_id("incident", "2026-10-16-api-errors");
        assert_eq!(a.len(), 12);
        assert!(a
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
        assert_eq!(a, stable_id("incident", "2026-10-16-api-errors"));
        assert_ne!(a, stable_id("maintenance", "2026-10-16-api-errors"));
    }
}
