//! Small inline SVG icons for the feedback buttons. Inline, like the star widget, so nothing
//! depends on an emoji font being installed (headless and some desktop systems have none) and
//! no request is made.

use yew::prelude::*;

/// Which icon.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Glyph {
    ThumbUp,
    ThumbDown,
    Bookmark,
    Check,
    Cross,
}

impl Glyph {
    /// A 24×24 path.
    fn path(self) -> &'static str {
        match self {
            Glyph::ThumbUp => "M2 21h4V9H2v12zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6V3a1.5 1.5 0 0 0-.5-1L13.2 1 7.6 7.6A2 2 0 0 0 7 9v10a2 2 0 0 0 2 2h9a2 2 0 0 0 1.8-1.2l3-7a2 2 0 0 0 .2-.8v-2z",
            Glyph::ThumbDown => "M22 3h-4v12h4V3zM2 14a2 2 0 0 0 2 2h6.3l-1 4.6v.3a1.5 1.5 0 0 0 .5 1l1 1.1 5.6-6.6a2 2 0 0 0 .6-1.4V5a2 2 0 0 0-2-2H6a2 2 0 0 0-1.8 1.2l-3 7A2 2 0 0 0 1 12v2z",
            Glyph::Bookmark => "M17 3H7a2 2 0 0 0-2 2v16l7-3 7 3V5a2 2 0 0 0-2-2z",
            Glyph::Check => "M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4z",
            Glyph::Cross => "M19 6.4 17.6 5 12 10.6 6.4 5 5 6.4 10.6 12 5 17.6 6.4 19 12 13.4 17.6 19 19 17.6 13.4 12z",
        }
    }
}

/// The icon, decorative (its button says what it does). A view function: a component would
/// cost the wasm its lifecycle code for nothing to keep.
pub fn icon(glyph: Glyph) -> Html {
    html! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d={glyph.path()} />
        </svg>
    }
}
