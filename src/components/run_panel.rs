//! The result of a Run, played back: the verdict at once, then a timeline
//! the learner can play, pause, step and scrub, with the Rollout, the
//! collector, the AnalysisRun table and every event up to the cursor.

use std::sync::Arc;
use std::time::Duration;

use canary_lab_worker::protocol::{CellView, ExplanationView, RunResult};
use leptos::prelude::*;

use crate::timeline::{analysis_at, end_s, events_by, frame_at, next_event_s, previous_event_s};

/// Playback ticks this often; each tick moves the cursor `speed / 10` s.
const TICK: Duration = Duration::from_millis(100);
const SPEEDS: [u32; 4] = [10, 30, 60, 120];

#[component]
pub fn RunPanel(
    result: RwSignal<Option<Arc<RunResult>>>,
    /// Simulated time at the cursor, shared with the charts.
    cursor: RwSignal<f64>,
) -> impl IntoView {
    let playing = RwSignal::new(false);
    let speed = RwSignal::new(30u32);
    let end = Memo::new(move |_| result.with(|r| r.as_deref().map_or(0.0, end_s)));

    // A new result plays from the start, unless the learner asked the
    // system for less motion: then it opens at the end.
    Effect::new(move |_| {
        if result.with(|r| r.is_some()) {
            let calm = window()
                .match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
                .is_some_and(|m| m.matches());
            if calm {
                cursor.set(end.get_untracked());
                playing.set(false);
            } else {
                cursor.set(0.0);
                playing.set(true);
            }
        }
    });

    let ticker = StoredValue::new_local(None::<IntervalHandle>);
    Effect::new(move |_| {
        if let Some(handle) = ticker.get_value() {
            handle.clear();
            ticker.set_value(None);
        }
        if playing.get() {
            let handle = set_interval_with_handle(
                move || {
                    let step = speed.get_untracked() as f64 * TICK.as_secs_f64();
                    let next = (cursor.get_untracked() + step).min(end.get_untracked());
                    cursor.set(next);
                    if next >= end.get_untracked() {
                        playing.set(false);
                    }
                },
                TICK,
            )
            .ok();
            ticker.set_value(handle);
        }
    });

    let step_forward = move |_| {
        playing.set(false);
        let next = result.with(|r| r.as_deref().and_then(|r| next_event_s(r, cursor.get())));
        if let Some(next) = next {
            cursor.set(next);
        }
    };
    let step_back = move |_| {
        playing.set(false);
        let previous = result.with(|r| {
            r.as_deref()
                .map_or(0.0, |r| previous_event_s(r, cursor.get()))
        });
        cursor.set(previous);
    };
    let toggle = move |_| {
        if !playing.get() && cursor.get() >= end.get() {
            cursor.set(0.0);
        }
        playing.update(|p| *p = !*p);
    };
    let to_end = move |_| {
        playing.set(false);
        cursor.set(end.get());
    };

    move || {
        let Some(run) = result.get() else {
            return view! {
                <p class="run-empty" data-testid="run-empty">
                    "Press Run to play the rollout: the collector, HotROD's spans, Prometheus's scrapes and every analysis measurement, simulated in your browser."
                </p>
            }
            .into_any();
        };
        let (good, summary) = (run.promoted, run.verdict.clone());
        let failed_objectives = run.objectives.iter().filter(|o| !o.passed).count();
        let run_for_state = run.clone();
        let run_for_table = run.clone();
        let run_for_log = run.clone();
        view! {
            <div class="run" data-testid="run-result" data-outcome=if good { "promoted" } else { "not-promoted" }>
                <p class=if good { "verdict ok" } else { "verdict bad" } role="status" data-testid="verdict">
                    {summary}
                </p>
                {(failed_objectives > 0).then(|| view! {
                    <p class="verdict-note">{format!("{failed_objectives} objective(s) still open: see the lesson's checklist.")}</p>
                })}
                <div class="timeline-controls" role="group" aria-label="Timeline">
                    <button on:click=step_back title="Previous event">"‹ Prev"</button>
                    <button on:click=toggle data-testid="play" aria-label=move || if playing.get() { "Pause" } else { "Play" }>
                        {move || if playing.get() { "⏸ Pause" } else { "▶ Play" }}
                    </button>
                    <button on:click=step_forward title="Next event">"Next ›"</button>
                    <button on:click=to_end data-testid="to-end" title="Jump to the end">"End"</button>
                    <input
                        type="range"
                        class="scrubber"
                        aria-label="Simulated time"
                        min="0"
                        step="0.1"
                        max=move || end.get().to_string()
                        prop:value=move || cursor.get().to_string()
                        on:input=move |ev| {
                            playing.set(false);
                            if let Ok(t) = event_target_value(&ev).parse::<f64>() {
                                cursor.set(t);
                            }
                        }
                        data-testid="scrubber"
                    />
                    <span class="clock" aria-live="off">{move || format!("t = {:.1} s", cursor.get())}</span>
                    <label class="speed">
                        "Speed "
                        <select on:change=move |ev| {
                            if let Ok(s) = event_target_value(&ev).parse() {
                                speed.set(s);
                            }
                        }>
                            {SPEEDS.iter().map(|s| view! {
                                <option value=s.to_string() selected=*s == 30>{format!("{s}×")}</option>
                            }).collect_view()}
                        </select>
                    </label>
                </div>
                <ClusterState run=run_for_state cursor=cursor />
                <AnalysisTable run=run_for_table cursor=cursor />
                <Charts run=run.clone() cursor=cursor />
                <EventLog run=run_for_log cursor=cursor />
            </div>
        }
        .into_any()
    }
}

