//! The browser app's entry point (Trunk builds this binary for wasm32); the app is the library.

fn main() {
    moviematch_app::start();
}
