//! The question screen: the engine picks the most useful next question (`hooks::
//! use_next_question`), the visitor answers, the answer goes into the profile, and both the
//! list beside it and the next question are recomputed from the whole profile.

use std::rc::Rc;

use moviematch::elicit::Question;
use moviematch::profile::{Action, CompareAnswer};
use moviematch::Profile;
use yew::prelude::*;

use super::{certainty_meter, rate_question, PairQuestion};
use crate::by_address::ByAddress;
use crate::hooks::{use_next_question, Asked, Personal};
use crate::state::{Intent, ModelRef, Screen};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub model: ModelRef,
    pub profile: Rc<Profile>,
    pub rev: u32,
    pub personal: ByAddress<Personal>,
    /// How sure the model is about the listed movies (see `moviematch::certainty`).
    pub certainty: Option<f64>,
    /// Ask only "A or B?" questions.
    pub pairs_only: bool,
    pub on_act: Callback<Intent>,
}

#[function_component(QuestionPanel)]
pub fn question_panel(props: &Props) -> Html {
    let asked = use_next_question(
        &props.model,
        &props.profile,
        props.rev,
        &props.personal.0,
        props.pairs_only,
    );
    // Answers given on this screen, this visit: a sense of progress.
    let answered = use_state(|| 0u32);
    // Every answer given here is counted, then goes up.
    let answer = {
        let (answered, on_act) = (answered.clone(), props.on_act.clone());
        Callback::from(move |intent: Intent| {
            answered.set(*answered + 1);
            on_act.emit(intent);
        })
    };
    let model = &props.model;
    let body = match &*asked {
        Asked::Failed(e) => {
            html! { <p class="hint">{ format!("No question can be chosen: {e}.") }</p> }
        }
        Asked::NothingLeft => html! {
            <p class="hint">{ "There is nothing left to ask: you have answered about every movie the questions draw on." }</p>
        },
        Asked::Question(choice) => match choice.question {
            Question::Pair(a, b) => {
                let (ida, idb) = (model.stable_id(a), model.stable_id(b));
                let on_answer = answer.reform(move |ans: CompareAnswer| {
                    Intent::Compare(ida.clone(), idb.clone(), ans)
                });
                html! { <PairQuestion key={format!("{a}-{b}")} model={model.clone()} {a} {b} {on_answer} /> }
            }
            Question::Rate(i) => {
                let id = model.stable_id(i);
                let on_rate = {
                    let id = id.clone();
                    answer.reform(move |v: f32| Intent::Rate(id.clone(), v))
                };
                let on_unseen =
                    answer.reform(move |()| Intent::Feedback(id.clone(), Action::Unseen));
                html! { { rate_question(&super::rate_question::Props {
                    model: model.clone(),
                    item: i,
                    on_rate,
                    on_unseen,
                }) } }
            }
        },
    };
    let done = props
        .on_act
        .reform(|_: MouseEvent| Intent::Show(Screen::Search));
    let kind = |pairs: bool, label: &str, title: &str, testid: &str| {
        let on = props.pairs_only == pairs;
        let onclick = props
            .on_act
            .reform(move |_: MouseEvent| Intent::PairsOnly(pairs));
        html! {
            <button type="button" class={classes!("seg", on.then_some("on"))} {onclick}
                    aria-pressed={if on { "true" } else { "false" }} title={title.to_string()}
                    data-testid={testid.to_string()}>{ label }</button>
        }
    };
    let n = *answered;
    html! {
        <section class="card questions" data-testid="questions" aria-labelledby="questions-h">
            <h2 id="questions-h">{ "Quick questions" }
                <span class="count" data-testid="answered-count" title="Answered on this screen">
                    { format!("{n} answered") }
                </span>
            </h2>
            <p class="sub">{ "Each question is the one that should sharpen your list the most. Skip what you haven’t seen: that helps too." }</p>
            { certainty_meter(props.certainty) }
            <div class="segmented" role="group" aria-label="Kind of questions">
                { kind(false, "Most useful", "Whichever question should teach the model most: usually “rate this movie”", "ask-mixed") }
                { kind(true, "Only “A or B?”", "Just pick the better of two movies: no stars needed", "ask-pairs") }
            </div>
            <div aria-live="polite">{ body }</div>
            <div class="row-actions">
                <button type="button" class="btn small ghost" onclick={done}>{ "Done" }</button>
            </div>
        </section>
    }
}