#[component]
fn ClusterState(run: Arc<RunResult>, cursor: RwSignal<f64>) -> impl IntoView {
    let frame = Memo::new(move |_| frame_at(&run, cursor.get()));
    view! {
        <div class="cluster" data-testid="cluster-state">
            <section class="card" aria-label="Rollout">
                <h3>"Rollout"</h3>
                <p>
                    <span class=move || format!("phase {}", frame.with(|f| f.phase.to_lowercase()))>
                        {move || frame.with(|f| if f.phase.is_empty() { "not started".to_string() } else { f.phase.clone() })}
                    </span>
                    {move || frame.with(|f| format!(" · step {}/{}", f.steps_done, f.total_steps))}
                </p>
                <div class="weight" role="meter" aria-label="Canary weight" aria-valuemin="0" aria-valuemax="100"
                    aria-valuenow=move || frame.with(|f| f.weight.to_string())>
                    <div class="weight-bar" style=move || format!("width: {}%", frame.with(|f| f.weight))></div>
                </div>
                <p class="muted">{move || frame.with(|f| format!("canary weight {}%", f.weight))}</p>
            </section>
            <section class="card" aria-label="Pods">
                <h3>"Pods"</h3>
                <p>{move || frame.with(|f| format!("stable × {} — {}", f.stable_pods, f.stable_image.clone().unwrap_or_else(|| "-".into())))}</p>
                <p>{move || frame.with(|f| format!("canary × {} — {}", f.canary_pods, f.canary_image.clone().unwrap_or_else(|| "-".into())))}</p>
            </section>
            <section class="card" aria-label="Collector">
                <h3>"Collector"</h3>
                <p class=move || format!("collector {}", frame.with(|f| f.collector.to_lowercase()))>
                    {move || frame.with(|f| f.collector.clone())}
                </p>
            </section>
        </div>
    }
}

