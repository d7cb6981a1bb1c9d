//! Answers, feedback, settings and screens.

use super::*;

#[test]
fn rating_edits_the_profile_and_counts_edits() {
    let id = StableId::Movielens(1);
    let s = reduce(
        State::default(),
        Msg::Rate {
            id: id.clone(),
            value: 4.5,
            at: 1,
        },
    );
    assert_eq!(s.edits, 1);
    assert_eq!(s.profile.rating_of(&id).unwrap().value, 4.5);
    let s = reduce(
        s,
        Msg::Unrate {
            id: id.clone(),
            at: 2,
        },
    );
    assert_eq!(s.edits, 2);
    assert!(s.profile.ratings().is_empty());
}

#[test]
fn answers_and_feedback_are_edits_settings_are_saved_without_refit() {
    let (a, b) = (StableId::Movielens(1), StableId::Movielens(2));
    let s = reduce(
        State::default(),
        Intent::Compare(a.clone(), b.clone(), CompareAnswer::UnseenB).at(5),
    );
    assert_eq!((s.edits, s.rev), (1, 1));
    assert_eq!(s.profile.unseen(), vec![b.clone()]);
    let s = reduce(s, Intent::Feedback(a.clone(), Action::Hide).at(6));
    assert_eq!(s.profile.hidden(), vec![a]);
    let mut settings = s.profile.settings.clone();
    settings.filter.year_min = Some(1990);
    let s = reduce(s, Intent::Settings(settings.clone()).at(7));
    assert_eq!(
        (s.edits, s.rev),
        (3, 2),
        "settings are saved but do not refit"
    );
    let s = reduce(s, Intent::Settings(settings).at(8));
    assert_eq!(s.edits, 3, "unchanged settings are not an edit");
}

#[test]
fn first_screen_depends_on_the_profile_and_compare_returns_where_it_came_from() {
    use crate::by_address::ByAddress;
    let model = ByAddress(Rc::new(Model::from_bundle(
        moviematch::fixture::random_bundle(1, 20, 2, 10),
    )));
    let s = reduce(State::default(), Msg::Loaded(model.clone()));
    assert_eq!(s.screen, Some(Screen::Start));
    let s = reduce(s, Msg::Show(Screen::Popular));
    let s = reduce(s, Msg::Show(Screen::Compare(3)));
    assert_eq!(s.back, Screen::Popular);
    let mut p = Profile::default();
    p.rate(StableId::Movielens(1), 4.0, moviematch::Scale::Stars, 1);
    let s = reduce(State::default(), Msg::ProfileLoaded(p));
    let s = reduce(s, Msg::Loaded(model));
    assert_eq!(s.screen, Some(Screen::Search));
}

/// A movie's view follows the fragment; how the first view was opened decides how it closes,
/// even after moving to a neighbour (which replaces the history entry).
#[test]
fn a_movie_view_remembers_how_it_was_opened() {
    use crate::state::movie_in_fragment;
    assert_eq!(movie_in_fragment("#movie=2571"), Some(2571));
    assert_eq!(movie_in_fragment("movie=1"), Some(1));
    for bad in [
        "",
        "#",
        "#movie=",
        "#movie=x1",
        "#movie=-3",
        "#share=abc",
        "#movies=1",
    ] {
        assert_eq!(movie_in_fragment(bad), None, "{bad}");
    }
    let open = |s, movie_id, in_app| reduce(s, Msg::OpenMovie { movie_id, in_app });
    let s = open(ready(), 3, true);
    let s = open(s, 5, false);
    assert_eq!(s.movie.map(|m| (m.movie_id, m.in_app)), Some((5, true)));
    let s = reduce(s, Msg::CloseMovie);
    assert_eq!(s.movie, None);
    assert_eq!(s.edits, 0, "opening a view is not an edit");
    let s = open(open(s, 7, false), 8, true);
    assert_eq!(s.movie.map(|m| (m.movie_id, m.in_app)), Some((8, false)));
}
