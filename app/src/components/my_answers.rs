//! "My answers": every answer in force besides ratings (those are under "My ratings"), the
//! latest first — "A or B?" answers (skips and "haven't seen" included), likes, dislikes,
//! hidden films, the watchlist and "haven't seen it" — each with Undo, which appends the
//! answer's withdrawal to the profile (`Profile::withdraw`): a disliked film can be
//! un-disliked, a comparison taken back.

use moviematch::profile::{Answer, AnswerEntry, CompareAnswer};
use moviematch::{Model, StableId};
use yew::prelude::*;

use crate::format::{count, describe_unknown};
use crate::state::Intent;

/// A film's title in quotes, or what the profile knows of a film this catalogue lacks.
fn name(model: &Model, id: &StableId) -> String {
    match model.resolve(id) {
        Some(i) => format!("“{}”", model.movie(i).title),
        None => describe_unknown(id),
    }
}

/// The answer in words.
pub fn describe(model: &Model, answer: &Answer) -> String {
    let n = |id| name(model, id);
    match answer {
        Answer::Compare { a, b, answer } => match answer {
            CompareAnswer::A => format!("{} over {}", n(a), n(b)),
            CompareAnswer::B => format!("{} over {}", n(b), n(a)),
            CompareAnswer::Tie => format!("{} and {}: equally good", n(a), n(b)),
            CompareAnswer::UnseenA => format!("Haven’t seen {} (asked with {})", n(a), n(b)),
            CompareAnswer::UnseenB => format!("Haven’t seen {} (asked with {})", n(b), n(a)),
            CompareAnswer::Skip => format!("Skipped {} or {}", n(a), n(b)),
        },
        Answer::Like { item, liked: true } => format!("Liked {}", n(item)),
        Answer::Like { item, .. } => format!("Disliked {}", n(item)),
        Answer::Hidden { item } => format!("Hid {}", n(item)),
        Answer::Saved { item } => format!("Saved {} to the watchlist", n(item)),
        Answer::Unseen { item } => format!("Haven’t seen {}", n(item)),
    }
}

/// The card (nothing when there is no answer besides ratings). A view function: it keeps
/// nothing between renders.
pub fn my_answers(model: &Model, answers: &[AnswerEntry], on_act: &Callback<Intent>) -> Html {
    if answers.is_empty() {
        return html! {};
    }
    let rows = answers.iter().map(|e| {
        let text = describe(model, &e.answer);
        let answer = e.answer.clone();
        let undo = on_act.reform(move |_: MouseEvent| Intent::Withdraw(answer.clone()));
        html! {
            <li class="answer-item" data-testid="answer-item">
                <span class="answer-text">{ text.clone() }</span>
                <button type="button" class="link-btn" onclick={undo} data-testid="answer-undo"
                        aria-label={format!("Undo: {text}")}>{ "Undo" }</button>
            </li>
        }
    });
    html! {
        <section class="card my-answers" data-testid="my-answers" aria-labelledby="answers-h">
            <h2 id="answers-h">{ "My answers" }<span class="count">{ answers.len() }</span></h2>
            <p class="sub">{ format!("Besides your ratings: {}, the latest first. Undo takes one back; the list follows at once.", count(answers.len(), "answer", "answers")) }</p>
            <ul class="answers">{ for rows }</ul>
        </section>
    }
}
