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

use moviematch::elicit::{Choice, Strategy};
use moviematch::Profile;
use yew::prelude::*;

use super::use_personal::fit_failed;
use super::Personal;
use crate::state::ModelRef;

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
    let personal = personal.clone();
    use_memo(
        (model.clone(), rev, profile.settings.clone(), pairs_only),
        move |(m, _, settings, pairs_only)| {
            let started = js_sys::Date::now();
            let strategy = if *pairs_only {
                Strategy::InfoGainPairs
            } else {
                Strategy::Adaptive
            };
            let asked = personal
                .visitor
                .next_question(m, settings, strategy, &Default::default());
            gloo::console::debug!(format!(
                "next question: {:.1} ms",
                js_sys::Date::now() - started
            ));
            match asked {
                Ok(Some(c)) => Asked::Question(c),
                Ok(None) => Asked::NothingLeft,
                Err(e) => Asked::Failed(fit_failed(&e)),
            }
        },
    )
}
