//! The editing surface: one tab and one CodeMirror editor per file, lint on
//! every change (debounced), markers in the editors and a panel listing
//! every finding.

use std::time::Duration;

use canary_lab_lint::Diagnostic;
use leptos::html;
use leptos::prelude::*;

use crate::editor::Editor;
use crate::markers::markers_for;
use crate::persist;
use crate::share::{self, SharedState};
use crate::workspace::{by_file, counts, lint_files};

/// Quiet time after the last keystroke before linting. Linting the whole
/// lesson takes a few milliseconds, so this only batches a burst of
/// keystrokes (a paste, auto-repeat) while keeping under the 50 ms budget.
const LINT_DEBOUNCE: Duration = Duration::from_millis(20);

/// A file shown in the playground.
#[derive(Clone)]
pub struct PlaygroundFile {
    pub path: String,
    pub text: String,
    pub editable: bool,
}

#[derive(Clone, Copy)]
struct FileSlot {
    text: RwSignal<String>,
}

/// Where the first texts come from: a share link beats saved work, saved
/// work beats the lesson's start. A damaged link is reported, never fatal.
fn initial_texts(lesson: &str, files: &[PlaygroundFile]) -> (Vec<String>, Option<String>) {
    let paths: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
    let fragment = window().location().hash().unwrap_or_default();
    let (overlay, notice) = match share::decode(&fragment) {
        Ok(Some(shared)) if shared.lesson == lesson => {
            for (path, text) in &shared.files {
                persist::save(lesson, path, text);
            }
            (shared.files, None)
        }
        Ok(Some(shared)) => (
            persist::load(lesson, &paths),
            Some(format!(
                "This share link is for lesson `{}`, which this page does not show.",
                shared.lesson
            )),
        ),
        Ok(None) => (persist::load(lesson, &paths), None),
        Err(problem) => (
            persist::load(lesson, &paths),
            Some(format!("Could not open the share link: {problem}.")),
        ),
    };
    let texts = files
        .iter()
        .map(|f| match overlay.get(&f.path) {
            Some(text) if f.editable => text.clone(),
            _ => f.text.clone(),
        })
        .collect();
    (texts, notice)
}

