//! The ranked list. Before any answer it is the prior's list (well-liked, well-known movies),
//! so the page is never empty. Above it: a quick genre choice and the collapsible filters and
//! settings, both stored in the profile's settings.

use moviematch::profile::{Action, Settings};
use moviematch::StableId;
use yew::prelude::*;

use super::{export_links, genre_filter, rec_item, rows_of, settings_panel, RecItemProps};
use crate::by_address::ByAddress;
use crate::format::answers_phrase;
use crate::hooks::{Personal, Recs};
use crate::state::{Intent, ModelRef};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub model: ModelRef,
    pub recs: ByAddress<Recs>,
    pub personal: ByAddress<Personal>,
    pub settings: Settings,
    pub on_rate: Callback<(StableId, f32)>,
    pub on_compare: Callback<usize>,
    pub on_act: Callback<Intent>,
    /// Someone else's shared profile: no filters, settings or feedback (nothing may change).
    #[prop_or_default]
    pub readonly: bool,
    /// The film whose "seen it" rating row is open, if any (the page keeps it).
    #[prop_or_default]
    pub seen_open: Option<usize>,
    #[prop_or_default]
    pub on_seen: Callback<usize>,
}

/// A view function, not a component: it keeps nothing between renders, and each component
/// costs the wasm its own lifecycle code.
pub fn recommendations(props: &Props) -> Html {
    let p = &props.personal;
    let (ratings, comparisons, likes) = p.answers_used();
    let used = answers_phrase(ratings, comparisons, likes);
    let (title, sub) = if props.readonly {
        (
            "Recommended for this profile".to_string(),
            if p.n_used() == 0 {
                "None of its ratings are for movies in this catalogue, so these are simply popular movies.".to_string()
            } else {
                format!(
                    "Based on its {}. Read-only: nothing here changes your own ratings.",
                    used
                )
            },
        )
    } else if p.n_used() == 0 {
        (
            "Popular, well-liked movies".to_string(),
            "Rate a few movies you’ve seen or answer a few questions, and this list becomes yours."
                .to_string(),
        )
    } else {
        (
            "Recommended for you".to_string(),
            format!("Based on your {}. Updated after every answer.", used),
        )
    };
    let on_settings = props.on_act.reform(Intent::Settings);
    let on_genre = {
        let settings = props.settings.clone();
        on_settings.reform(move |mask: u32| {
            let mut s = settings.clone();
            s.filter.genres_any = mask;
            s
        })
    };
    let body = match &props.recs.list {
        Err(e) => {
            html! { <p class="hint">{ format!("Recommendations are unavailable: {e}.") }</p> }
        }
        Ok(list) if list.is_empty() => html! {
            <p class="hint" data-testid="recs-empty">{ "No movie passes these filters. Loosen them under “Filters & settings”." }</p>
        },
        Ok(list) => {
            let items = list.iter().enumerate().map(|(n, (r, why))| {
                rec_item(&RecItemProps {
                    model: props.model.clone(),
                    rank: n + 1,
                    rec: r.clone(),
                    reasons: why.clone(),
                    liked: p.visitor.liked().get(&r.item).copied(),
                    saved: p.visitor.saved().contains(&r.item),
                    on_act: props.on_act.clone(),
                    on_rate: props.on_rate.clone(),
                    on_compare: props.on_compare.clone(),
                    readonly: props.readonly,
                    rating_open: props.seen_open == Some(r.item),
                    on_seen: props.on_seen.clone(),
                })
            });
            let export = (!props.readonly)
                .then(|| export_links(&props.model, rows_of(list.iter().map(|(r, _)| r)), "list"));
            html! { <><ol class="recs">{ for items }</ol>{ for export }</> }
        }
    };
    let hidden = p.visitor.hidden().len();
    let unhide_all = {
        let on_act = props.on_act.clone();
        let ids: Vec<StableId> = p
            .visitor
            .hidden()
            .iter()
            .map(|&i| props.model.stable_id(i))
            .collect();
        Callback::from(move |_: MouseEvent| {
            for id in &ids {
                on_act.emit(Intent::Feedback(id.clone(), Action::Unhide));
            }
        })
    };
    html! {
        <section class="card recommendations" data-testid="recommendations" aria-labelledby="recs-h">
            <div class="recs-head">
                <div>
                    <h2 id="recs-h">{ title }</h2>
                    <p class="sub" data-testid="recs-sub">{ sub }</p>
                </div>
                if !props.readonly {
                    { genre_filter(&super::genre_filter::Props {
                        names: props.model.genre_names().to_vec(),
                        value: props.settings.filter.genres_any,
                        on_change: on_genre,
                    }) }
                }
            </div>
            if !props.readonly {
                { settings_panel(&super::settings_panel::Props {
                    names: props.model.genre_names().to_vec(),
                    settings: props.settings.clone(),
                    on_change: on_settings,
                }) }
            }
            <p class="legend">{ if props.readonly {
                "★ = predicted rating for this profile’s owner, out of 5; the range beside it holds their rating 8 times out of 10."
            } else {
                "★ = predicted rating for you, out of 5; the range beside it holds your rating 8 times out of 10."
            } }</p>
            { body }
            if hidden > 0 && !props.readonly {
                <p class="hint" data-testid="hidden-note">
                    { format!("{hidden} hidden as not interesting. ") }
                    <button type="button" class="link-btn" onclick={unhide_all}>{ "Show them again" }</button>
                </p>
            }
        </section>
    }
}
