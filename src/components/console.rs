//! The query console: any PromQL against the last run's Prometheus, at any
//! simulated time, as a table and as lines over the run.

use canary_lab_worker::protocol::{QueryResult, Request, Response};
use leptos::prelude::*;

use crate::workers::{self, Which};

#[component]
pub fn QueryConsole(
    /// Whether a run has finished (queries read its Prometheus).
    has_run: Signal<bool>,
    /// Example queries (the lesson's analysis queries and a few basics).
    suggestions: Vec<String>,
) -> impl IntoView {
    let expr = RwSignal::new(String::from(
        "sum by (pod) (rate(hotrod_requests_total[1m]))",
    ));
    let at_s = RwSignal::new(150.0f64);
    let busy = RwSignal::new(false);
    let result = RwSignal::new(None::<QueryResult>);
    let problem = RwSignal::new(None::<String>);
    let run_query = move || {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let request = Request::Query {
            expr: expr.get_untracked(),
            at_s: at_s.get_untracked(),
        };
        workers::send(Which::Sim, &request, move |reply| {
            busy.set(false);
            match reply {
                Response::Queried(r) => {
                    problem.set(None);
                    result.set(Some(r));
                }
                Response::Failed { message } => problem.set(Some(message)),
                other => problem.set(Some(format!("unexpected reply: {other:?}"))),
            }
        });
    };
    let examples = suggestions
        .into_iter()
        .map(|q| {
            let shown = q.clone();
            view! {
                <li><button class="example" on:click=move |_| { expr.set(q.clone()); run_query(); }><code>{shown}</code></button></li>
            }
        })
        .collect_view();
    view! {
        <section class="console" aria-label="Query console" data-testid="query-console">
            {move || (!has_run.get()).then(|| view! {
                <p class="muted">"Queries read the Prometheus of the last Run: press Run first."</p>
            })}
            <form class="console-form" on:submit=move |ev| { ev.prevent_default(); run_query(); }>
                <label class="console-expr">
                    "PromQL "
                    <input type="text" spellcheck="false" data-testid="query-input"
                        prop:value=move || expr.get()
                        on:input=move |ev| expr.set(event_target_value(&ev)) />
                </label>
                <label>
                    "at "
                    <input type="number" min="0" step="10" class="console-time" data-testid="query-time"
                        prop:value=move || at_s.get().to_string()
                        on:input=move |ev| if let Ok(t) = event_target_value(&ev).parse() { at_s.set(t) } />
                    " s"
                </label>
                <button type="submit" data-testid="query-run" disabled=move || busy.get()>"Run query"</button>
            </form>
            <details class="examples">
                <summary>"Examples"</summary>
                <ul>{examples}</ul>
            </details>
            {move || problem.get().map(|p| view! { <p class="notice" role="alert" data-testid="query-error">{p}</p> })}
            {move || result.get().map(|r| match r.error {
                Some(error) => view! {
                    <div class="query-error" role="alert" data-testid="query-error">
                        <pre>{format!("{}\n{}^", r.expr, " ".repeat(error.column.unwrap_or(1).saturating_sub(1)))}</pre>
                        <p>{error.message}</p>
                    </div>
                }.into_any(),
                None => view! {
                    <div class="query-result">
                        <p class="muted">{format!("{} at {:.0} s: {} row(s)", r.kind, r.at_s, r.rows.len())}</p>
                        {r.rows.is_empty().then(|| view! {
                            <p class="empty-result">"An empty result. In an AnalysisTemplate, `result[0]` on it is what Argo reports as `reflect: slice index out of range`: check the metric name and every label matcher against what Prometheus holds."</p>
                        })}
                        <table data-testid="query-table">
                            <thead><tr><th scope="col">"series"</th><th scope="col">"value"</th></tr></thead>
                            <tbody>
                                {r.rows.into_iter().map(|row| view! {
                                    <tr><td><code>{if row.labels.is_empty() { "{}".to_string() } else { row.labels }}</code></td><td>{row.value}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        {r.drawing.map(|d| view! { <div class="chart-svg" inner_html=d.svg></div> })}
                    </div>
                }.into_any(),
            })}
        </section>
    }
}
