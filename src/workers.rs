//! The page's side of its two workers: the lint worker, started with the
//! page, and the simulation worker, started on the first Run. Each starts on
//! its first request and again after a crash; requests are answered in
//! order, one reply each.

use std::cell::RefCell;
use std::collections::VecDeque;

use canary_lab_worker::protocol::{Request, Response};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{ErrorEvent, MessageEvent, Worker};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Which {
    Lint,
    Sim,
}

impl Which {
    /// Where Trunk puts the worker's loader, relative to the page's base URL.
    fn url(self) -> &'static str {
        match self {
            Which::Lint => "./canary-lab-lint-worker_loader.js",
            Which::Sim => "./canary-lab-sim-worker_loader.js",
        }
    }

    fn with<R>(self, f: impl FnOnce(&mut Client) -> R) -> R {
        match self {
            Which::Lint => LINT.with(|c| f(&mut c.borrow_mut())),
            Which::Sim => SIM.with(|c| f(&mut c.borrow_mut())),
        }
    }
}

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
    static LINT: RefCell<Client> = RefCell::new(Client::default());
    static SIM: RefCell<Client> = RefCell::new(Client::default());
}

/// Sends `request` to the worker and calls `on_reply` with its answer, or
/// with [`Response::Failed`] if the worker cannot start or crashes.
pub fn send(which: Which, request: &Request, on_reply: impl FnOnce(Response) + 'static) {
    let message = request.to_json();
    let started = which.with(|c| {
        c.waiting.push_back(Box::new(on_reply));
        if c.worker.is_none() {
            match start(which) {
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
        fail_all(
            which,
            &format!("the {} could not start: {problem}", which.name()),
        );
    }
}

impl Which {
    fn name(self) -> &'static str {
        match self {
            Which::Lint => "linter",
            Which::Sim => "simulator",
        }
    }
}

fn start(which: Which) -> Result<Worker, String> {
    let worker = Worker::new(which.url()).map_err(|e| describe(&e))?;
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let text = event.data().as_string().unwrap_or_default();
        match Response::from_json(&text) {
            Response::Ready => flush(which),
            reply => {
                let callback = which.with(|c| c.waiting.pop_front());
                if let Some(callback) = callback {
                    callback(reply);
                }
            }
        }
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
        event.prevent_default();
        let message = event.message();
        // A crashed worker is dropped; the next request starts a fresh one.
        which.with(|c| {
            if let Some(worker) = c.worker.take() {
                worker.terminate();
            }
            c.ready = false;
        });
        let name = which.name();
        fail_all(
            which,
            &if message.is_empty() {
                format!(
                    "the {name} stopped unexpectedly (its script may be missing from the server)"
                )
            } else {
                format!("the {name} stopped: {message}")
            },
        );
    });
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    Ok(worker)
}

/// The worker is listening: send what queued up while it loaded.
fn flush(which: Which) {
    which.with(|c| {
        c.ready = true;
        let unsent = std::mem::take(&mut c.unsent);
        if let Some(worker) = &c.worker {
            for message in unsent {
                let _ = worker.post_message(&JsValue::from_str(&message));
            }
        }
    });
}

fn fail_all(which: Which, message: &str) {
    let callbacks: Vec<Reply> = which.with(|c| {
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
