//! Progress as a file: everything Canary Lab saved in this browser (the
//! learner's files and which lessons are done), exported as JSON and read
//! back, with a clear message for a file that is not one of ours.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

const FORMAT: &str = "canary-lab-progress";
const VERSION: u32 = 1;
/// Only our own keys are exported and, more importantly, imported.
pub const KEY_PREFIX: &str = "canary-lab/v1/";

#[derive(Serialize, Deserialize)]
struct ProgressFile {
    format: String,
    version: u32,
    saved: BTreeMap<String, String>,
}

pub fn to_json(saved: BTreeMap<String, String>) -> String {
    let file = ProgressFile {
        format: FORMAT.into(),
        version: VERSION,
        saved: saved
            .into_iter()
            .filter(|(k, _)| k.starts_with(KEY_PREFIX))
            .collect(),
    };
    serde_json::to_string_pretty(&file).unwrap_or_default()
}

/// The entries of an exported file, or what is wrong with it and where.
pub fn from_json(text: &str) -> Result<BTreeMap<String, String>, String> {
    let file: ProgressFile = serde_json::from_str(text).map_err(|e| {
        format!(
            "this is not a Canary Lab progress file (line {}, column {}: {e})",
            e.line(),
            e.column()
        )
    })?;
    if file.format != FORMAT {
        return Err(format!(
            "this file's format is `{}`, not `{FORMAT}`",
            file.format
        ));
    }
    if file.version != VERSION {
        return Err(format!(
            "this progress file has version {}; this Canary Lab reads version {VERSION}",
            file.version
        ));
    }
    if let Some(bad) = file.saved.keys().find(|k| !k.starts_with(KEY_PREFIX)) {
        return Err(format!(
            "the entry `{bad}` is not a Canary Lab entry (they start with `{KEY_PREFIX}`)"
        ));
    }
    Ok(file.saved)
}

/// The key that records that every objective of a lesson passed in a run.
pub fn done_key(lesson: &str) -> String {
    format!("{KEY_PREFIX}done/{lesson}")
}

pub use browser::{download, import_file, is_done, mark_done};

/// The browser side; natively these compile but are never called.
mod browser {
    use std::collections::BTreeMap;

    use wasm_bindgen::JsCast;

    use super::{done_key, from_json, to_json, KEY_PREFIX};

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    pub fn mark_done(lesson: &str) {
        if let Some(s) = storage() {
            let _ = s.set_item(&done_key(lesson), "1");
        }
    }

    pub fn is_done(lesson: &str) -> bool {
        storage()
            .and_then(|s| s.get_item(&done_key(lesson)).ok().flatten())
            .is_some()
    }

    fn saved() -> BTreeMap<String, String> {
        let Some(s) = storage() else {
            return BTreeMap::new();
        };
        (0..s.length().unwrap_or(0))
            .filter_map(|i| s.key(i).ok().flatten())
            .filter(|k| k.starts_with(KEY_PREFIX))
            .filter_map(|k| s.get_item(&k).ok().flatten().map(|v| (k, v)))
            .collect()
    }

    /// Offers `canary-lab-progress.json` as a download.
    pub fn download() -> Result<(), String> {
        let json = to_json(saved());
        let parts = js_sys::Array::of1(&json.into());
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("application/json");
        let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
            .map_err(|_| "the browser refused to build the file".to_string())?;
        let url = web_sys::Url::create_object_url_with_blob(&blob)
            .map_err(|_| "the browser refused to offer the file".to_string())?;
        let document = leptos::prelude::document();
        let link: web_sys::HtmlAnchorElement = document
            .create_element("a")
            .map_err(|_| "cannot create a link".to_string())?
            .unchecked_into();
        link.set_href(&url);
        link.set_download("canary-lab-progress.json");
        link.click();
        let _ = web_sys::Url::revoke_object_url(&url);
        Ok(())
    }

    /// Reads a progress file and stores its entries; returns how many.
    pub async fn import_file(file: web_sys::File) -> Result<usize, String> {
        let text = wasm_bindgen_futures::JsFuture::from(file.text())
            .await
            .ok()
            .and_then(|t| t.as_string())
            .ok_or_else(|| "the file could not be read".to_string())?;
        let entries = from_json(&text)?;
        let s = storage()
            .ok_or_else(|| "this browser does not let the page save anything".to_string())?;
        for (k, v) in &entries {
            s.set_item(k, v)
                .map_err(|_| "the browser's storage is full".to_string())?;
        }
        Ok(entries.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_round_trip_keeps_our_entries_and_drops_others() {
        let mut saved = BTreeMap::new();
        saved.insert(
            "canary-lab/v1/01/otel/config.yaml".to_string(),
            "receivers:\n".to_string(),
        );
        saved.insert(done_key("01"), "1".to_string());
        saved.insert("someone-else".to_string(), "x".to_string());
        let back = from_json(&to_json(saved)).unwrap();
        assert_eq!(back.len(), 2);
        assert!(back.keys().all(|k| k.starts_with(KEY_PREFIX)));
    }

    #[test]
    fn foreign_files_get_a_message_with_a_position() {
        let e = from_json("{\n  \"format\": 3").unwrap_err();
        assert!(e.contains("line 2"), "{e}");
        let e = from_json(r#"{"format":"other","version":1,"saved":{}}"#).unwrap_err();
        assert!(e.contains("`other`"), "{e}");
        let e =
            from_json(r#"{"format":"canary-lab-progress","version":9,"saved":{}}"#).unwrap_err();
        assert!(e.contains("version 9"), "{e}");
        let e = from_json(r#"{"format":"canary-lab-progress","version":1,"saved":{"evil":"x"}}"#)
            .unwrap_err();
        assert!(e.contains("`evil`"), "{e}");
    }
}
