//! Browser tests of the app shell, run by wasm-bindgen-test in headless Chromium.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn mount_lesson_list(lessons: Vec<std::sync::Arc<canary_lab_lessons::Lesson>>) -> web_sys::Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("section").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    // The editor needs the CodeMirror bundle, which the test harness does not
    // load; mount only the parts that do not touch it.
    let mount_host = host.clone();
    let handle = leptos::mount::mount_to(mount_host.unchecked_into(), move || {
        leptos::view! { <canary_lab::LessonList lessons=lessons.clone() current="04-idle-canary".to_string() /> }
    });
    handle.forget();
    host
}

#[wasm_bindgen_test]
async fn the_lesson_list_links_every_lesson_and_marks_the_open_one() {
    let lessons: Vec<_> = canary_lab_lessons::bundled()
        .into_iter()
        .map(|l| std::sync::Arc::new(l.unwrap()))
        .collect();
    let count = lessons.len();
    let host = mount_lesson_list(lessons);
    leptos::task::tick().await;
    let links = host
        .query_selector_all("[data-testid=lesson-link]")
        .unwrap();
    assert_eq!(links.length() as usize, count);
    let current = host
        .query_selector("[aria-current=page]")
        .unwrap()
        .expect("the open lesson is marked");
    assert_eq!(
        current.get_attribute("href").as_deref(),
        Some("?lesson=04-idle-canary")
    );
}

#[wasm_bindgen_test]
async fn an_empty_course_says_so() {
    let host = mount_lesson_list(Vec::new());
    leptos::task::tick().await;
    let html = host.inner_html();
    assert!(
        html.contains("No lessons yet."),
        "empty state missing: {html}"
    );
}

#[wasm_bindgen_test]
fn the_panic_banner_offers_a_way_out() {
    canary_lab::panic_banner::show("panicked at src/example.rs:1:1: boom");
    let document = web_sys::window().unwrap().document().unwrap();
    let banner = document
        .query_selector("[data-testid=panic-banner]")
        .unwrap()
        .expect("the banner is on the page");
    assert_eq!(banner.get_attribute("role").as_deref(), Some("alert"));
    let text = banner.text_content().unwrap_or_default();
    assert!(text.contains("boom"), "{text}");
    assert!(text.contains("Reset saved work and reload"), "{text}");
}
