//! A panic must never leave a blank page: the hook logs it, then puts a
//! banner on top of whatever is there, with a way out that resets saved
//! state and reloads. Plain DOM calls, because Leptos may be what broke.

use wasm_bindgen::prelude::*;

pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show(&info.to_string());
    }));
}

/// Puts the banner on the page; the panic hook calls it.
pub fn show(detail: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = document.body() else {
        return;
    };
    let Ok(banner) = document.create_element("div") else {
        return;
    };
    banner.set_class_name("panic-banner");
    let _ = banner.set_attribute("role", "alert");
    let _ = banner.set_attribute("data-testid", "panic-banner");
    let message = document.create_element("p").ok();
    if let Some(message) = &message {
        message.set_text_content(Some(
            "Canary Lab hit an internal error. Your edits are saved in this browser. \
             Reload to continue, or reset if the error comes back.",
        ));
        let _ = banner.append_child(message);
    }
    if let Ok(details) = document.create_element("pre") {
        details.set_text_content(Some(detail));
        let _ = banner.append_child(&details);
    }
    if let Ok(button) = document.create_element("button") {
        button.set_text_content(Some("Reset saved work and reload"));
        let on_click = Closure::<dyn FnMut()>::new(|| {
            crate::persist::forget_everything();
            if let Some(window) = web_sys::window() {
                let _ = window.location().set_hash("");
                let _ = window.location().reload();
            }
        });
        let _ = button.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
        // The page is going down with the panic; the listener must outlive this call.
        on_click.forget();
        let _ = banner.append_child(&button);
    }
    let _ = body.prepend_with_node_1(&banner);
}
