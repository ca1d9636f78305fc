//! The page's entry point: installs the panic hook and mounts the app.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(driftlab::ui::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("driftlab-web is the page; build it with `./dev build` (Trunk, wasm32). Natively, use `driftlab`.");
    std::process::exit(2);
}
