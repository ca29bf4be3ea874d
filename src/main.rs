//! The player's entry point: Trunk builds this binary to wasm and index.html loads it.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    // A cmi5 launch first (its token, launch data and the learner's language), then the player.
    wasm_bindgen_futures::spawn_local(async {
        let cmi5 = parcours::web::cmi5::connect_if_launched().await;
        leptos::mount::mount_to_body(move || parcours::ui::App(parcours::ui::AppProps { cmi5 }));
    });
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("parcours-player runs in a browser: build it with `trunk build` (see the README).");
    std::process::exit(2);
}