#[component]
pub fn Playground(lesson: String, seed: u64, files: Vec<PlaygroundFile>) -> impl IntoView {
    let paths: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
    let (texts, notice) = initial_texts(&lesson, &files);
    let slots: Vec<FileSlot> = texts
        .iter()
        .map(|text| FileSlot {
            text: RwSignal::new(text.clone()),
        })
        .collect();
    let notice = RwSignal::new(notice);
    let active = RwSignal::new(0usize);
    let diagnostics = RwSignal::new(Vec::<Diagnostic>::new());
    // Counts finished lint passes; tests and the timing benchmark wait on it.
    let lint_runs = RwSignal::new(0u64);
    // One editor per file, kept mounted so each keeps its own undo history.
    let editors = StoredValue::new_local(Vec::<Option<Editor>>::new());
    editors.update_value(|e| e.resize_with(files.len(), || None));

    let current_files = {
        let paths = paths.clone();
        let slots = slots.clone();
        move || -> Vec<(String, String)> {
            paths
                .iter()
                .zip(&slots)
                .map(|(p, s)| (p.clone(), s.text.get_untracked()))
                .collect()
        }
    };
    diagnostics.set(lint_files(&current_files()).diagnostics);

    // Lint (and save) once the learner pauses; a generation counter drops stale timers.
    let generation = StoredValue::new(0u64);
    let schedule_lint = move || {
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        let current_files = current_files.clone();
        set_timeout(
            move || {
                if generation.get_value() == mine {
                    diagnostics.set(lint_files(&current_files()).diagnostics);
                    lint_runs.update(|n| *n += 1);
                }
            },
            LINT_DEBOUNCE,
        );
    };

    // Push markers into every editor whenever the diagnostics change.
    {
        let paths = paths.clone();
        Effect::new(move |_| {
            let all = diagnostics.get();
            editors.with_value(|editors| {
                for (editor, path) in editors.iter().zip(&paths) {
                    if let Some(editor) = editor {
                        editor.show_markers(&markers_for(path, &all));
                    }
                }
            });
        });
    }

    let jump = move |file_index: usize, line: usize, column: usize| {
        active.set(file_index);
        editors.with_value(|editors| {
            if let Some(Some(editor)) = editors.get(file_index) {
                editor.jump_to(line, column);
            }
        });
    };

    let panes = files
        .iter()
        .enumerate()
        .map(|(index, file)| {
            let host = NodeRef::<html::Div>::new();
            let slot = slots[index];
            let text = texts[index].clone();
            let lesson = lesson.clone();
            let path = file.path.clone();
            let read_only = !file.editable;
            let label = format!(
                "{} ({})",
                file.path,
                if read_only { "read-only" } else { "editable" }
            );
            let schedule_lint = schedule_lint.clone();
            host.on_load(move |element| {
                let lesson = lesson.clone();
                let path = path.clone();
                let editor = Editor::mount(&element, &text, read_only, &label, move |new_text| {
                    persist::save(&lesson, &path, &new_text);
                    slot.text.set(new_text);
                    schedule_lint();
                });
                editors.update_value(|e| e[index] = Some(editor));
                diagnostics.update(|_| {});
            });
            view! {
                <div
                    class="editor-host"
                    role="tabpanel"
                    id=format!("panel-{index}")
                    aria-labelledby=format!("tab-{index}")
                    data-testid="editor"
                    data-file=file.path.clone()
                    hidden=move || active.get() != index
                    node_ref=host
                ></div>
            }
        })
        .collect_view();

    let status = RwSignal::new(String::new());
    let reset = {
        let lesson = lesson.clone();
        let paths = paths.clone();
        let starts: Vec<String> = files.iter().map(|f| f.text.clone()).collect();
        move |_| {
            let sure = window()
                .confirm_with_message(
                    "Reset every file of this lesson to its start? Your edits will be lost.",
                )
                .unwrap_or(false);
            if !sure {
                return;
            }
            persist::forget(&lesson, &paths);
            editors.with_value(|editors| {
                for (editor, start) in editors.iter().zip(&starts) {
                    if let Some(editor) = editor {
                        editor.replace_text(start);
                    }
                }
            });
            status.set("Reset to the start of the lesson.".into());
        }
    };
    let share_link = {
        let lesson = lesson.clone();
        let paths = paths.clone();
        let starts: Vec<String> = files.iter().map(|f| f.text.clone()).collect();
        move |_| {
            let files = paths
                .iter()
                .zip(&slots)
                .zip(&starts)
                .filter(|((_, slot), start)| slot.text.get_untracked() != **start)
                .map(|((path, slot), _)| (path.clone(), slot.text.get_untracked()))
                .collect();
            let state = SharedState {
                lesson: lesson.clone(),
                seed,
                files,
            };
            let _ = window().location().set_hash(&share::encode(&state));
            let copy = window()
                .navigator()
                .clipboard()
                .write_text(&window().location().href().unwrap_or_default());
            // Without clipboard permission the promise rejects; the link is
            // in the address bar anyway, so the rejection is handled, not logged.
            leptos::task::spawn_local(async move {
                let _ = wasm_bindgen_futures::JsFuture::from(copy).await;
            });
            status.set("The share link is in the address bar and on the clipboard.".into());
        }
    };

    view! {
        {move || notice.get().map(|text| view! {
            <div class="notice" role="alert" data-testid="notice">
                <p>{text}</p>
                <button on:click=move |_| notice.set(None)>"Dismiss"</button>
            </div>
        })}
        <div class="toolbar">
            <button on:click=share_link data-testid="share">"Copy share link"</button>
            <button on:click=reset data-testid="reset">"Reset to start"</button>
            <span class="status" role="status" aria-live="polite">{move || status.get()}</span>
        </div>
        <section class="playground" aria-label="Manifests">
            <FileTabs files=files.clone() active=active />
            {panes}
            <DiagnosticsPanel paths=paths.clone() diagnostics=diagnostics lint_runs=lint_runs jump=jump />
        </section>
    }
}

