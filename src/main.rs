//! Entry point of the browser app: install the panic banner, then mount.

fn main() {
    canary_lab::install_panic_banner();
    leptos::mount::mount_to_body(canary_lab::App);
}
