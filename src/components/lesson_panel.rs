//! The open lesson: its story, the objectives ticking themselves, hints one
//! at a time, and the solution behind a spoiler guard, as a diff against the
//! learner's own text.

use std::sync::Arc;

use canary_lab_lessons::Lesson;
use leptos::prelude::*;

use crate::diff::{self, Line};
use crate::markdown::{blocks, Block, Span};

/// One objective as the checklist shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectiveView {
    pub text: String,
    /// `None` until a run decides it.
    pub passed: Option<bool>,
    pub detail: String,
    /// Decided by the last run rather than by lint on the current text.
    pub from_run: bool,
}

/// Lesson text (Markdown subset) as paragraphs.
#[component]
pub fn Prose(text: String) -> impl IntoView {
    blocks(&text)
        .into_iter()
        .map(|block| match block {
            Block::Paragraph(spans) => view! { <p>{inline_view(spans)}</p> }.into_any(),
            Block::List(items) => view! {
                <ul>{items.into_iter().map(|i| view! { <li>{inline_view(i)}</li> }).collect_view()}</ul>
            }
            .into_any(),
        })
        .collect_view()
}

fn inline_view(spans: Vec<Span>) -> impl IntoView {
    spans
        .into_iter()
        .map(|span| match span {
            Span::Text(t) => t.into_any(),
            Span::Code(t) => view! { <code>{t}</code> }.into_any(),
            Span::Strong(t) => view! { <strong>{t}</strong> }.into_any(),
            Span::Emphasis(t) => view! { <em>{t}</em> }.into_any(),
        })
        .collect_view()
}

#[component]
pub fn LessonPanel(
    lesson: Arc<Lesson>,
    objectives: Signal<Vec<ObjectiveView>>,
    /// The learner's files now (path, text), for the solution diff.
    current: Signal<Vec<(String, String)>>,
    /// A compact layout (embed): the story starts folded.
    compact: bool,
) -> impl IntoView {
    let manifest = &lesson.manifest;
    let hints = manifest.hints.clone();
    let hint_count = hints.len();
    let shown_hints = RwSignal::new(0usize);
    let solution_shown = RwSignal::new(false);
    let solution = lesson.solution.clone();
    let level = format!("{:?}", manifest.level).to_lowercase();

    let checklist = move || {
        objectives
            .get()
            .into_iter()
            .map(|o| {
                let (state, mark, label) = match o.passed {
                    Some(true) => ("passed", "✓", "done"),
                    Some(false) => ("failed", "✗", "not yet"),
                    None => ("waiting", "○", "press Run to check"),
                };
                view! {
                    <li class=format!("objective {state}") data-testid="objective" data-state=state>
                        <span class="mark" aria-hidden="true">{mark}</span>
                        <span class="visually-hidden">{format!("{label}: ")}</span>
                        <span class="text">{inline_view(crate::markdown::inline(&o.text))}</span>
                        {(!o.detail.is_empty()).then(|| view! {
                            <span class="detail">
                                {o.detail.clone()}
                                {o.from_run.then_some(" (last run)")}
                            </span>
                        })}
                    </li>
                }
            })
            .collect_view()
    };
    let done = move || {
        let all = objectives.get();
        !all.is_empty() && all.iter().all(|o| o.passed == Some(true))
    };

    let solution_view = move || {
        if !solution_shown.get() {
            return None;
        }
        let current = current.get();
        let files = solution
            .iter()
            .map(|(path, solved)| {
                let mine = current
                    .iter()
                    .find(|(p, _)| p == path)
                    .map(|(_, t)| t.clone())
                    .unwrap_or_default();
                let body = if diff::differs(&mine, solved) {
                    diff::lines(&mine, solved)
                        .into_iter()
                        .map(|line| match line {
                            Line::Same(t) => view! { <span class="same">{format!("  {t}\n")}</span> }.into_any(),
                            Line::Added(t) => view! { <ins class="added">{format!("+ {t}\n")}</ins> }.into_any(),
                            Line::Removed(t) => view! { <del class="removed">{format!("- {t}\n")}</del> }.into_any(),
                        })
                        .collect_view()
                        .into_any()
                } else {
                    view! { <span class="same">"Your text already matches the solution."</span> }.into_any()
                };
                view! {
                    <h4><code>{path.clone()}</code></h4>
                    <pre class="diff" aria-label=format!("Differences between your {path} and the solution")>{body}</pre>
                }
            })
            .collect_view();
        Some(view! {
            <div class="solution" data-testid="solution-diff">
                <p class="muted">"Lines starting with − are yours and not in the solution; lines with + are the solution's."</p>
                {files}
            </div>
        })
    };

    view! {
        <section class="lesson" aria-labelledby="lesson-title" data-testid="lesson" data-lesson=manifest.id.clone()>
            <header class="lesson-head">
                <h2 id="lesson-title">{manifest.title.clone()}</h2>
                <span class=format!("level {level}")>{level.clone()}</span>
                {move || done().then(|| view! { <span class="lesson-done" data-testid="lesson-done">"✓ all objectives met"</span> })}
            </header>
            <details class="story" open=!compact>
                <summary>"The story"</summary>
                <Prose text=manifest.story.clone() />
            </details>
            <h3>"Objectives"</h3>
            <ul class="objectives" data-testid="objectives" aria-live="polite">{checklist}</ul>
            <div class="hints" data-testid="hints">
                <h3>"Hints"</h3>
                <ol>
                    {move || hints.iter().take(shown_hints.get()).map(|h| view! {
                        <li data-testid="hint"><Prose text=h.clone() /></li>
                    }).collect_view()}
                </ol>
                {move || (shown_hints.get() < hint_count).then(|| view! {
                    <button data-testid="next-hint" on:click=move |_| shown_hints.update(|n| *n += 1)>
                        {if shown_hints.get() == 0 { "Show a hint".to_string() } else { format!("Next hint ({} of {hint_count})", shown_hints.get() + 1) }}
                    </button>
                })}
            </div>
            {(!lesson.solution.is_empty()).then(|| view! {
                <div class="spoiler">
                    {move || (!solution_shown.get()).then(|| view! {
                        <button data-testid="show-solution" on:click=move |_| {
                            let sure = window()
                                .confirm_with_message("Show the solution? Trying the hints first teaches more.")
                                .unwrap_or(false);
                            if sure {
                                solution_shown.set(true);
                            }
                        }>"Show the solution (spoiler)"</button>
                    })}
                    {solution_view}
                </div>
            })}
        </section>
    }
}
