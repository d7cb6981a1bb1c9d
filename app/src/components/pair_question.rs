//! "Which did you like more?" for two movies, answerable with the mouse or the keyboard:
//! ← for A, → for B, ↓ for "equally good". Either movie can be "haven't seen", which tells
//! the model what the visitor watches, not what they like; "Skip" tells it nothing, and the
//! pair is not asked again.

use std::cell::RefCell;
use std::rc::Rc;

use moviematch::profile::CompareAnswer;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::KeyboardEvent;
use yew::prelude::*;

use super::movie_card;
use crate::state::ModelRef;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub model: ModelRef,
    pub a: usize,
    pub b: usize,
    pub on_answer: Callback<CompareAnswer>,
}

/// The answer a key gives, if any: arrows only, without modifiers, never while typing.
fn key_answer(e: &KeyboardEvent) -> Option<CompareAnswer> {
    if e.alt_key() || e.ctrl_key() || e.meta_key() || e.shift_key() || e.repeat() {
        return None;
    }
    let typing = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"));
    if typing {
        return None;
    }
    match e.key().as_str() {
        "ArrowLeft" => Some(CompareAnswer::A),
        "ArrowRight" => Some(CompareAnswer::B),
        "ArrowDown" => Some(CompareAnswer::Tie),
        _ => None,
    }
}

#[function_component(PairQuestion)]
pub fn pair_question(props: &Props) -> Html {
    // The window listener lives as long as the question screen; it always calls the latest
    // callback (a new one comes with every render), kept here.
    let latest: Rc<RefCell<Callback<CompareAnswer>>> =
        use_mut_ref(|| props.on_answer.clone()).clone();
    *latest.borrow_mut() = props.on_answer.clone();
    use_effect_with((), move |_| {
        let listener = Closure::<dyn Fn(KeyboardEvent)>::new(move |e: KeyboardEvent| {
            if let Some(answer) = key_answer(&e) {
                e.prevent_default();
                let cb = latest.borrow().clone();
                cb.emit(answer);
            }
        });
        let window = web_sys::window();
        if let Some(w) = &window {
            let _ =
                w.add_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
        }
        move || {
            if let Some(w) = &window {
                let _ = w.remove_event_listener_with_callback(
                    "keydown",
                    listener.as_ref().unchecked_ref(),
                );
            }
            drop(listener);
        }
    });

    let answer = |a: CompareAnswer| props.on_answer.reform(move |_: MouseEvent| a);
    let title = |i: usize| props.model.movie(i).title.clone();
    // One card: the movie, its pick button and its "haven't seen" button.
    let side = |item: usize,
                label: &'static str,
                pick: CompareAnswer,
                unseen: CompareAnswer,
                key: &'static str,
                text: &'static str| {
        let l = label.to_ascii_lowercase();
        html! {
            { movie_card(&props.model, item, Some(label), html! { <>
                <button type="button" class="btn pick" onclick={answer(pick)}
                        data-testid={format!("answer-{l}")} aria-keyshortcuts={key}>
                    { text }
                </button>
                <button type="button" class="btn small ghost" onclick={answer(unseen)}
                        data-testid={format!("unseen-{l}")} aria-label={format!("Haven't seen {}", title(item))}>
                    { format!("Haven’t seen {label}") }
                </button>
            </> }) }
        }
    };
    html! {
        <div class="pair-question" data-testid="pair-question">
            <p class="question-text">{ "Which did you like more?" }</p>
            <div class="pair">
                { side(props.a, "A", CompareAnswer::A, CompareAnswer::UnseenA, "ArrowLeft", "← A") }
                { side(props.b, "B", CompareAnswer::B, CompareAnswer::UnseenB, "ArrowRight", "B →") }
            </div>
            <div class="tie-row">
                <button type="button" class="btn small ghost" onclick={answer(CompareAnswer::Tie)}
                        data-testid="answer-tie" aria-keyshortcuts="ArrowDown">
                    { "↓ Equally good" }
                </button>
                <button type="button" class="btn small ghost" onclick={answer(CompareAnswer::Skip)}
                        data-testid="answer-skip" title="Pass on this pair: it says nothing about your taste, and it is not asked again">
                    { "Skip" }
                </button>
            </div>
            <p class="hint keys">{ "Keyboard: ← A · → B · ↓ equally good" }</p>
        </div>
    }
}
