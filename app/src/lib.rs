//! The MovieMatch browser app (Yew, client-side rendered), as a library so that its pure parts
//! (the reducer, formatting, the list a visitor sees) are tested natively and by the
//! cross-front-end golden test; `main.rs` only starts it. Built by Trunk from `index.html`.
//!
//! Layout: `state/` (State, the reducer's `Msg` and the components' `Intent`, the pure
//! reducer, every notice's wording) · `app` (root component) · `components/` (views) · `hooks/`
//! (effects and memoised computation) · `services/` (fetch, storage, DOM, offline) · `format`
//! (pure text helpers, the one pluralising rule) · `popular`, `import` (pure helpers over the
//! engine; `import` turns a chosen file into a preview) · `by_address` (an `Rc` compared by
//! address, for props and hook keys). The engine crate does all the math; nothing here
//! duplicates it.

pub mod app;
pub mod by_address;
pub mod components;
pub mod format;
pub mod hooks;
pub mod import;
pub mod popular;
pub mod services;
pub mod state;

/// Starts the app in the page: the root component renders into `<body>`.
pub fn start() {
    services::dom::keep_stray_drops_from_opening();
    yew::Renderer::<app::App>::new().render();
}
