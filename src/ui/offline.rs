//! Offline: registers the service worker (`public/sw.js`, whose precache
//! list of the build's files `tools/trunk-post-build.mjs` writes), so that
//! after one visit the page — and every lesson, embedded in the wasm —
//! loads with the network off.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Registers `sw.js` (next to the page, so its scope is the page's folder).
/// Not in debug builds (a cache-first worker would serve the previous build
/// while developing), nor where the browser has no service workers (an
/// insecure context).
pub fn register_service_worker() {
    if cfg!(debug_assertions) {
        return;
    }
    let navigator = window().navigator();
    let available = js_sys::Reflect::get(&navigator, &JsValue::from_str("serviceWorker"))
        .is_ok_and(|container| !container.is_undefined() && !container.is_null());
    if !available {
        return;
    }
    let promise = navigator.service_worker().register("./sw.js");
    let failed = Closure::once_into_js(move |e: JsValue| {
        leptos::logging::warn!("driftlab works online only: the offline cache could not be set up ({e:?})");
    });
    if let Ok(catch) = js_sys::Reflect::get(&promise, &JsValue::from_str("catch")) {
        let _ = catch.unchecked_into::<js_sys::Function>().call1(&promise, &failed);
    }
}
