//! A share link's profile: shown read-only, merged, replaced or left.

use super::*;

fn shared(ratings: &[(u32, f32)]) -> Vec<SharedRating> {
    ratings
        .iter()
        .map(|&(m, v)| SharedRating {
            item: StableId::Movielens(m),
            value: v,
            scale: moviematch::Scale::Stars,
        })
        .collect()
}

#[test]
fn a_shared_profile_is_shown_without_touching_mine_and_merge_adds_only_new_movies() {
    let mine = reduce(
        State::default(),
        Msg::Rate {
            id: StableId::Movielens(1),
            value: 2.0,
            at: 1,
        },
    );
    let s = reduce(
        mine.clone(),
        Msg::OpenShared {
            ratings: shared(&[(1, 5.0), (2, 4.5), (3, 1.0)]),
            at: 2,
        },
    );
    assert_eq!(
        (s.edits, s.rev),
        (mine.edits, mine.rev),
        "viewing is not an edit"
    );
    assert_eq!(s.profile, mine.profile);
    assert_eq!(s.shared.as_ref().unwrap().profile.ratings().len(), 3);
    let s = reduce(s, Msg::AskReplace(true));
    assert!(s.shared.as_ref().unwrap().confirm_replace);
    let s = reduce(s, Msg::MergeShared { at: 3 });
    assert!(s.shared.is_none());
    assert_eq!(s.edits, mine.edits + 1);
    let r = s.profile.ratings();
    assert_eq!(r.len(), 3);
    assert_eq!(
        s.profile.rating_of(&StableId::Movielens(1)).unwrap().value,
        2.0,
        "mine wins"
    );
    assert_eq!(
        s.profile.rating_of(&StableId::Movielens(2)).unwrap().value,
        4.5
    );
    assert!(s.notices.iter().any(|n| n.kind == NoticeKind::Shared));
}

#[test]
fn replace_keeps_settings_back_changes_nothing_bad_links_are_a_notice() {
    let mut s = reduce(
        State::default(),
        Msg::Rate {
            id: StableId::Movielens(7),
            value: 3.0,
            at: 1,
        },
    );
    let mut settings = s.profile.settings.clone();
    settings.filter.year_min = Some(2000);
    s = reduce(s, Msg::SetSettings(settings.clone()));
    let open = Msg::OpenShared {
        ratings: shared(&[(2, 4.5)]),
        at: 2,
    };
    let back = reduce(reduce(s.clone(), open.clone()), Msg::LeaveShared);
    assert_eq!(back.profile, s.profile);
    assert_eq!(back.edits, s.edits);
    assert!(back.shared.is_none());
    let r = reduce(reduce(s.clone(), open), Msg::ReplaceShared { at: 3 });
    assert_eq!(r.profile.ratings().len(), 1);
    assert!(r.profile.rating_of(&StableId::Movielens(7)).is_none());
    assert_eq!(r.profile.settings, settings);
    assert_eq!(r.edits, s.edits + 1);
    let bad = reduce(s.clone(), Msg::ShareLinkBad("cut short".into()));
    assert_eq!(bad.profile, s.profile);
    assert!(bad.shared.is_none());
    assert!(bad.notices[0].text.contains("cut short"));
    // Merging or replacing with no shared view open does nothing.
    let none = reduce(s.clone(), Msg::MergeShared { at: 4 });
    assert_eq!(none.edits, s.edits);
}

/// Watch together: a friend's link adds a member for this visit (never an edit, so never
/// saved); a broken link says why and adds nobody; a member can leave.
#[test]
fn friends_join_from_their_links_and_are_never_saved() {
    // The page reads the link (the browser inflates a long one) and hands the result over.
    let link = moviematch::share::encode(&shared(&[(2, 4.5), (3, 1.0)]));
    let read = |link: &str| moviematch::share::decode(link).map_err(|e| e.to_string());
    let s = reduce(
        rated_one(),
        Msg::AddFriend {
            ratings: read(&format!("https://example.org/app/#share={link}")),
            at: 5,
        },
    );
    assert_eq!(s.friends.len(), 1);
    assert_eq!(s.friends[0].ratings().len(), 2);
    assert_eq!(
        (s.edits, s.friend_error.clone()),
        (1, None),
        "only the rating was an edit"
    );
    let before = s.profile.clone();
    let s = reduce(
        s,
        Msg::AddFriend {
            ratings: read(&format!("#share={}x", &link[..link.len() - 3])),
            at: 6,
        },
    );
    assert_eq!(s.friends.len(), 1);
    assert!(s
        .friend_error
        .as_deref()
        .unwrap()
        .contains("could not be opened"));
    assert_eq!(s.profile, before);
    let s = reduce(s, Msg::RemoveFriend(3));
    assert_eq!(s.friends.len(), 1, "no such friend: nothing happens");
    let s = reduce(s, Msg::RemoveFriend(0));
    assert!(s.friends.is_empty());
}
