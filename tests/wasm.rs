//! Browser tests of the app shell, run by wasm-bindgen-test in headless Chromium.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn lesson_list_shows_its_empty_state() {
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("section").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    // The editor needs the CodeMirror bundle, which the test harness does not
    // load; mount only the parts that do not touch it.
    let _handle = leptos::mount::mount_to(host.clone().unchecked_into(), canary_lab::LessonList);
    leptos::task::tick().await;
    let html = host.inner_html();
    assert!(
        html.contains("Lessons"),
        "lesson list heading missing: {html}"
    );
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
