//! Importing a file: preview, choices, merge or replace, files that cannot be imported.

use super::*;

fn read(s: &State, name: &str, bytes: &[u8]) -> Msg {
    let model = s.model().expect("ready");
    match crate::import::read_file(&model, name, bytes) {
        Ok(incoming) => Msg::ImportReady {
            file: name.into(),
            incoming,
        },
        Err(why) => Msg::ImportFailed {
            file: name.into(),
            why,
        },
    }
}

const IMDB: &[u8] = b"Const,Your Rating,Title,Year\ntt1000000,9,First,2001\ntt1000001,4,Second,2001\ntt9999999,8,A Series,2019\n";

#[test]
fn an_import_is_previewed_then_merged_as_one_edit() {
    let s = rated_one();
    let s = reduce(s.clone(), read(&s, "ratings.csv", IMDB));
    assert_eq!(s.screen, Some(Screen::Import));
    assert_eq!(s.edits, 1, "a preview is not an edit");
    assert_eq!(s.import.as_ref().unwrap().file, "ratings.csv");
    let s = reduce(s, Intent::ImportApply(ImportMode::Merge).at(5));
    assert!(s.import.is_none());
    assert_eq!((s.edits, s.rev), (2, 2));
    assert_eq!(s.profile.ratings().len(), 3, "mine kept, two added");
    assert_eq!(
        s.profile.rating_of(&StableId::Movielens(1)).unwrap().value,
        2.0
    );
    let n = s
        .notices
        .iter()
        .find(|n| n.kind == NoticeKind::Import)
        .unwrap();
    assert_eq!(
        n.text,
        "Imported 2 ratings (1 not in this catalogue, kept for later); 1 you had already rated kept your own rating."
    );
    assert_eq!(s.screen, Some(Screen::Search), "My ratings in view");
}

#[test]
fn a_bad_file_changes_nothing_and_replace_asks_first() {
    let s = ready();
    let bad = reduce(s.clone(), read(&s, "photo.csv", b"\x89PNG\r\n\x1a\n\0\0"));
    assert_eq!((bad.edits, bad.rev), (s.edits, s.rev));
    assert!(bad.import.is_none());
    assert!(bad.notices[0]
        .text
        .starts_with("Could not import “photo.csv”: this is a binary file"));
    assert!(bad.notices[0].text.ends_with("Nothing was changed."));

    let s = reduce(s.clone(), read(&s, "ratings.csv", IMDB));
    let s = reduce(s, Intent::ImportAskReplace(true).at(1));
    assert!(s.import.as_ref().unwrap().confirm_replace);
    let cancelled = reduce(s.clone(), Intent::ImportCancel.at(2));
    assert!(cancelled.import.is_none());
    assert_eq!(cancelled.edits, 0);
    let r = reduce(s, Intent::ImportApply(ImportMode::Replace).at(3));
    assert_eq!(r.profile.ratings().len(), 3);
    assert_eq!(r.edits, 1);
}

#[test]
fn a_profile_file_merges_or_replaces_everything() {
    let mut theirs = Profile::default();
    theirs.rate(StableId::Movielens(3), 4.0, moviematch::Scale::Stars, 1);
    theirs.feedback(StableId::Movielens(4), Action::Like, 2);
    theirs.settings.caution = 0.0;
    let s = rated_one();
    let s = reduce(s.clone(), read(&s, "p.json", theirs.to_json().as_bytes()));
    let merged = reduce(s.clone(), Intent::ImportApply(ImportMode::Merge).at(9));
    assert_eq!(merged.profile.ratings().len(), 2);
    assert_eq!(merged.profile.likes().len(), 1);
    assert_ne!(merged.profile.settings.caution, 0.0, "my settings stay");
    let replaced = reduce(s, Intent::ImportApply(ImportMode::Replace).at(9));
    assert_eq!(
        *replaced.profile, theirs,
        "the whole profile, settings included"
    );
    assert!(replaced.notices[0].text.contains("(1 rating)"));
    // The same file merged twice adds nothing the second time and is no edit.
    let again = reduce(
        merged.clone(),
        read(&merged, "p.json", theirs.to_json().as_bytes()),
    );
    let again = reduce(again, Intent::ImportApply(ImportMode::Merge).at(10));
    assert_eq!(again.edits, merged.edits);
    assert!(again
        .notices
        .iter()
        .any(|n| n.text.starts_with("Nothing was added")));
    // A future version is a notice and nothing else.
    let future = reduce(
        merged.clone(),
        read(&merged, "f.json", br#"{"version":99,"events":[]}"#),
    );
    assert!(future.import.is_none());
    assert_eq!(future.profile, merged.profile);
    assert!(future
        .notices
        .iter()
        .any(|n| n.text.contains("newer version")));
}

#[test]
fn choosing_for_an_ambiguous_row_is_recorded_and_declines_count_as_kept() {
    use moviematch::import::ExportFormat;
    use moviematch::import_plan::{ImportPlan, PlannedRow, RowMatch};
    let plan = ImportPlan {
        format: ExportFormat::Letterboxd,
        rows: vec![PlannedRow {
            title: "Some Movie".into(),
            year: None,
            value: 4.0,
            scale: moviematch::Scale::Stars,
            rated_at: None,
            source_id: None,
            status: RowMatch::Ambiguous {
                candidates: vec![2, 5],
                chosen: None,
            },
        }],
    };
    let s = reduce(
        ready(),
        Msg::ImportReady {
            file: "r.csv".into(),
            incoming: Incoming::Ratings(Rc::new(plan)),
        },
    );
    let s = reduce(s, Intent::ImportChoose(0, None).at(1));
    assert_eq!(s.import.as_ref().unwrap().declined, vec![0]);
    let s = reduce(s, Intent::ImportChoose(0, Some(7)).at(2));
    assert_eq!(
        s.import.as_ref().unwrap().declined,
        vec![0],
        "7 is no candidate"
    );
    let s = reduce(s, Intent::ImportChoose(0, Some(5)).at(3));
    assert!(s.import.as_ref().unwrap().declined.is_empty());
    let s = reduce(s, Intent::ImportApply(ImportMode::Merge).at(4));
    let model = s.model().unwrap();
    assert_eq!(model.resolve(&s.profile.ratings()[0].item), Some(5));
}

#[test]
fn a_file_without_ratings_withdraws_nothing() {
    let s = rated_one();
    let header = b"Const,Your Rating,Date Rated,Title,Year\n";
    let p = reduce(s.clone(), read(&s, "ratings.csv", header));
    assert!(p.import.as_ref().unwrap().incoming.is_empty());
    for mode in [ImportMode::Replace, ImportMode::Merge] {
        let r = reduce(p.clone(), Intent::ImportApply(mode).at(5));
        assert_eq!(r.profile, s.profile, "{mode:?}");
        assert_eq!((r.edits, r.rev), (s.edits, s.rev));
        assert!(r
            .notices
            .iter()
            .any(|n| n.text.starts_with("This file has no ratings")));
    }
}
