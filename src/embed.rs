//! Embedding in documentation: `?embed` gives a compact layout, and the page
//! tells its parent frame how tall it is so the iframe can fit it.

use wasm_bindgen::prelude::*;

/// What the query string asks for: `?embed&lesson=04-idle-canary`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageOptions {
    pub embed: bool,
    pub lesson: Option<String>,
}

impl PageOptions {
    /// Parses a `location.search` string; unknown parameters are ignored.
    pub fn from_query(search: &str) -> Self {
        let mut options = PageOptions::default();
        for pair in search
            .trim_start_matches('?')
            .split('&')
            .filter(|p| !p.is_empty())
        {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            match name {
                "embed" => options.embed = !matches!(value, "0" | "false"),
                "lesson" if !value.is_empty() => options.lesson = Some(value.to_string()),
                _ => {}
            }
        }
        options
    }

    pub fn current() -> Self {
        let search = web_sys::window()
            .and_then(|w| w.location().search().ok())
            .unwrap_or_default();
        Self::from_query(&search)
    }
}

/// Posts `{type: "canary-lab:height", height}` to the parent whenever the
/// page's height changes. Any origin may embed us, so the target is `*`;
/// the message carries nothing but a number.
pub fn report_height_to_parent() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(body) = window.document().and_then(|d| d.body()) else {
        return;
    };
    let post = Closure::<dyn FnMut()>::new(move || {
        let Some(window) = web_sys::window() else {
            return;
        };
        let Some(body) = window.document().and_then(|d| d.body()) else {
            return;
        };
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"type".into(), &"canary-lab:height".into());
        let _ = js_sys::Reflect::set(&message, &"height".into(), &body.scroll_height().into());
        if let Ok(Some(parent)) = window.parent() {
            let _ = parent.post_message(&message, "*");
        }
    });
    if let Ok(observer) = web_sys::ResizeObserver::new(post.as_ref().unchecked_ref()) {
        observer.observe(&body);
    }
    // The observer calls back for the life of the page.
    post.forget();
}

#[cfg(test)]
mod tests {
    use super::PageOptions;

    #[test]
    fn reads_embed_and_lesson_from_the_query() {
        assert_eq!(PageOptions::from_query(""), PageOptions::default());
        assert_eq!(
            PageOptions::from_query("?embed&lesson=04-idle-canary"),
            PageOptions {
                embed: true,
                lesson: Some("04-idle-canary".into())
            }
        );
        assert!(!PageOptions::from_query("?embed=0").embed);
        assert!(PageOptions::from_query("?x=1&embed=1").embed);
    }
}
