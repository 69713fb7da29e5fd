//! The page's side of the simulation worker: started on the first request,
//! so the simulator is not part of the first load, and restarted after a
//! crash. Requests are answered in order, one reply each.

use std::cell::RefCell;
use std::collections::VecDeque;

use canary_lab_worker::protocol::{Request, Response};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{ErrorEvent, MessageEvent, Worker};

/// Where Trunk puts the worker's loader, relative to the page's base URL.
const WORKER_URL: &str = "./canary-lab-sim-worker_loader.js";

type Reply = Box<dyn FnOnce(Response)>;

#[derive(Default)]
struct Client {
    worker: Option<Worker>,
    ready: bool,
    /// Requests waiting for the worker to load.
    unsent: Vec<String>,
    /// Callbacks of requests sent, oldest first.
    waiting: VecDeque<Reply>,
}

thread_local! {
    static CLIENT: RefCell<Client> = RefCell::new(Client::default());
}

/// Sends `request` to the worker and calls `on_reply` with its answer, or
/// with [`Response::Failed`] if the worker cannot start or crashes.
pub fn send(request: &Request, on_reply: impl FnOnce(Response) + 'static) {
    let message = request.to_json();
    let started = CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        c.waiting.push_back(Box::new(on_reply));
        if c.worker.is_none() {
            match start() {
                Ok(worker) => c.worker = Some(worker),
                Err(problem) => return Err(problem),
            }
        }
        if c.ready {
            if let Some(worker) = &c.worker {
                let _ = worker.post_message(&JsValue::from_str(&message));
            }
        } else {
            c.unsent.push(message);
        }
        Ok(())
    });
    if let Err(problem) = started {
        fail_all(&format!("the simulator could not start: {problem}"));
    }
}

fn start() -> Result<Worker, String> {
    let worker = Worker::new(WORKER_URL).map_err(|e| describe(&e))?;
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| {
        let text = event.data().as_string().unwrap_or_default();
        match Response::from_json(&text) {
            Response::Ready => flush(),
            reply => {
                let callback = CLIENT.with(|c| c.borrow_mut().waiting.pop_front());
                if let Some(callback) = callback {
                    callback(reply);
                }
            }
        }
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(|event: ErrorEvent| {
        event.prevent_default();
        let message = event.message();
        // A crashed worker is dropped; the next request starts a fresh one.
        CLIENT.with(|c| {
            let mut c = c.borrow_mut();
            if let Some(worker) = c.worker.take() {
                worker.terminate();
            }
            c.ready = false;
        });
        fail_all(&if message.is_empty() {
            "the simulator stopped unexpectedly (its script may be missing from the server)"
                .to_string()
        } else {
            format!("the simulator stopped: {message}")
        });
    });
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    Ok(worker)
}

/// The worker is listening: send what queued up while it loaded.
fn flush() {
    CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        c.ready = true;
        let unsent = std::mem::take(&mut c.unsent);
        if let Some(worker) = &c.worker {
            for message in unsent {
                let _ = worker.post_message(&JsValue::from_str(&message));
            }
        }
    });
}

fn fail_all(message: &str) {
    let callbacks: Vec<Reply> = CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        c.unsent.clear();
        c.waiting.drain(..).collect()
    });
    for callback in callbacks {
        callback(Response::Failed {
            message: message.to_string(),
        });
    }
}

fn describe(value: &JsValue) -> String {
    value
        .as_string()
        .or_else(|| {
            value
                .dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| "unknown error".into())
}
