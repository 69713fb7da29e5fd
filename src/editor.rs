//! Binding to the CodeMirror bundle (`js/src/editor.js`, loaded before the
//! wasm module), which sets `window.canaryEditor`.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// A CodeMirror `EditorView`, opaque to Rust.
    pub type EditorView;

    #[wasm_bindgen(js_namespace = canaryEditor, js_name = create)]
    fn create_view(
        parent: &web_sys::HtmlElement,
        text: &str,
        read_only: bool,
        label: &str,
        on_change: &js_sys::Function,
    ) -> EditorView;

    #[wasm_bindgen(js_namespace = canaryEditor, js_name = showDiagnostics)]
    fn show_diagnostics(view: &EditorView, json: &str);

    #[wasm_bindgen(js_namespace = canaryEditor, js_name = jumpTo)]
    fn jump_to(view: &EditorView, line: usize, column: usize);

    #[wasm_bindgen(js_namespace = canaryEditor, js_name = replaceText)]
    fn replace_text(view: &EditorView, text: &str);

    #[wasm_bindgen(js_namespace = canaryEditor, js_name = destroy)]
    fn destroy_view(view: &EditorView);
}

/// One marker for the editor: 1-based line and column in characters.
#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Marker {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub severity: String,
    pub message: String,
    /// The rule's code and the relative URL of its page (`rules/CODE.html`).
    pub code: String,
    pub doc: String,
    pub fix: Option<MarkerFix>,
}

/// A quick fix as CodeMirror applies it: offsets in UTF-16 code units.
#[derive(Debug, PartialEq, serde::Serialize)]
pub struct MarkerFix {
    pub title: String,
    /// `(from, to, insert)`, in document order, not overlapping.
    pub changes: Vec<(usize, usize, String)>,
}

/// An editor mounted into a host element; destroyed when dropped.
pub struct Editor {
    view: EditorView,
    // Keeps the change callback alive for as long as the view can call it.
    _on_change: Closure<dyn FnMut(String)>,
}

impl Editor {
    pub fn mount(
        host: &web_sys::HtmlElement,
        text: &str,
        read_only: bool,
        label: &str,
        on_change: impl FnMut(String) + 'static,
    ) -> Self {
        let on_change = Closure::<dyn FnMut(String)>::new(on_change);
        let view = create_view(
            host,
            text,
            read_only,
            label,
            on_change.as_ref().unchecked_ref(),
        );
        Self {
            view,
            _on_change: on_change,
        }
    }

    pub fn show_markers(&self, markers: &[Marker]) {
        let json = serde_json::to_string(markers).unwrap_or_else(|_| "[]".into());
        show_diagnostics(&self.view, &json);
    }

    pub fn jump_to(&self, line: usize, column: usize) {
        jump_to(&self.view, line, column);
    }

    /// Replaces the whole text (reset to start); the change listener fires.
    pub fn replace_text(&self, text: &str) {
        replace_text(&self.view, text);
    }
}

impl Drop for Editor {
    fn drop(&mut self) {
        destroy_view(&self.view);
    }
}
