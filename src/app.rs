//! The app shell: header, lesson list and the playground.

use leptos::prelude::*;

use crate::components::playground::{Playground, PlaygroundFile};
use crate::embed::{report_height_to_parent, PageOptions};

/// The challenge's starting manifests, in the order a learner reads them.
const CHALLENGE_FILES: &[(&str, &str, bool)] = &[
    (
        "otel/config.yaml",
        include_str!("../fixtures/challenge/broken/otel/config.yaml"),
        true,
    ),
    (
        "hotrod/analysis-template.yaml",
        include_str!("../fixtures/challenge/broken/hotrod/analysis-template.yaml"),
        true,
    ),
    (
        "hotrod/rollout.yaml",
        include_str!("../fixtures/challenge/broken/hotrod/rollout.yaml"),
        false,
    ),
    (
        "otel/daemonset.yaml",
        include_str!("../fixtures/challenge/broken/otel/daemonset.yaml"),
        false,
    ),
    (
        "otel/service.yaml",
        include_str!("../fixtures/challenge/broken/otel/service.yaml"),
        false,
    ),
    (
        "hotrod/service.yaml",
        include_str!("../fixtures/challenge/broken/hotrod/service.yaml"),
        false,
    ),
    (
        "traffic-generator/deployment.yaml",
        include_str!("../fixtures/challenge/broken/traffic-generator/deployment.yaml"),
        false,
    ),
];

#[component]
pub fn App() -> impl IntoView {
    let files = CHALLENGE_FILES
        .iter()
        .map(|(path, text, editable)| PlaygroundFile {
            path: path.to_string(),
            text: text.to_string(),
            editable: *editable,
        })
        .collect();
    let options = PageOptions::current();
    if options.embed {
        report_height_to_parent();
        return view! {
            <main class="workspace embed" aria-label="Canary Lab">
                <Playground lesson="challenge".to_string() seed=1 files=files />
            </main>
        }
        .into_any();
    }
    view! {
        <header class="app-header">
            <h1>"Canary Lab"</h1>
            <span class="tagline">"Gate a canary release on telemetry, in your browser"</span>
        </header>
        <div class="layout">
            <LessonList />
            <main class="workspace" aria-label="Workspace">
                <Playground lesson="challenge".to_string() seed=1 files=files />
            </main>
        </div>
    }
    .into_any()
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
