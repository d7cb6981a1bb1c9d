//! "Share my ratings": the link (the page's address plus `#share=` and the engine's compact
//! encoding of the ratings in force) in a read-only field, with a Copy button; or, when the
//! ratings make a link longer than the decoder reads, a line saying so.

use std::rc::Rc;

use moviematch::Profile;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::format::count;
use crate::services::dom;
use crate::services::streams::deflate_raw;
use moviematch::share;
// The longest link data (after `#share=`) `moviematch::share::decode` reads.
use moviematch::share::MAX_LINK;

/// The share link with link `data` (for `ratings` ratings) on the page at `address`, or, when
/// the data is longer than the decoder reads (thousands of ratings), what to say instead.
pub fn share_link(address: &str, data: String, ratings: usize) -> Result<String, String> {
    if data.len() > MAX_LINK {
        return Err(format!(
            "Your {} make a link too long to share; use “Download my data” instead.",
            count(ratings, "rating", "ratings")
        ));
    }
    Ok(format!(
        "{address}#{}{data}",
        moviematch::share::FRAGMENT_KEY
    ))
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub profile: Rc<Profile>,
}

/// What the last press of "Copy" did.
#[derive(Clone, Copy, PartialEq)]
enum Copied {
    Not,
    Yes,
    /// No Clipboard API (or refused): the link is selected for the visitor to copy.
    Selected,
}

#[function_component(ShareBox)]
pub fn share_box(props: &Props) -> Html {
    let open = use_state(|| false);
    let copied = use_state(|| Copied::Not);
    let field = use_node_ref();
    // Made when the box opens (and again when the ratings change while it is open): the
    // browser deflates the ratings asynchronously (`services::fetch::deflate_raw`).
    let made = use_state(|| None::<Result<String, String>>);
    {
        let made = made.clone();
        use_effect_with((*open, props.profile.clone()), move |(open, profile)| {
            if *open {
                let profile = profile.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let plain = share::plain_payload(&share::ratings_of(&profile));
                    let deflated = deflate_raw(&plain[1..]).await;
                    let data = share::link_data(plain, deflated);
                    let address = dom::page_address().unwrap_or_default();
                    made.set(Some(share_link(&address, data, profile.ratings().len())));
                });
            } else {
                made.set(None);
            }
        });
    }
    let toggle = {
        let (open, copied) = (open.clone(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            open.set(!*open);
            copied.set(Copied::Not);
        })
    };
    let button = html! {
        <button type="button" class="btn small ghost share-toggle" onclick={toggle}
                aria-expanded={(*open).to_string()} data-testid="share-open">
            { if *open { "Hide share link" } else { "Share my ratings" } }
        </button>
    };
    if !*open {
        return html! { <div class="share">{ button }</div> };
    }
    let link = match (*made).clone() {
        None => return html! { <div class="share">{ button }</div> },
        Some(Ok(link)) => link,
        Some(Err(why)) => {
            return html! {
                <div class="share">
                    { button }
                    <div class="share-link" data-testid="share-box">
                        <p class="hint" role="status" data-testid="share-too-long">{ why }</p>
                    </div>
                </div>
            }
        }
    };
    let select = |field: &NodeRef| {
        if let Some(input) = field.cast::<HtmlInputElement>() {
            input.select();
        }
    };
    let on_copy = {
        let (copied, field, link) = (copied.clone(), field.clone(), link.clone());
        Callback::from(move |_: MouseEvent| {
            let (copied, field, link) = (copied.clone(), field.clone(), link.clone());
            wasm_bindgen_futures::spawn_local(async move {
                if dom::copy_text(&link).await {
                    copied.set(Copied::Yes);
                } else {
                    select(&field);
                    copied.set(Copied::Selected);
                }
            });
        })
    };
    let on_focus = {
        let field = field.clone();
        Callback::from(move |_: FocusEvent| select(&field))
    };
    let status = match *copied {
        Copied::Not => "",
        Copied::Yes => "Copied.",
        Copied::Selected => "Selected: press Ctrl+C (⌘C) to copy.",
    };
    html! {
        <div class="share">
            { button }
            <div class="share-link" data-testid="share-box">
                <label class="visually-hidden" for="share-link">{ "Share link" }</label>
                <div class="share-row">
                    <input id="share-link" type="text" readonly=true value={link} ref={field}
                           onfocus={on_focus} data-testid="share-link" spellcheck="false" />
                    <button type="button" class="btn small" onclick={on_copy} data-testid="share-copy">{ "Copy" }</button>
                </div>
                <p class="hint share-status" role="status" aria-live="polite">{ status }</p>
                <p class="hint">
                    { "The link carries only your ratings, and they sit in the part after #, which browsers never send to any server." }
                </p>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use moviematch::share::{decode, encode_profile, ShareError};
    use moviematch::{Scale, StableId};

    #[test]
    fn the_limit_is_the_decoder_s() {
        // Data one character over the limit is refused unread; at the limit it is read (and
        // found damaged, being all "A"s).
        let over = "A".repeat(MAX_LINK + 1);
        assert_eq!(decode(&over), Err(ShareError::NotALink));
        let at = "A".repeat(MAX_LINK);
        assert_ne!(decode(&at), Err(ShareError::NotALink));
    }

    #[test]
    fn a_link_too_long_to_open_is_not_offered() {
        let mut small = Profile::default();
        small.rate(StableId::Movielens(1), 4.0, Scale::Stars, 1);
        let link =
            share_link("https://x.example/mm/", encode_profile(&small), 1).expect("a short link");
        assert!(link.starts_with("https://x.example/mm/#share="));
        assert_eq!(decode(&link).unwrap().len(), 1);

        // Thousands of ratings of scattered movies (pseudo-random ids and values, which do
        // not deflate away).
        let mut big = Profile::default();
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..60_000 {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let id = (x >> 33) as u32 % 5_000_000;
            let value = 0.5 * (1 + (x >> 20) % 10) as f32;
            big.rate(StableId::Imdb(format!("tt{id:07}")), value, Scale::Stars, 1);
        }
        let data = moviematch::share::encode_profile(&big);
        assert!(
            data.len() > MAX_LINK,
            "the test needs a longer link ({})",
            data.len()
        );
        assert!(decode(&data).is_err(), "the decoder refuses it");
        let rated = big.ratings().len();
        assert_eq!(
            share_link("https://x.example/mm/", data, rated),
            Err(format!(
                "Your {rated} ratings make a link too long to share; use “Download my data” instead."
            ))
        );
    }
}
