//! The player's entry point: Trunk builds this binary to wasm and index.html loads it.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    // A cmi5 launch first (its token, launch data and the learner's language), then the player.
    // Only an LMS package's player follows one (feature `lms`, see `ui::lms`).
    wasm_bindgen_futures::spawn_local(async {
        #[cfg(feature = "lms")]
        let cmi5 = parcours::web::cmi5::connect_if_launched().await;
        #[cfg(not(feature = "lms"))]
        let cmi5 = None;
        let app = move || parcours::ui::App(parcours::ui::AppProps { cmi5 });
        match parcours::web::PrerenderedPage::find() {
            // A page `build` wrote: the player renders beside it and takes its place once its
            // own page shows (the course or the catalog loaded), never on a "loading" frame.
            Some(page) => {
                let root = page.app_root();
                leptos::mount::mount_to(root, move || {
                    parcours::ui::when_page_shown(move || page.replace());
                    app()
                })
                .forget();
            }
            None => leptos::mount::mount_to_body(app),
        }
    });
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("parcours-player runs in a browser: build it with `trunk build` (see the README).");
    std::process::exit(2);
}
