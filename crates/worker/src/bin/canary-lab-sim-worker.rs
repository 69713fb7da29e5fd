//! The web worker the playground starts on the first Run: it receives JSON
//! requests by `postMessage` and answers each with one JSON response.

#[cfg(target_arch = "wasm32")]
fn main() {
    use std::cell::RefCell;

    use canary_lab_worker::engine::Session;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    thread_local! {
        static SESSION: RefCell<Session> = RefCell::new(Session::new());
    }
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_to = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let request = event.data().as_string().unwrap_or_default();
        let response = SESSION.with(|s| s.borrow_mut().handle_json(&request));
        let _ = reply_to.post_message(&JsValue::from_str(&response));
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    // Tell the page the worker is ready; messages sent earlier are queued
    // by the browser until the handler is set, but this lets it show state.
    let ready = canary_lab_worker::protocol::Response::Ready.to_json();
    let _ = scope.post_message(&JsValue::from_str(&ready));
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("canary-lab-sim-worker runs inside a browser; natively, use `canary-lab simulate`");
    std::process::exit(2);
}
