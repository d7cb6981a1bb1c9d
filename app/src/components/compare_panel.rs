//! Rating one movie by comparisons (`moviematch::rate_by_comparison`): "did you like it more
//! or less than <a movie you rated>?", each time against the rated movie that splits the
//! current belief in half, until the 80% interval is narrower than half a star (about seven
//! questions).
//!
//! The prior is the model's prediction for the visitor (mean and predictive sd, in stars). Each
//! answer is stored at once as an "A or B?" answer (the title against the rated movie): for a
//! catalogue title the comparisons themselves are the evidence, so the list moves with every
//! answer, and the derived rating is only shown, never saved as well (that would count the same
//! answers twice). `tools rate` does the same.

use moviematch::profile::{CompareAnswer, Settings};
use moviematch::rate_by_comparison::Versus;
use yew::prelude::*;

use super::{movie_card, prediction_view};
use crate::by_address::ByAddress;
use crate::format::rating_str;
use crate::hooks::Personal;
use crate::state::{Intent, ModelRef, Screen};

/// Fewer rated movies than this give the search nothing to bisect.
const MIN_ANCHORS: usize = 3;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub model: ModelRef,
    pub item: usize,
    pub personal: ByAddress<Personal>,
    /// The list settings the film's prediction is made under.
    pub settings: Settings,
    /// Where to go when done.
    pub back: Screen,
    pub on_act: Callback<Intent>,
}

#[function_component(ComparePanel)]
pub fn compare_panel(props: &Props) -> Html {
    let model = props.model.clone();
    let item = props.item;
    // Opened from a recommendation far down a phone's page, the panel is above the viewport:
    // bring it into view once, on opening.
    let section = use_node_ref();
    {
        let section = section.clone();
        use_effect_with((), move |_| {
            if let Some(el) = section.cast::<web_sys::Element>() {
                if el.get_bounding_client_rect().top() < 0.0 {
                    el.scroll_into_view();
                }
            }
        });
    }
    // Fixed for the whole session: the engine's anchor indices point into this list.
    let anchors = use_state(|| props.personal.visitor.comparison_anchors(Some(item)));
    let session = {
        let (model, personal) = (model.clone(), props.personal.clone());
        use_state(move || personal.visitor.rate_by_comparison(&model, Some(item)))
    };
    let title = model.movie(item).title.clone();
    // What the model predicts for the visitor now (it moves with every answer given here).
    let prediction = use_memo(
        (
            model.clone(),
            props.personal.clone(),
            props.settings.clone(),
        ),
        move |(m, personal, settings)| personal.prediction(m, item, settings),
    );
    let back = props.back;
    let cancel = props.on_act.reform(move |_: MouseEvent| Intent::Show(back));
    let values: Vec<f32> = anchors.iter().map(|a| a.1).collect();

    let body = if anchors.len() < MIN_ANCHORS {
        html! {
            <p class="hint" data-testid="compare-too-few">{ format!(
                "Rate at least {MIN_ANCHORS} movies first: “{title}” is compared with movies you have rated."
            ) }</p>
        }
    } else if let Some(j) = session.next(&values) {
        let (anchor, stars) = anchors[j];
        let answer = |v: Versus| {
            let (session, on_act) = (session.clone(), props.on_act.clone());
            let (a, b) = (model.stable_id(item), model.stable_id(anchor));
            Callback::from(move |_: MouseEvent| {
                let mut s = (*session).clone();
                s.answer(j, stars, v);
                session.set(s);
                let answer = match v {
                    Versus::Better => CompareAnswer::A,
                    Versus::Worse => CompareAnswer::B,
                    Versus::Same => CompareAnswer::Tie,
                };
                on_act.emit(Intent::Compare(a.clone(), b.clone(), answer));
            })
        };
        let anchor_title = model.movie(anchor).title.clone();
        html! {
            <div class="compare-step" data-testid="compare-question">
                <p class="question-text">
                    { format!("Compared with “{anchor_title}” (you gave it {}★), did you like “{title}”…", rating_str(stars)) }
                </p>
                { movie_card(&model, anchor, None, html! {}) }
                <div class="versus">
                    <button type="button" class="btn" onclick={answer(Versus::Better)} data-testid="compare-better">{ "More" }</button>
                    <button type="button" class="btn ghost" onclick={answer(Versus::Same)} data-testid="compare-same">{ "About the same" }</button>
                    <button type="button" class="btn" onclick={answer(Versus::Worse)} data-testid="compare-worse">{ "Less" }</button>
                </div>
                <p class="hint">{ format!("Question {} · usually about 7", session.asked() + 1) }</p>
            </div>
        }
    } else {
        let (lo, hi) = session.interval80();
        let mean = session.mean().clamp(0.5, 5.0) as f32;
        let done = props.on_act.reform(move |_: MouseEvent| Intent::Show(back));
        html! {
            <div class="compare-result" data-testid="compare-result">
                <p>{ format!("After {} comparisons, your rating of “{title}” is about", session.asked()) }</p>
                <p class="derived"><strong data-testid="derived-rating">{ format!("{mean:.1}★") }</strong>
                    <span class="sd" data-testid="derived-interval">{ format!(
                        " (80% interval {:.1}–{:.1})", lo.max(0.5), hi.min(5.0)
                    ) }</span></p>
                <p class="hint" data-testid="compare-saved-note">{ format!(
                    "Your {} answers are saved as comparisons: the model learns from them directly.",
                    session.asked()
                ) }</p>
                <div class="row-actions">
                    <button type="button" class="btn" onclick={done} data-testid="compare-done">{ "Done" }</button>
                </div>
            </div>
        }
    };
    html! {
        <section ref={section} class="card compare" data-testid="compare" aria-labelledby="compare-h">
            <h2 id="compare-h">{ format!("Rate “{title}” by comparing") }</h2>
            { movie_card(&model, item, None, html! {}) }
            if let Some(prediction) = prediction.as_ref() {
                { prediction_view(&model, prediction) }
            }
            <div aria-live="polite">{ body }</div>
            <div class="row-actions">
                <button type="button" class="btn small ghost" onclick={cancel} data-testid="compare-cancel">{ "Back" }</button>
            </div>
        </section>
    }
}
