use super::*;
use moviematch::rank::LIST_LENGTH;
use moviematch::{fixture, Profile, Scale, StableId, Visitor};

fn model() -> Model {
    Model::from_bundle(fixture::random_bundle(7, 400, 4, 200))
}

fn settings_with(m: &Model, base: &Settings, o: &Options) -> Result<Settings, PkgError> {
    Ok(o.list_options(m)?.settings_over(base))
}

#[test]
fn options_override_the_profiles_settings_field_by_field() {
    let m = model();
    let mut p = Profile::default();
    p.settings.filter.year_min = Some(1950);
    p.settings.caution = 2.0;
    let o = Options {
        popularity: Some(0.5),
        genres_any: Some(vec!["action".into(), "Drama".into()]),
        year_max: Some(2000),
        ..Options::default()
    };
    let s = settings_with(&m, &p.settings, &o).unwrap();
    assert_eq!((s.caution, s.popularity), (2.0, 0.5));
    assert_eq!(s.filter.year_min, Some(1950), "kept from the profile");
    assert_eq!(s.filter.year_max, Some(2000));
    assert_eq!(
        s.filter.genres_any,
        m.genre_mask("Action").unwrap() | m.genre_mask("Drama").unwrap()
    );
    // genresAny replaces the stored filter (it is not OR-ed with it).
    p.settings.filter.genres_any = m.genre_mask("Comedy").unwrap();
    let s = settings_with(&m, &p.settings, &o).unwrap();
    assert_eq!(
        s.filter.genres_any,
        m.genre_mask("Action").unwrap() | m.genre_mask("Drama").unwrap()
    );
    let lifted = Options {
        genres_any: Some(vec![]),
        ..Options::default()
    };
    assert_eq!(
        settings_with(&m, &p.settings, &lifted)
            .unwrap()
            .filter
            .genres_any,
        0
    );
    p.settings.filter.genres_any = 0;
    let e = settings_with(
        &m,
        &p.settings,
        &Options {
            genres_none: Some(vec!["Sci Fi".into()]),
            ..Options::default()
        },
    )
    .unwrap_err();
    assert_eq!(e.code(), "bad_option");
    let e = e.to_string();
    assert!(
        e.contains("unknown genre \"Sci Fi\"") && e.contains("Sci-Fi"),
        "{e}"
    );
    assert!(settings_with(
        &m,
        &p.settings,
        &Options {
            caution: Some(f32::NAN),
            ..Options::default()
        }
    )
    .is_err());
    // Round trip through the stored settings.
    p.settings = o.settings_options(&m).unwrap().settings_over(&p.settings);
    assert_eq!(
        settings_with(
            &m,
            &Settings::default(),
            &Options::from_settings(&m, &p.settings)
        )
        .unwrap(),
        p.settings
    );
    assert!(Options {
        top: Some(5),
        ..Options::default()
    }
    .settings_options(&m)
    .is_err());
}

/// The list of fields is the struct's, and anything else is refused.
#[test]
fn option_fields_are_exactly_the_structs() {
    let all = Options {
        top: Some(1),
        seed: Some(1.0),
        exploration: Some(1.0),
        popularity: Some(1.0),
        caution: Some(1.0),
        diversity: Some(1.0),
        genre_distance: Some(1.0),
        drift: Some(true),
        genres_all: Some(vec![]),
        genres_any: Some(vec![]),
        genres_none: Some(vec![]),
        year_min: Some(1),
        year_max: Some(1),
        imdb_min: Some(1.0),
        votes_min: Some(1),
        exclude_saved: Some(true),
    };
    let json = serde_json::to_value(&all).unwrap();
    let mut keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    let mut want = OPTION_FIELDS.to_vec();
    keys.sort_unstable();
    want.sort_unstable();
    assert_eq!(keys, want);
    assert!(check_option_keys(&OPTION_FIELDS).is_ok());
    let e = check_option_keys(&["top", "yearmin"]).unwrap_err();
    assert_eq!(e.code(), "bad_option");
    let e = e.to_string();
    assert!(
        e.starts_with("invalid options: unknown field `yearmin`"),
        "{e}"
    );
    // serde's own check, for callers that deserialize from JSON.
    assert!(serde_json::from_str::<Options>(r#"{"yearmin":1}"#).is_err());
}

/// Every stored setting (the engine's `Settings` and `Filter` serde names, camelCased) is an
/// option: a setting the engine adds cannot be forgotten here.
#[test]
fn every_stored_setting_is_an_option() {
    fn camel(snake: &str) -> String {
        let mut out = String::new();
        let mut up = false;
        for c in snake.chars() {
            match c {
                '_' => up = true,
                c if up => {
                    out.extend(c.to_uppercase());
                    up = false;
                }
                c => out.push(c),
            }
        }
        out
    }
    // Drift and the genre distance are stored only when not at their defaults.
    let stored = serde_json::to_value(Settings {
        drift: !Settings::default().drift,
        genre_distance: 0.5,
        ..Settings::default()
    })
    .unwrap();
    let mut n = 0;
    for (key, value) in stored.as_object().unwrap() {
        let keys: Vec<String> = match value.as_object() {
            Some(nested) => nested.keys().cloned().collect(),
            None => vec![key.clone()],
        };
        for k in keys {
            assert!(OPTION_FIELDS.contains(&camel(&k).as_str()), "{k}");
            n += 1;
        }
    }
    assert_eq!(
        n, 13,
        "the stored settings: five knobs, six filters, excludeSaved, drift"
    );
    let back = Options::from_settings(&model(), &Settings::default());
    let back = serde_json::to_value(back).unwrap();
    assert_eq!(
        back.as_object().unwrap().len(),
        9,
        "the None filters are left out"
    );
}

#[test]
fn rank_options_defaults_seed_and_top() {
    let m = model();
    let mut p = Profile::default();
    p.rate(StableId::Movielens(1), 4.0, Scale::Stars, 1);
    let v = Visitor::new(&m, &p);
    let rank = |o: &Options| {
        let request = o.list_options(&m).map(|l| l.request(&p.settings))?;
        Ok::<_, PkgError>(v.rank_options(&request))
    };
    let r = rank(&Options::default()).unwrap();
    assert_eq!((r.top, r.seed, r.genres), (LIST_LENGTH, 1, 0));
    let r = rank(&Options {
        top: Some(u32::MAX),
        seed: Some(42.0),
        genres_all: Some(vec!["Comedy".into()]),
        ..Options::default()
    })
    .unwrap();
    assert_eq!((r.top, r.seed), (m.len(), 42));
    assert_eq!(r.genres, m.genre_mask("comedy").unwrap());
    for bad in [-1.0, 0.5, 1e300, f64::NAN] {
        let o = Options {
            seed: Some(bad),
            ..Options::default()
        };
        assert!(rank(&o).is_err(), "{bad}");
    }
}