#[component]
fn AnalysisTable(run: Arc<RunResult>, cursor: RwSignal<f64>) -> impl IntoView {
    let tables = Memo::new(move |_| analysis_at(&run, cursor.get()));
    view! {
        <section class="analysis" aria-label="AnalysisRuns" data-testid="analysis">
            <h3>"AnalysisRun"</h3>
            {move || {
                let tables = tables.get();
                if tables.is_empty() {
                    return view! { <p class="muted">"No AnalysisRun has started yet."</p> }.into_any();
                }
                tables.into_iter().map(|table| view! {
                    <div class="analysis-run">
                        <p>
                            <code>{table.name.clone()}</code>" "
                            <span class=format!("phase {}", table.phase.to_lowercase())>{table.phase.clone()}</span>
                            {(!table.message.is_empty()).then(|| format!(" — {}", table.message))}
                        </p>
                        <table>
                            <thead><tr><th scope="col">"metric"</th><th scope="col">"phase"</th><th scope="col">"measurements (value · verdict)"</th></tr></thead>
                            <tbody>
                                {table.rows.into_iter().map(|row| view! {
                                    <tr data-metric=row.metric.clone()>
                                        <th scope="row">
                                            <code>{row.metric.clone()}</code>
                                            {row.condition.clone().map(|c| view! { <div class="condition"><code>{c}</code></div> })}
                                        </th>
                                        <td class=format!("phase {}", row.phase.to_lowercase())>{row.phase.clone()}</td>
                                        <td class="cells">
                                            {row.cells.into_iter().map(|cell| view! { <MeasurementCell cell=cell /> }).collect_view()}
                                        </td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }).collect_view().into_any()
            }}
        </section>
    }
}

/// Each analysis query over the run against its threshold (drawn by the
/// worker), with the timeline's cursor laid over the plot.
#[component]
fn Charts(run: Arc<RunResult>, cursor: RwSignal<f64>) -> impl IntoView {
    let charts = run
        .charts
        .iter()
        .map(|chart| {
            let drawing = chart.drawing.clone();
            let span = (drawing.x1_s - drawing.x0_s).max(1e-9);
            let cursor_style = move || {
                let t = cursor.get();
                if t < drawing.x0_s || t > drawing.x1_s {
                    return "display: none".to_string();
                }
                let pct = drawing.left_pct
                    + (t - drawing.x0_s) / span * (drawing.right_pct - drawing.left_pct);
                format!("left: {pct:.2}%")
            };
            view! {
                <figure class="chart-box" data-testid="chart" data-metric=chart.metric.clone()>
                    <figcaption>
                        <code>{chart.metric.clone()}</code>
                        {chart.condition.clone().map(|c| view! { " — " <code>{c}</code> })}
                    </figcaption>
                    <div class="chart-plot">
                        <div class="chart-svg" inner_html=chart.drawing.svg.clone()></div>
                        <div class="chart-cursor" aria-hidden="true" style=cursor_style></div>
                    </div>
                </figure>
            }
        })
        .collect_view();
    view! {
        <section class="charts" aria-label="Analysis queries over time">
            <h3>"Queries over time"</h3>
            {charts}
        </section>
    }
}

#[component]
fn MeasurementCell(cell: CellView) -> impl IntoView {
    let value = cell.value.clone().unwrap_or_else(|| "no value".to_string());
    let class = format!("cell {}", cell.phase.to_lowercase());
    let explained = !cell.explanations.is_empty() || cell.message.is_some();
    view! {
        <div class=class data-testid="measurement" data-phase=cell.phase.clone()>
            <span class="at">{format!("{:.0}s", cell.t_s)}</span>
            <span class="value">{value}</span>
            <span class="phase-name">{cell.phase.clone()}</span>
            {explained.then(|| view! {
                <details class="why">
                    <summary>"why?"</summary>
                    {cell.message.clone().map(|m| view! { <p class="message">{m}</p> })}
                    <Explanations items=cell.explanations.clone() />
                </details>
            })}
        </div>
    }
}

#[component]
fn Explanations(items: Vec<ExplanationView>) -> impl IntoView {
    view! {
        <ul class="explanations" data-testid="explanation">
            {items.into_iter().map(|x| view! {
                <li>
                    {x.reason.clone()}
                    {x.lint_code.clone().map(|code| view! {
                        " "<a href=format!("rules/{code}.html") target="_blank" rel="noopener">{format!("({code})")}</a>
                    })}
                </li>
            }).collect_view()}
        </ul>
    }
}

#[component]
fn EventLog(run: Arc<RunResult>, cursor: RwSignal<f64>) -> impl IntoView {
    let shown = Memo::new({
        let run = run.clone();
        move |_| events_by(&run, cursor.get())
    });
    let total = run.events.len();
    view! {
        <section class="events" aria-label="Events">
            <h3>{move || format!("Events ({} of {total})", shown.get())}</h3>
            <ol class="event-log" data-testid="event-log">
                {move || {
                    let n = shown.get();
                    run.events[..n].iter().enumerate().rev().map(|(i, e)| {
                        view! {
                            <li class:latest=i + 1 == n>
                                <span class="at">{format!("{:>6.1}s", e.t_s)}</span>
                                <span class="component">{e.component.clone()}</span>
                                <span class="message">{e.message.clone()}</span>
                            </li>
                        }
                    }).collect_view()
                }}
            </ol>
        </section>
    }
}
