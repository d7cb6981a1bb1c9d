//! The stored profile: unreadable, restored, not saved, changed or deleted in another tab,
//! deleted here.

use super::*;

#[test]
fn unreadable_profile_is_held_until_backed_up() {
    let held = Held {
        raw: "{oops".into(),
        reason: HeldReason::Corrupt("bad".into()),
        restored: false,
    };
    let s = reduce(State::default(), Msg::ProfileUnreadable(held.clone()));
    assert_eq!(s.held, Some(held));
    assert_eq!(s.edits, 0, "loading must not trigger a save");
    assert_eq!(s.notices.len(), 1);
    let s = reduce(s, Msg::StartFresh);
    assert_eq!(s.edits, 1);
    let s = reduce(s, Msg::HeldBackedUp { key: "k".into() });
    assert!(s.held.is_none());
    assert_eq!(s.notices.len(), 1);
    assert_eq!(s.notices[0].kind, NoticeKind::BackedUp);
}

#[test]
fn save_failure_notice_is_replaced_not_repeated_and_cleared_on_success() {
    let s = reduce(State::default(), Msg::SaveFailed("full".into()));
    let s = reduce(s, Msg::SaveFailed("full".into()));
    assert_eq!(s.notices.len(), 1);
    let s = reduce(s, Msg::Saved);
    assert!(s.notices.is_empty());
}

#[test]
fn deleting_resets_to_the_start_without_saving() {
    let s = rated_one();
    let s = reduce(s, Msg::Show(Screen::Search));
    let d = reduce(s.clone(), Intent::DataDeleted.at(2));
    assert!(d.profile.events.is_empty());
    assert_eq!(d.edits, s.edits, "no save of the empty profile");
    assert_ne!(d.rev, s.rev, "the posterior is refitted");
    assert_eq!(d.screen, Some(Screen::Start));
    assert!(matches!(d.load, Load::Ready(_)));
    assert_eq!(d.notices.len(), 1);
    let failed = reduce(s.clone(), Intent::DataNotDeleted("disabled".into()).at(3));
    assert_eq!(failed.profile, s.profile);
}

#[test]
fn another_tab_s_save_is_taken_without_saving_it_back() {
    let mine = rated_one();
    let mine = reduce(mine, Msg::SaveFailed("full".into()));
    let mut theirs = (*mine.profile).clone();
    theirs.rate(StableId::Movielens(2), 4.0, moviematch::Scale::Stars, 2);
    let s = reduce(mine.clone(), Msg::ProfileChanged(theirs.clone()));
    assert_eq!(*s.profile, theirs);
    assert_eq!(s.edits, mine.edits, "not an edit: nothing is written back");
    assert_eq!(s.rev, mine.rev + 1, "refitted");
    assert!(
        s.notices.is_empty(),
        "what this tab shows is what is stored"
    );
    // The same profile again (this tab's own write, read back) changes nothing.
    let again = reduce(s.clone(), Msg::ProfileChanged(theirs));
    assert_eq!((again.rev, again.edits), (s.rev, s.edits));

    // Held text another tab has written over is no longer held here.
    let held = Held {
        raw: "{oops".into(),
        reason: HeldReason::Corrupt("bad".into()),
        restored: false,
    };
    let h = reduce(ready(), Msg::ProfileUnreadable(held.clone()));
    assert!(h.notices[0]
        .text
        .ends_with("keeps a backup copy and starts a new profile."));
    let h = reduce(h, Msg::ProfileChanged(Profile::default()));
    assert!(h.held.is_none());
    assert!(h.notices.is_empty());
    assert_eq!(h.edits, 0);
    // Unreadable text written by another tab (a newer version of the site) is held, and
    // this tab's profile stays, to be saved (after the backup) at its next answer.
    let u = reduce(mine.clone(), Msg::ProfileUnreadable(held.clone()));
    assert_eq!(u.profile, mine.profile);
    assert_eq!(u.held, Some(held));
    assert_eq!(u.edits, mine.edits);
    assert!(u
        .notices
        .iter()
        .any(|n| n.text.ends_with("saves this tab’s profile.")));
}

#[test]
fn a_deletion_in_another_tab_resets_this_one_without_writing() {
    let s = rated_one();
    let s = reduce(s, Msg::Show(Screen::Search));
    let s = reduce(s, Msg::CopyDamaged("{x".into()));
    let d = reduce(s.clone(), Msg::DeletedElsewhere);
    assert!(d.profile.events.is_empty());
    assert_eq!(d.edits, s.edits, "the empty profile is not saved");
    assert_ne!(d.rev, s.rev);
    assert_eq!(d.screen, Some(Screen::Start));
    assert!(d.held.is_none());
    assert!(d.damaged_copy.is_none(), "no backup key is written again");
    assert!(d.notices[0].text.contains("in another tab"));
    // The next answer here saves only itself.
    let r = reduce(
        d,
        Msg::Rate {
            id: StableId::Movielens(3),
            value: 4.0,
            at: 3,
        },
    );
    assert_eq!(r.profile.ratings().len(), 1);
    assert_eq!(r.edits, s.edits + 1);
}

#[test]
fn a_damaged_last_good_copy_waits_for_its_backup_without_being_an_edit() {
    let s = reduce(State::default(), Msg::CopyDamaged("{x".into()));
    assert_eq!(s.damaged_copy.as_deref(), Some("{x"));
    assert_eq!(s.edits, 0, "loading must not trigger a save");
    let s = reduce(s, Msg::ProfileLoaded(Profile::default()));
    assert!(s.damaged_copy.is_some());
    let s = reduce(s, Msg::CopyBackedUp);
    assert!(s.damaged_copy.is_none());
    assert_eq!(s.edits, 0);
}

#[test]
fn a_restored_profile_is_saved_at_once_and_the_damage_backed_up() {
    let mut p = Profile::default();
    p.rate(StableId::Movielens(1), 4.0, moviematch::Scale::Stars, 1);
    let damaged = Held {
        raw: "{broken".into(),
        reason: HeldReason::Corrupt("bad".into()),
        restored: true,
    };
    let s = reduce(
        State::default(),
        Msg::ProfileRestored {
            profile: p.clone(),
            damaged: Some(damaged),
        },
    );
    assert_eq!(*s.profile, p);
    assert_eq!(s.edits, 1, "saved again at once");
    assert!(s.held.is_some(), "backed up before that write");
    assert_eq!(
        s.notices[0].text,
        "Your saved profile was damaged; the last good copy (1 rating) was restored."
    );
    let s = reduce(s, Msg::HeldBackedUp { key: "k".into() });
    assert!(s.held.is_none());
    assert_eq!(s.notices.len(), 1, "no “started a fresh profile”");
    assert!(s.notices[0]
        .text
        .ends_with("The damaged text is kept in this browser’s storage under “k”."));
}

#[test]
fn a_failed_save_says_what_is_safe_and_can_be_retried() {
    let s = reduce(
        State::default(),
        Msg::SaveFailed("this browser’s storage for the site is full".into()),
    );
    let t = &s.notices[0].text;
    assert!(t.contains("storage for the site is full"));
    assert!(t.contains("What was saved before is intact"));
    assert!(t.contains("kept in this tab until space is freed"));
    let s = reduce(s, Msg::SaveAgain);
    assert_eq!(s.edits, 1);
}