/// Keyboard-operable tabs (arrow keys, Home, End), as the WAI-ARIA tabs pattern asks.
#[component]
fn FileTabs(files: Vec<PlaygroundFile>, active: RwSignal<usize>) -> impl IntoView {
    let count = files.len();
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let now = active.get_untracked();
        let next = match ev.key().as_str() {
            "ArrowRight" => (now + 1) % count,
            "ArrowLeft" => (now + count - 1) % count,
            "Home" => 0,
            "End" => count - 1,
            _ => return,
        };
        ev.prevent_default();
        active.set(next);
        if let Some(tab) = document().get_element_by_id(&format!("tab-{next}")) {
            use wasm_bindgen::JsCast;
            if let Ok(tab) = tab.dyn_into::<web_sys::HtmlElement>() {
                let _ = tab.focus();
            }
        }
    };
    let tabs = files
        .into_iter()
        .enumerate()
        .map(|(index, file)| {
            view! {
                <button
                    role="tab"
                    id=format!("tab-{index}")
                    class="tab"
                    aria-controls=format!("panel-{index}")
                    aria-selected=move || (active.get() == index).to_string()
                    tabindex=move || if active.get() == index { "0" } else { "-1" }
                    on:click=move |_| active.set(index)
                >
                    {file.path.clone()}
                    {(!file.editable).then(|| view! { <span class="read-only" title="read-only">" (read-only)"</span> })}
                </button>
            }
        })
        .collect_view();
    view! { <div class="tabs" role="tablist" aria-label="Files" on:keydown=on_key>{tabs}</div> }
}

#[component]
fn DiagnosticsPanel(
    paths: Vec<String>,
    diagnostics: RwSignal<Vec<Diagnostic>>,
    lint_runs: RwSignal<u64>,
    jump: impl Fn(usize, usize, usize) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let summary = move || {
        let (errors, warnings, infos) = diagnostics.with(|d| counts(d));
        if errors + warnings + infos == 0 {
            "No problems found".to_string()
        } else {
            format!("{errors} error(s), {warnings} warning(s), {infos} note(s)")
        }
    };
    let groups = move || {
        let paths = paths.clone();
        diagnostics.with(|all| {
            by_file(&paths, all)
                .into_iter()
                .map(|(file, items)| {
                    let file_index = paths.iter().position(|p| *p == file).unwrap_or(0);
                    let rows = items
                        .into_iter()
                        .map(|d| {
                            let (line, column) = (d.location.start.line, d.location.start.column);
                            let severity = d.severity.as_str();
                            view! {
                                <li class=format!("finding {severity}")>
                                    <button
                                        class="finding-jump"
                                        on:click=move |_| jump(file_index, line, column)
                                    >
                                        <span class="where">{format!("{line}:{column}")}</span>
                                        <span class="severity">{severity}</span>
                                        <code class="code">{d.code}</code>
                                        <span class="message">{d.message.clone()}</span>
                                    </button>
                                    {d.help.clone().map(|h| view! { <p class="help">{h}</p> })}
                                </li>
                            }
                        })
                        .collect_view();
                    view! {
                        <li class="file-group">
                            <h3>{file}</h3>
                            <ul>{rows}</ul>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section class="diagnostics" aria-label="Problems" data-testid="diagnostics" data-lint-run=move || lint_runs.get()>
            <h2>"Problems"</h2>
            <p class="summary" role="status" aria-live="polite" data-testid="diagnostics-summary">{summary}</p>
            <ul class="file-groups">{groups}</ul>
        </section>
    }
}
