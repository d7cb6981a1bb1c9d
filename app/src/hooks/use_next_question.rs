//! The next question for the visitor, chosen by the engine (`moviematch::elicit`): the
//! question whose answer is expected to sharpen the predictions for the current top of the
//! list the most, weighted by the chance the visitor has seen the movies at all.
//!
//! With `pairs_only` (the visitor's choice) only "A or B?" questions are considered, by the
//! same expected gain (`Strategy::InfoGainPairs`); otherwise the engine's `Adaptive` mix.
//!
//! Memoised on the profile's event revision and the settings (the top of the list depends on
//! both), and computed only while the question screen is shown. It takes 3–30 ms in release
//! wasm (a 100-movie ranking and a few hundred small matrix products; the first call is the
//! slowest), and a click's whole round trip (refit, list, reasons, next question, render) to the
//! next painted frame measured 20–30 ms in headless Chromium, so it runs during render rather
//! than being deferred behind a "thinking" state.

use std::rc::Rc;

use moviematch::elicit::{next_question, AskHistory, AskOptions, AskState, Choice, Strategy};
use moviematch::Profile;
use yew::prelude::*;

use super::Personal;
use crate::state::ModelRef;

/// How many of the top movies the list shows; the questions sharpen those.
const LIST_TOP: usize = 20;

/// The chosen question, or why there is none.
pub enum Asked {
    Question(Choice),
    /// Every candidate was asked or excluded already.
    NothingLeft,
    Failed(String),
}

#[hook]
pub fn use_next_question(
    model: &ModelRef,
    profile: &Rc<Profile>,
    rev: u32,
    personal: &Rc<Personal>,
    pairs_only: bool,
) -> Rc<Asked> {
    let profile = profile.clone();
    let personal = personal.clone();
    use_memo(
        (model.clone(), rev, profile.settings.clone(), pairs_only),
        move |(m, _, settings, pairs_only)| {
            let post = match &personal.posterior {
                Ok(p) => p,
                Err(e) => return Asked::Failed(e.clone()),
            };
            let started = js_sys::Date::now();
            let history = AskHistory::from_profile(m, &profile);
            let seen = history.seen_offset(m);
            let state = AskState {
                posterior: post,
                seen: &seen,
                exclude: &history.exclude,
                asked_pairs: &history.pairs,
                allowed: None,
            };
            let opts = AskOptions {
                strategy: if *pairs_only {
                    Strategy::InfoGainPairs
                } else {
                    Strategy::Adaptive
                },
                rank: settings.rank_options(LIST_TOP, personal.seed),
                ..Default::default()
            };
            let choice = next_question(m, &state, &opts);
            gloo::console::debug!(format!(
                "next question: {:.1} ms",
                js_sys::Date::now() - started
            ));
            match choice {
                Some(c) => Asked::Question(c),
                None => Asked::NothingLeft,
            }
        },
    )
}
