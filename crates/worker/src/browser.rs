//! The wasm glue both worker binaries share: read each `postMessage`
//! string, answer it through a handler, post the answer back.

use std::cell::RefCell;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::engine::Session;
use crate::protocol::{Request, Response};

thread_local! {
    static SESSION: RefCell<Session> = RefCell::new(Session::new());
}

/// Listens for requests until the worker is terminated.
pub fn serve(handler: fn(&mut Session, Request) -> Response) {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_to = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let request = event.data().as_string().unwrap_or_default();
        let response = SESSION.with(|s| s.borrow_mut().handle_json_with(&request, handler));
        let _ = reply_to.post_message(&JsValue::from_str(&response));
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    // Messages posted before the handler was set are lost (the wasm loads
    // asynchronously), so the page waits for this before sending any.
    let _ = scope.post_message(&JsValue::from_str(&Response::Ready.to_json()));
}
