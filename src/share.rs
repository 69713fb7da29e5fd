//! Share links: the lesson, the seed and the learner's edited files, packed
//! into the URL fragment (`#share=v1.<base64url(deflate(json))>`), so a link
//! restores the exact state with no server.

use std::collections::BTreeMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

const PREFIX: &str = "share=v1.";
/// A decompressed payload larger than this is refused: a crafted link must
/// not be able to exhaust the tab's memory.
const MAX_PAYLOAD_BYTES: usize = 2 * 1024 * 1024;

/// What a share link carries. Files absent from `files` are as the lesson starts.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SharedState {
    pub lesson: String,
    pub seed: u64,
    pub files: BTreeMap<String, String>,
}

/// The fragment (without `#`) for a state.
pub fn encode(state: &SharedState) -> String {
    let json = serde_json::to_vec(state).unwrap_or_default();
    let packed = miniz_oxide::deflate::compress_to_vec(&json, 9);
    format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(packed))
}

/// Reads a fragment (with or without `#`). `Ok(None)` when the fragment is
/// not a share link at all; `Err` with a reason when it is one but damaged.
pub fn decode(fragment: &str) -> Result<Option<SharedState>, String> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let Some(payload) = fragment.strip_prefix(PREFIX) else {
        return if fragment.starts_with("share=") {
            Err(
                "this share link was made by another version of Canary Lab (expected `share=v1.`)"
                    .into(),
            )
        } else {
            Ok(None)
        };
    };
    let packed = URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|e| {
            format!(
                "the share link is damaged (not valid base64: {e}); was it cut short when copied?"
            )
        })?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_PAYLOAD_BYTES)
        .map_err(|_| "the share link is damaged (its compressed data does not unpack); was it cut short when copied?".to_string())?;
    serde_json::from_slice(&json).map(Some).map_err(|e| {
        format!(
            "the share link is damaged (unexpected content at column {} of its data)",
            e.column()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> SharedState {
        SharedState {
            lesson: "01-collector-wont-start".into(),
            seed: 42,
            files: BTreeMap::from([(
                "otel/config.yaml".to_string(),
                "receivers:\n  otlp: {}\n# ünïcode ✓\n".to_string(),
            )]),
        }
    }

    #[test]
    fn round_trips_through_the_fragment() {
        let state = sample();
        let fragment = encode(&state);
        assert!(fragment.starts_with("share=v1."));
        assert!(fragment
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "=.-_".contains(c)));
        assert_eq!(decode(&format!("#{fragment}")), Ok(Some(state)));
    }

    #[test]
    fn other_fragments_are_not_share_links() {
        assert_eq!(decode(""), Ok(None));
        assert_eq!(decode("#lesson-3"), Ok(None));
    }

    #[test]
    fn damaged_links_explain_what_is_wrong() {
        let fragment = encode(&sample());
        let cut = &fragment[..fragment.len() / 2];
        assert!(decode(cut).unwrap_err().contains("damaged"));
        assert!(decode("share=v1.!!!")
            .unwrap_err()
            .contains("not valid base64"));
        assert!(decode("share=v9.abc")
            .unwrap_err()
            .contains("another version"));
        let not_json = format!(
            "{PREFIX}{}",
            URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(b"[1,2", 9))
        );
        assert!(decode(&not_json)
            .unwrap_err()
            .contains("unexpected content"));
    }

    #[test]
    fn oversized_payloads_are_refused() {
        let bomb = vec![b'a'; MAX_PAYLOAD_BYTES + 1];
        let fragment = format!(
            "{PREFIX}{}",
            URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&bomb, 9))
        );
        assert!(decode(&fragment).unwrap_err().contains("damaged"));
    }
}
