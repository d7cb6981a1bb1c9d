//! The MovieMatch browser app (Yew, client-side rendered). Built by Trunk with `--features app`.
//!
//! Layout: `state` (State, Action, pure reducer) · `app` (root component) · `components/` (views)
//! · `hooks/` (effects and memoised computation) · `services/` (fetch, storage, DOM, offline) ·
//! `format` (pure text helpers) · `certainty`, `popular`, `import` (pure helpers over the
//! engine; `import` turns a chosen file into a preview and its notices). The engine crate does
//! all the math; nothing here duplicates it.

mod app;
mod certainty;
mod components;
mod format;
mod hooks;
mod import;
mod popular;
mod services;
mod shared;
mod state;

fn main() {
    services::dom::keep_stray_drops_from_opening();
    yew::Renderer::<app::App>::new().render();
}
