//! The app shell: header, the lesson list and the open lesson's playground.

use std::sync::Arc;

use canary_lab_lessons::{bundled, Lesson};
use leptos::prelude::*;

use crate::components::playground::Playground;
use crate::embed::{report_height_to_parent, PageOptions};

/// The lesson the query names, or the first one (with a notice when the
/// named one does not exist).
fn choose(lessons: &[Arc<Lesson>], wanted: Option<&str>) -> (Option<Arc<Lesson>>, Option<String>) {
    let first = lessons.first().cloned();
    match wanted {
        None => (first, None),
        Some(id) => match lessons.iter().find(|l| l.manifest.id == id) {
            Some(lesson) => (Some(lesson.clone()), None),
            None => (
                first,
                Some(format!("There is no lesson `{id}`; here is the first one.")),
            ),
        },
    }
}

/// Every lesson compiled into the app. A malformed one cannot ship (the
/// lesson test walks them all), so skipping errors loses nothing real.
fn lessons() -> Vec<Arc<Lesson>> {
    bundled()
        .into_iter()
        .filter_map(Result::ok)
        .map(Arc::new)
        .collect()
}

#[component]
pub fn App() -> impl IntoView {
    let options = PageOptions::current();
    let lessons = lessons();
    let (lesson, notice) = choose(&lessons, options.lesson.as_deref());
    let Some(lesson) = lesson else {
        return view! { <p class="notice" role="alert">"This build has no lessons."</p> }
            .into_any();
    };
    let notice =
        notice.map(|text| view! { <p class="notice" role="alert" data-testid="notice">{text}</p> });
    if options.embed {
        report_height_to_parent();
        return view! {
            <main class="workspace embed" aria-label="Canary Lab">
                {notice}
                <Playground lesson=lesson compact=true />
            </main>
        }
        .into_any();
    }
    let current = lesson.manifest.id.clone();
    view! {
        <header class="app-header">
            <h1>"Canary Lab"</h1>
            <span class="tagline">"Gate a canary release on telemetry, in your browser"</span>
        </header>
        <div class="layout">
            <LessonList lessons=lessons current=current />
            <main class="workspace" aria-label="Workspace">
                {notice}
                <Playground lesson=lesson />
            </main>
        </div>
    }
    .into_any()
}

/// The course, in order; each entry opens its lesson (a page load, so every
/// lesson starts from its own saved state).
#[component]
pub fn LessonList(lessons: Vec<Arc<Lesson>>, current: String) -> impl IntoView {
    let items = lessons
        .iter()
        .enumerate()
        .map(|(i, lesson)| {
            let m = &lesson.manifest;
            let is_current = m.id == current;
            let done = lesson_done(&m.id);
            view! {
                <li class:current=is_current class:done=done>
                    <a
                        href=format!("?lesson={}", m.id)
                        aria-current=is_current.then_some("page")
                        title=m.summary.clone()
                        data-testid="lesson-link"
                    >
                        <span class="number">{format!("{}.", i + 1)}</span>
                        " "
                        {m.title.clone()}
                        {done.then(|| view! { <span class="done-mark" aria-label="done">" ✓"</span> })}
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="lesson-list" aria-label="Lessons">
            <h2>"Lessons"</h2>
            {if lessons.is_empty() {
                view! { <p class="empty" data-testid="lesson-list-empty">"No lessons yet."</p> }.into_any()
            } else {
                view! { <ol>{items}</ol> }.into_any()
            }}
        </nav>
    }
}

fn lesson_done(id: &str) -> bool {
    crate::progress::is_done(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_picks_the_lesson_or_explains() {
        let all = lessons();
        assert!(all.len() >= 11);
        let (first, notice) = choose(&all, None);
        assert_eq!(first.unwrap().manifest.id, all[0].manifest.id);
        assert!(notice.is_none());
        let (five, _) = choose(&all, Some("05-hyperspace-operations"));
        assert_eq!(five.unwrap().manifest.id, "05-hyperspace-operations");
        let (fallback, notice) = choose(&all, Some("nope"));
        assert_eq!(fallback.unwrap().manifest.id, all[0].manifest.id);
        assert!(notice.unwrap().contains("`nope`"));
    }
}
