//! What is stored or exchanged does not change: profiles and share links written by the code
//! before the redesign (tests/fixtures/profiles/, written once by that code) read back and are
//! written again byte for byte.
#![cfg(not(target_arch = "wasm32"))]

use moviematch::profile::{Action, CompareAnswer, Profile, StableId};
use moviematch::share;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/profiles/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// A version-2 profile with every kind of event (ratings on both scales, unrate, unmatched
/// entries, every comparison answer, every feedback action) and non-default settings.
#[test]
fn a_v2_profile_reads_and_writes_back_byte_for_byte() {
    let text = fixture("profile-v2.json");
    let p = Profile::from_json(&text).unwrap();
    // Written as version 3 (a v2 profile is a v3 one: version 3 only added events).
    assert_eq!(
        p.to_json(),
        text.replacen(r#""version":2"#, r#""version":3"#, 1)
    );
    // It holds what it claims to: the fixture is not trivially empty.
    assert_eq!(p.ratings().len(), 4);
    assert_eq!(p.comparisons().len(), 2);
    assert!(p.events.iter().any(|e| matches!(
        e,
        moviematch::profile::Event::Compare {
            answer: CompareAnswer::UnseenB,
            ..
        }
    )));
    assert!(p.events.iter().any(|e| matches!(
        e,
        moviematch::profile::Event::Feedback {
            action: Action::Unsave,
            ..
        }
    )));
    assert!(p.settings.exclude_saved && p.settings.filter.votes_min == Some(1000));
}

/// A version-1 profile is read and written exactly as before, as version 3.
#[test]
fn a_v1_profile_is_read_and_written_as_before() {
    let p = Profile::from_json(&fixture("profile-v1.json")).unwrap();
    let before = fixture("profile-v1.read-and-written.json");
    assert_eq!(
        p.to_json(),
        before.replacen(r#""version":2"#, r#""version":3"#, 1)
    );
}

/// A version-3 profile (the withdrawals and the skip it added) reads and writes back byte for
/// byte, and what it withdrew is not in force.
#[test]
fn a_v3_profile_reads_and_writes_back_byte_for_byte() {
    let text = fixture("profile-v3.json");
    let p = Profile::from_json(&text).unwrap();
    assert_eq!(p.to_json(), text);
    assert_eq!(
        p.comparisons().len(),
        1,
        "one of the two pairs was withdrawn"
    );
    assert_eq!(p.skipped_pairs().len(), 1);
    assert!(p.unseen().is_empty(), "\"haven't seen\" was withdrawn");
    assert_eq!(p.answers().len(), 2, "the preference and the skip");
}

/// The share link of the v2 fixture, as the old code encoded it.
#[test]
fn a_share_link_decodes_and_encodes_as_before() {
    let p = Profile::from_json(&fixture("profile-v2.json")).unwrap();
    let link = fixture("share-link.txt");
    assert_eq!(share::encode_profile(&p), link);
    let shared = share::profile_of(&share::decode(&link).unwrap(), 0);
    // A link carries a film the catalogue lacks by its title, year and IMDb id; where it came
    // from otherwise ("letterboxd") becomes "share link".
    let key = |id: StableId| match id {
        StableId::Unmatched {
            title,
            year,
            source,
        } if !source.starts_with("imdb:") => StableId::Unmatched {
            title,
            year,
            source: "share link".into(),
        },
        other => other,
    };
    let mut want: Vec<_> = p
        .ratings()
        .into_iter()
        .map(|r| (key(r.item), r.value))
        .collect();
    let mut got: Vec<_> = shared
        .ratings()
        .into_iter()
        .map(|r| (r.item, r.value))
        .collect();
    want.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    got.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    assert_eq!(got, want);
}
