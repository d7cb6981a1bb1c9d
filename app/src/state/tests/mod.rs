//! The reducer's tests, by topic; `ready` is the state once a small fixture model is loaded,
//! `rated_one` that state after one rating (movie 1, two stars).

mod edits;
mod import;
mod share;
mod storage;
mod tail;

use std::rc::Rc;

use moviematch::import_plan::ImportMode;
use moviematch::profile::{Action, CompareAnswer};
use moviematch::share::SharedRating;
use moviematch::{Model, Profile, StableId};

use super::{reduce, Held, HeldReason, Intent, Load, Msg, NoticeKind, Screen, State};
use crate::state::Incoming;

fn ready() -> State {
    let model = crate::by_address::ByAddress(Rc::new(Model::from_bundle(
        moviematch::fixture::random_bundle(1, 20, 2, 10),
    )));
    reduce(State::default(), Msg::Loaded(model))
}

fn rated_one() -> State {
    reduce(
        ready(),
        Msg::Rate {
            id: StableId::Movielens(1),
            value: 2.0,
            at: 1,
        },
    )
}
