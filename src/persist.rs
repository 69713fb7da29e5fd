//! Never lose work: the learner's files per lesson in `localStorage`, and
//! the state a share link carries. Storage can be missing (private mode, a
//! sandboxed iframe); then saving silently does nothing and loading finds
//! nothing, which is the same as a first visit.

use std::collections::BTreeMap;

/// `canary-lab/v1/<lesson>/<path>`; the version lets a later format move on.
fn key(lesson: &str, path: &str) -> String {
    format!("canary-lab/v1/{lesson}/{path}")
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The saved text of each file of a lesson that has one.
pub fn load(lesson: &str, paths: &[String]) -> BTreeMap<String, String> {
    let Some(storage) = storage() else {
        return BTreeMap::new();
    };
    paths
        .iter()
        .filter_map(|path| {
            let text = storage.get_item(&key(lesson, path)).ok().flatten()?;
            Some((path.clone(), text))
        })
        .collect()
}

pub fn save(lesson: &str, path: &str, text: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(&key(lesson, path), text);
    }
}

/// Forgets every saved file of a lesson (reset to start).
pub fn forget(lesson: &str, paths: &[String]) {
    if let Some(storage) = storage() {
        for path in paths {
            let _ = storage.remove_item(&key(lesson, path));
        }
    }
}

/// Forgets everything Canary Lab saved (the panic banner's way out).
pub fn forget_everything() {
    let Some(storage) = storage() else {
        return;
    };
    let keys: Vec<String> = (0..storage.length().unwrap_or(0))
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|k| k.starts_with("canary-lab/"))
        .collect();
    for k in keys {
        let _ = storage.remove_item(&k);
    }
}
