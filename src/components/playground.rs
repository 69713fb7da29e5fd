//! The lesson's workspace: the story and objectives, one tab and one
//! CodeMirror editor per file with lint on every change (debounced), a panel
//! listing every finding, and the Run: the simulation in a web worker,
//! played back below.

use std::sync::Arc;
use std::time::Duration;

use canary_lab_lessons::Lesson;
use canary_lab_worker::protocol::{PipelineView, Problem, Request, Response, RunResult};
use leptos::html;
use leptos::prelude::*;

use crate::components::console::QueryConsole;
use crate::components::lesson_panel::{LessonPanel, ObjectiveView};
use crate::components::run_panel::RunPanel;
use crate::editor::Editor;
use crate::markers::markers_for;
use crate::share::{self, SharedState};
use crate::workers::{self, Which};
use crate::workspace::{by_file, counts};
use crate::{persist, progress};

/// Quiet time after the last keystroke before linting. Linting the whole
/// lesson takes a few milliseconds in the lint worker, so this only batches
/// a burst of keystrokes (a paste, auto-repeat) while keeping under the
/// 50 ms budget.
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

/// What lint alone says about each objective (`None`: a run must decide).
type LintVerdicts = Vec<Option<(bool, String)>>;

#[component]
pub fn Playground(
    lesson: Arc<Lesson>,
    /// The compact layout of `?embed`.
    #[prop(optional)]
    compact: bool,
) -> impl IntoView {
    let lesson_id = lesson.manifest.id.clone();
    let seed = lesson.manifest.seed;
    let files: Vec<PlaygroundFile> = lesson
        .manifest
        .files
        .iter()
        .map(|f| PlaygroundFile {
            path: f.path.clone(),
            text: lesson.start.get(&f.path).cloned().unwrap_or_default(),
            editable: f.editable,
        })
        .collect();
    let paths: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
    let (texts, notice) = initial_texts(&lesson_id, &files);
    let slots: Vec<FileSlot> = texts
        .iter()
        .map(|text| FileSlot {
            text: RwSignal::new(text.clone()),
        })
        .collect();
    let notice = RwSignal::new(notice);
    let active = RwSignal::new(0usize);
    let diagnostics = RwSignal::new(Vec::<Problem>::new());
    let lint_verdicts = RwSignal::new(LintVerdicts::new());
    let lint_error = RwSignal::new(None::<String>);
    let pipeline = RwSignal::new(None::<PipelineView>);
    // Counts finished lint passes; tests and the timing benchmark wait on it.
    let lint_runs = RwSignal::new(0u64);
    // One editor per file, mounted the first time its tab opens and then
    // kept, so each keeps its own undo history.
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
    // Lint in the worker; a generation counter drops replies to texts that
    // have changed since (a slow reply must never overwrite a newer one).
    let generation = StoredValue::new(0u64);
    let relint = {
        let lesson_id = lesson_id.clone();
        let current_files = current_files.clone();
        move || {
            generation.update_value(|g| *g += 1);
            let mine = generation.get_value();
            let request = Request::Lint {
                lesson: lesson_id.clone(),
                files: current_files(),
            };
            workers::send(Which::Lint, &request, move |reply| {
                if generation.get_value() != mine {
                    return;
                }
                match reply {
                    Response::Linted(result) => {
                        lint_verdicts.set(result.objectives);
                        pipeline.set(result.pipeline);
                        diagnostics.set(result.problems);
                        lint_error.set(None);
                    }
                    Response::Failed { message } => lint_error.set(Some(message)),
                    other => lint_error.set(Some(format!("unexpected reply: {other:?}"))),
                }
                lint_runs.update(|n| *n += 1);
            });
        }
    };
    relint();

    // Lint (and save) once the learner pauses; a newer keystroke cancels the timer.
    let pending = StoredValue::new(0u64);
    let schedule_lint = {
        let relint = relint.clone();
        move || {
            pending.update_value(|g| *g += 1);
            let mine = pending.get_value();
            let relint = relint.clone();
            set_timeout(
                move || {
                    if pending.get_value() == mine {
                        relint();
                    }
                },
                LINT_DEBOUNCE,
            );
        }
    };

    // Push markers into every mounted editor whenever the diagnostics change.
    {
        let paths = paths.clone();
        let slots = slots.clone();
        Effect::new(move |_| {
            let all = diagnostics.get();
            editors.with_value(|editors| {
                for ((editor, path), slot) in editors.iter().zip(&paths).zip(&slots) {
                    if let Some(editor) = editor {
                        let text = slot.text.get_untracked();
                        editor.show_markers(&markers_for(path, &text, &all));
                    }
                }
            });
        });
    }

    // The Run: one request to the worker, the result kept for playback.
    let run_result = RwSignal::new(None::<Arc<RunResult>>);
    let running = RwSignal::new(false);
    let run_error = RwSignal::new(None::<String>);
    let run_ms = RwSignal::new(None::<f64>);
    let edited_since_run = RwSignal::new(false);
    let cursor = RwSignal::new(0.0f64);
    let results_tab = RwSignal::new(ResultsTab::Run);
    let start_run = {
        let lesson_id = lesson_id.clone();
        let current_files = current_files.clone();
        move |_| {
            if running.get_untracked() {
                return;
            }
            running.set(true);
            run_error.set(None);
            results_tab.set(ResultsTab::Run);
            let started = now_ms();
            let lesson_id = lesson_id.clone();
            let request = Request::Run {
                lesson: lesson_id.clone(),
                files: current_files(),
            };
            workers::send(Which::Sim, &request, move |reply| {
                running.set(false);
                match reply {
                    Response::Ran(result) => {
                        run_ms.set(Some(now_ms() - started));
                        edited_since_run.set(false);
                        let all_passed = result.objectives.iter().all(|o| o.passed);
                        if all_passed {
                            progress::mark_done(&lesson_id);
                        }
                        run_result.set(Some(Arc::from(result)));
                    }
                    Response::Failed { message } => run_error.set(Some(message)),
                    other => run_error.set(Some(format!("unexpected reply: {other:?}"))),
                }
            });
        }
    };

    let objectives = {
        let texts: Vec<String> = lesson
            .manifest
            .objectives
            .iter()
            .map(|o| o.text.clone())
            .collect();
        Signal::derive(move || {
            let lint = lint_verdicts.get();
            let run = run_result.get();
            texts
                .iter()
                .enumerate()
                .map(|(i, text)| match lint.get(i).cloned().flatten() {
                    Some((passed, detail)) => ObjectiveView {
                        text: text.clone(),
                        passed: Some(passed),
                        detail,
                        from_run: false,
                    },
                    None => match run.as_ref().and_then(|r| r.objectives.get(i)) {
                        Some(o) => ObjectiveView {
                            text: text.clone(),
                            passed: Some(o.passed),
                            detail: o.detail.clone(),
                            from_run: true,
                        },
                        None => ObjectiveView {
                            text: text.clone(),
                            passed: None,
                            detail: "a Run decides this one".into(),
                            from_run: false,
                        },
                    },
                })
                .collect()
        })
    };
    let current_signal = {
        let paths = paths.clone();
        let slots = slots.clone();
        Signal::derive(move || {
            paths
                .iter()
                .zip(&slots)
                .map(|(p, s)| (p.clone(), s.text.get()))
                .collect::<Vec<_>>()
        })
    };

    // Editors are mounted lazily: only the open tab's at first load.
    let hosts: Vec<NodeRef<html::Div>> = files.iter().map(|_| NodeRef::new()).collect();
    let ensure_mounted = {
        let hosts = hosts.clone();
        let files = files.clone();
        let texts = texts.clone();
        let lesson_id = lesson_id.clone();
        let schedule_lint = schedule_lint.clone();
        let slots = slots.clone();
        move |index: usize| {
            if editors.with_value(|e| e.get(index).is_none_or(|e| e.is_some())) {
                return;
            }
            let Some(element) = hosts.get(index).and_then(|h| h.get_untracked()) else {
                return;
            };
            let file = &files[index];
            let slot = slots[index];
            let read_only = !file.editable;
            let label = format!(
                "{} ({})",
                file.path,
                if read_only { "read-only" } else { "editable" }
            );
            let lesson_id = lesson_id.clone();
            let path = file.path.clone();
            let schedule_lint = schedule_lint.clone();
            // The slot holds the newest text (a reset may have changed it).
            let text = slot.text.get_untracked();
            let _ = &texts;
            let editor = Editor::mount(&element, &text, read_only, &label, move |new_text| {
                persist::save(&lesson_id, &path, &new_text);
                slot.text.set(new_text);
                edited_since_run.set(true);
                schedule_lint();
            });
            editor.show_markers(&markers_for(
                &file.path,
                &slot.text.get_untracked(),
                &diagnostics.get_untracked(),
            ));
            editors.update_value(|e| e[index] = Some(editor));
        }
    };
    {
        let ensure_mounted = ensure_mounted.clone();
        Effect::new(move |_| ensure_mounted(active.get()));
    }

    let jump = {
        let ensure_mounted = ensure_mounted.clone();
        move |file_index: usize, line: usize, column: usize| {
            active.set(file_index);
            ensure_mounted(file_index);
            editors.with_value(|editors| {
                if let Some(Some(editor)) = editors.get(file_index) {
                    editor.jump_to(line, column);
                }
            });
        }
    };
    let jump = StoredValue::new_local(jump);
    let jump = move |file_index: usize, line: usize, column: usize| {
        jump.with_value(|j| j(file_index, line, column))
    };

    let panes = files
        .iter()
        .enumerate()
        .map(|(index, file)| {
            let host = hosts[index];
            let ensure_mounted = ensure_mounted.clone();
            host.on_load(move |_| {
                if active.get_untracked() == index {
                    ensure_mounted(index);
                }
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
        let lesson_id = lesson_id.clone();
        let paths = paths.clone();
        let starts: Vec<String> = files.iter().map(|f| f.text.clone()).collect();
        let schedule_lint = schedule_lint.clone();
        let slots = slots.clone();
        move |_| {
            let sure = window()
                .confirm_with_message(
                    "Reset every file of this lesson to its start? Your edits will be lost.",
                )
                .unwrap_or(false);
            if !sure {
                return;
            }
            persist::forget(&lesson_id, &paths);
            for (slot, start) in slots.iter().zip(&starts) {
                slot.text.set(start.clone());
            }
            editors.with_value(|editors| {
                for (editor, start) in editors.iter().zip(&starts) {
                    if let Some(editor) = editor {
                        editor.replace_text(start);
                    }
                }
            });
            schedule_lint();
            status.set("Reset to the start of the lesson.".into());
        }
    };
    let share_link = {
        let lesson_id = lesson_id.clone();
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
                lesson: lesson_id.clone(),
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
    let export = move |_| match progress::download() {
        Ok(()) => status.set("Your progress is in canary-lab-progress.json.".into()),
        Err(problem) => notice.set(Some(format!("Could not export: {problem}."))),
    };
    let import_input = NodeRef::<html::Input>::new();
    let import = move |_| {
        let Some(input) = import_input.get_untracked() else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        leptos::task::spawn_local(async move {
            match progress::import_file(file).await {
                Ok(count) => {
                    status.set(format!("Imported {count} saved item(s); reloading."));
                    let _ = window().location().reload();
                }
                Err(problem) => notice.set(Some(format!("Could not import: {problem}."))),
            }
        });
    };

    view! {
        {move || notice.get().map(|text| view! {
            <div class="notice" role="alert" data-testid="notice">
                <p>{text}</p>
                <button on:click=move |_| notice.set(None)>"Dismiss"</button>
            </div>
        })}
        <LessonPanel lesson=lesson.clone() objectives=objectives current=current_signal compact=compact />
        <div class="toolbar">
            <button class="primary" on:click=start_run data-testid="run" disabled=move || running.get()>
                {move || if running.get() { "Running…" } else { "▶ Run" }}
            </button>
            <button on:click=share_link data-testid="share">"Copy share link"</button>
            <button on:click=reset data-testid="reset">"Reset to start"</button>
            {(!compact).then(|| view! {
                <button on:click=export data-testid="export">"Export progress"</button>
                <label class="import">
                    "Import progress"
                    <input type="file" accept="application/json,.json" node_ref=import_input on:change=import data-testid="import" />
                </label>
            })}
            <span class="status" role="status" aria-live="polite">{move || status.get()}</span>
        </div>
        <section class="playground" aria-label="Manifests">
            <FileTabs files=files.clone() active=active />
            {panes}
            {move || lint_error.get().map(|e| view! { <p class="notice" role="alert" data-testid="lint-error">{e}</p> })}
            <DiagnosticsPanel paths=paths.clone() diagnostics=diagnostics lint_runs=lint_runs jump=jump />
        </section>
        <section class="results" aria-label="Results" data-testid="results"
            data-run-ms=move || run_ms.get().map(|ms| format!("{ms:.1}")).unwrap_or_default()>
            <ResultsTabs active=results_tab />
            {move || run_error.get().map(|e| view! { <p class="notice" role="alert" data-testid="run-error">{e}</p> })}
            {move || (edited_since_run.get() && run_result.with(|r| r.is_some())).then(|| view! {
                <p class="stale" data-testid="stale">"You edited the files since this run: press Run again to see the effect."</p>
            })}
            <div role="tabpanel" id="results-run" aria-labelledby="results-tab-run" hidden=move || results_tab.get() != ResultsTab::Run>
                <RunPanel result=run_result cursor=cursor />
            </div>
            <div role="tabpanel" id="results-pipeline" aria-labelledby="results-tab-pipeline" hidden=move || results_tab.get() != ResultsTab::Pipeline>
                <section class="pipeline" aria-label="Collector pipelines" data-testid="pipeline-view">
                    {move || match pipeline.get() {
                        Some(view) => view! {
                            <p class="muted">"Redrawn as you type. Broken links are dashed red; hover a box for the reason."</p>
                            <div class="pipeline-svg" role="img" aria-label=view.summary.clone() data-broken=view.broken inner_html=view.svg></div>
                        }.into_any(),
                        None => view! { <p class="muted">"No collector config in these files."</p> }.into_any(),
                    }}
                </section>
            </div>
            <div role="tabpanel" id="results-query" aria-labelledby="results-tab-query" hidden=move || results_tab.get() != ResultsTab::Query>
                <QueryConsole has_run=Signal::derive(move || run_result.with(|r| r.is_some())) suggestions=query_examples() />
            </div>
        </section>
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ResultsTab {
    Run,
    Pipeline,
    Query,
}

/// Starting points for the console: what each layer of the pipeline
/// produces, from HotROD's own counter to the span metrics.
fn query_examples() -> Vec<String> {
    [
        "up",
        "sum by (pod) (rate(hotrod_requests_total[1m]))",
        "sum by (hotrod_pod_hash) (rate(traces_span_metrics_calls_total[2m]))",
        "histogram_quantile(0.95, sum by (le) (rate(traces_span_metrics_duration_milliseconds_bucket[2m])))",
        "count by (__name__) ({__name__=~\"traces_.*\"})",
    ]
    .into_iter()
    .map(String::from)
    .collect()
}

#[component]
fn ResultsTabs(active: RwSignal<ResultsTab>) -> impl IntoView {
    const TABS: [(ResultsTab, &str, &str); 3] = [
        (ResultsTab::Run, "run", "Run"),
        (ResultsTab::Pipeline, "pipeline", "Pipeline"),
        (ResultsTab::Query, "query", "Query console"),
    ];
    // Arrow keys, Home and End move between tabs, as in the file tabs.
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let now = TABS
            .iter()
            .position(|(t, _, _)| *t == active.get_untracked())
            .unwrap_or(0);
        let next = match ev.key().as_str() {
            "ArrowRight" => (now + 1) % TABS.len(),
            "ArrowLeft" => (now + TABS.len() - 1) % TABS.len(),
            "Home" => 0,
            "End" => TABS.len() - 1,
            _ => return,
        };
        ev.prevent_default();
        active.set(TABS[next].0);
        if let Some(tab) = document().get_element_by_id(&format!("results-tab-{}", TABS[next].1)) {
            use wasm_bindgen::JsCast;
            if let Ok(tab) = tab.dyn_into::<web_sys::HtmlElement>() {
                let _ = tab.focus();
            }
        }
    };
    view! {
        <div class="tabs" role="tablist" aria-label="Results" on:keydown=on_key>
            {TABS.into_iter().map(|(tab, id, label)| view! {
                <button role="tab" class="tab" id=format!("results-tab-{id}") aria-controls=format!("results-{id}")
                    aria-selected=move || (active.get() == tab).to_string()
                    tabindex=move || if active.get() == tab { "0" } else { "-1" }
                    on:click=move |_| active.set(tab)>{label}</button>
            }).collect_view()}
        </div>
    }
}

fn now_ms() -> f64 {
    window().performance().map_or(0.0, |p| p.now())
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
    diagnostics: RwSignal<Vec<Problem>>,
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
                            let (line, column) = (d.line, d.column);
                            let severity = d.severity.clone();
                            view! {
                                <li class=format!("finding {}", d.severity)>
                                    <button
                                        class="finding-jump"
                                        on:click=move |_| jump(file_index, line, column)
                                    >
                                        <span class="where">{format!("{line}:{column}")}</span>
                                        <span class="severity">{severity}</span>
                                        <code class="code">{d.code.clone()}</code>
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
