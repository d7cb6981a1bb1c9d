//! The catalogue in two parts: the head gives the first screen, the tail is joined later, and
//! nothing the visitor did in between is lost or read against the head alone.

use super::*;
use crate::by_address::ByAddress;
use crate::state::{ModelRef, Tail};

const IMDB: &[u8] =
    b"Const,Your Rating,Title,Year\ntt1000000,9,First,2001\ntt1000015,4,Late,2001\n";

/// A head of 8 of 20 films and the whole model.
fn parts() -> (ModelRef, ModelRef) {
    let b = moviematch::fixture::random_bundle(1, 20, 2, 10);
    let model = |b| ByAddress(Rc::new(Model::from_bundle(b)));
    (model(b.head(8)), model(b))
}

fn head_loaded() -> (State, ModelRef) {
    let (head, whole) = parts();
    let s = reduce(
        State::default(),
        Msg::HeadLoaded {
            model: head,
            total: 20,
        },
    );
    (s, whole)
}

#[test]
fn the_head_gives_the_first_screen_and_the_whole_model_replaces_it() {
    let (s, whole) = head_loaded();
    assert_eq!(s.tail, Tail::Loading { total: 20 });
    assert_eq!(s.tail.partial_total(), Some(20));
    assert_eq!(s.screen, Some(Screen::Start));
    assert_eq!(s.model().unwrap().len(), 8);
    let s = reduce(s, Msg::Loaded(whole));
    assert_eq!(s.tail, Tail::Complete);
    assert_eq!(s.model().unwrap().len(), 20);
    assert_eq!(s.screen, Some(Screen::Start));
}

#[test]
fn a_failed_tail_keeps_the_head_and_retry_loads_it_again() {
    let (s, whole) = head_loaded();
    let s = reduce(s, Msg::TailFailed("the server answered 404".into()));
    assert_eq!(
        s.tail,
        Tail::Failed {
            total: 20,
            message: "the server answered 404".into()
        }
    );
    assert_eq!(s.model().unwrap().len(), 8, "the head stays in use");
    let s = reduce(s, Msg::RetryTail);
    assert_eq!(
        (s.tail.clone(), s.tail_attempt),
        (Tail::Loading { total: 20 }, 1)
    );
    assert_eq!(reduce(s, Msg::Loaded(whole)).tail, Tail::Complete);
    // With the whole model in use there is nothing to retry.
    let done = reduce(ready(), Msg::RetryTail);
    assert_eq!((done.tail, done.tail_attempt), (Tail::Complete, 0));
}

#[test]
fn a_file_chosen_before_the_tail_is_read_against_the_whole_catalogue() {
    let (s, whole) = head_loaded();
    let bytes = ByAddress(Rc::new(IMDB.to_vec()));
    let s = reduce(
        s,
        Intent::ImportRead("ratings.csv".into(), bytes.clone()).at(1),
    );
    assert!(s.import.is_none(), "not previewed against the head");
    let said = &s
        .notices
        .iter()
        .find(|n| n.kind == NoticeKind::Import)
        .unwrap()
        .text;
    assert!(
        said.contains(
            "will be read as soon as the whole catalogue has loaded (8 of 20 films so far)"
        ),
        "{said}"
    );
    // A failed tail: still waiting (matched against the head, most rows would look unknown).
    let s = reduce(s, Msg::TailFailed("cut short".into()));
    assert!(s.import.is_none() && s.waiting_import.is_some());
    let s = reduce(s, Msg::Loaded(whole.clone()));
    assert!(s.waiting_import.is_none());
    assert_eq!(s.screen, Some(Screen::Import));
    assert!(s.notices.iter().all(|n| n.kind != NoticeKind::Import));
    let direct = crate::import::read_file(&whole, "ratings.csv", IMDB).unwrap();
    assert_eq!(
        s.import.unwrap().incoming,
        direct,
        "the same preview as a file read now"
    );
    // With the whole model, a file is previewed at once.
    let now = reduce(
        ready(),
        Intent::ImportRead("ratings.csv".into(), bytes).at(1),
    );
    assert!(now.import.is_some() && now.waiting_import.is_none());
}

#[test]
fn rating_by_comparison_follows_its_film_into_the_whole_catalogue() {
    let (s, whole) = head_loaded();
    let head = s.model().unwrap();
    let i = head.len() - 1;
    let id = head.movie(i).movie_id;
    let s = reduce(s, Msg::Show(Screen::Compare(i)));
    let s = reduce(s, Msg::Loaded(whole.clone()));
    let j = whole.by_movielens_id(id).unwrap();
    assert_ne!(
        i, j,
        "the fixture must move the film for this test to mean anything"
    );
    assert_eq!(s.screen, Some(Screen::Compare(j)));
}

#[test]
fn the_waiting_count_names_answers_about_films_not_loaded() {
    let (s, whole) = head_loaded();
    let head = s.model().unwrap();
    let outside = (0..whole.len())
        .map(|i| whole.stable_id(i))
        .find(|id| head.resolve(id).is_none())
        .unwrap();
    let mut p = Profile::default();
    p.rate(head.stable_id(0), 4.0, moviematch::Scale::Stars, 1);
    p.rate(outside.clone(), 3.0, moviematch::Scale::Stars, 2);
    p.compare(head.stable_id(1), outside.clone(), CompareAnswer::A, 3);
    p.feedback(outside, Action::Save, 4);
    assert_eq!(crate::components::answers_waiting(&head, &p), 3);
    assert_eq!(crate::components::answers_waiting(&whole, &p), 0);
}
