//! The app shell: header, lesson list and the editor area.

use leptos::html;
use leptos::prelude::*;

use crate::editor::Editor;

const STARTER_CONFIG: &str = include_str!("../fixtures/challenge/broken/otel/config.yaml");

#[component]
pub fn App() -> impl IntoView {
    view! {
        <header class="app-header">
            <h1>"Canary Lab"</h1>
            <span class="tagline">"Gate a canary release on telemetry, in your browser"</span>
        </header>
        <div class="layout">
            <LessonList />
            <main class="workspace" aria-label="Workspace">
                <h2>"otel/config.yaml"</h2>
                <EditorPane text=STARTER_CONFIG label="Collector configuration" />
            </main>
        </div>
    }
}

#[component]
pub fn LessonList() -> impl IntoView {
    view! {
        <nav class="lesson-list" aria-label="Lessons">
            <h2>"Lessons"</h2>
            <p class="empty" data-testid="lesson-list-empty">"No lessons yet."</p>
        </nav>
    }
}

#[component]
fn EditorPane(text: &'static str, label: &'static str) -> impl IntoView {
    let host = NodeRef::<html::Div>::new();
    // The editor lives as long as the pane; CodeMirror owns the DOM inside `host`.
    let editor = StoredValue::new_local(None::<Editor>);
    host.on_load(move |element| {
        let mounted = Editor::mount(&element, text, false, label, |_text| {});
        editor.set_value(Some(mounted));
    });
    view! { <div class="editor-host" data-testid="editor" node_ref=host></div> }
}
