//! The visitor, fitted once per profile revision. Every JavaScript `Profile` is a
//! [`TrackedProfile`]: a unique id per object and a revision that every change to its events
//! bumps (rate, unrate, compare, feedback, import merge or replace). Settings are not events:
//! changing them bumps nothing, so trying settings never refits. The `Engine` keeps the last
//! `(profile id, revision) → Visitor` in a [`VisitorCache`] and reuses it.

use std::sync::atomic::{AtomicU64, Ordering};

use moviematch::profile::Settings;
use moviematch::{Model, Profile, Visitor};

/// Ids of profile objects: never reused, so a freed profile's visitor is never mistaken for a
/// new one's.
static NEXT_PROFILE: AtomicU64 = AtomicU64::new(1);

/// What a fitted visitor depends on: which profile object, at which revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProfileKey {
    pub profile: u64,
    pub revision: u64,
}

/// A profile with an identity and a revision.
#[derive(Debug)]
pub struct TrackedProfile {
    profile: Profile,
    key: ProfileKey,
}

impl TrackedProfile {
    pub fn new(profile: Profile) -> TrackedProfile {
        TrackedProfile {
            profile,
            key: ProfileKey {
                profile: NEXT_PROFILE.fetch_add(1, Ordering::Relaxed),
                revision: 0,
            },
        }
    }

    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    pub fn key(&self) -> ProfileKey {
        self.key
    }

    /// Changes the events; the revision moves on when the change succeeds (a refused change
    /// leaves the profile as it was).
    pub fn edit<T, E>(&mut self, f: impl FnOnce(&mut Profile) -> Result<T, E>) -> Result<T, E> {
        let out = f(&mut self.profile)?;
        self.key.revision += 1;
        Ok(out)
    }

    /// The stored list settings: changing them keeps the revision (no refit).
    pub fn settings_mut(&mut self) -> &mut Settings {
        &mut self.profile.settings
    }
}

/// The last fitted visitor, the profile revision it was fitted to and whether with taste
/// drift (the one setting that changes the fit).
#[derive(Debug, Default)]
pub struct VisitorCache {
    entry: Option<((ProfileKey, bool), Visitor)>,
    fits: u64,
}

impl VisitorCache {
    /// The visitor of this profile revision under `settings` (only their taste drift matters
    /// here): the cached one, or a new fit.
    pub fn visitor(
        &mut self,
        model: &Model,
        profile: &TrackedProfile,
        settings: &Settings,
    ) -> &Visitor {
        let key = (profile.key(), settings.drift);
        if !matches!(&self.entry, Some((k, _)) if *k == key) {
            self.entry = None;
            self.fits += 1;
        }
        &self
            .entry
            .get_or_insert_with(|| {
                (
                    key,
                    Visitor::with_settings(model, profile.profile(), settings),
                )
            })
            .1
    }

    /// How many times a visitor was fitted.
    pub fn fits(&self) -> u64 {
        self.fits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use moviematch::fixture::random_bundle;
    use moviematch::profile::{Action, CompareAnswer};
    use moviematch::Scale;

    #[test]
    fn events_bump_the_revision_and_settings_do_not() {
        let m = Model::from_bundle(random_bundle(3, 80, 3, 60));
        let mut p = TrackedProfile::new(Profile::default());
        let other = TrackedProfile::new(Profile::default());
        assert_ne!(p.key().profile, other.key().profile, "one id per object");
        let mut cache = VisitorCache::default();
        cache.visitor(&m, &p, &p.profile().settings.clone());
        cache.visitor(&m, &p, &p.profile().settings.clone());
        assert_eq!(cache.fits(), 1, "same revision: reused");
        p.settings_mut().popularity = 0.0;
        p.settings_mut().filter.genres_any = 1;
        cache.visitor(&m, &p, &p.profile().settings.clone());
        assert_eq!(cache.fits(), 1, "settings do not refit");
        let edits: [&dyn Fn(&mut Profile); 4] = [
            &|q| q.rate(m.stable_id(0), 4.0, Scale::Stars, 1),
            &|q| q.compare(m.stable_id(1), m.stable_id(2), CompareAnswer::A, 2),
            &|q| q.feedback(m.stable_id(3), Action::Like, 3),
            &|q| q.unrate(m.stable_id(0), 4),
        ];
        for (n, edit) in edits.iter().enumerate() {
            let before = p.key();
            p.edit(|q| {
                edit(q);
                Ok::<_, ()>(())
            })
            .unwrap();
            assert_eq!(p.key().revision, before.revision + 1);
            let v = cache.visitor(&m, &p, &p.profile().settings.clone());
            assert_eq!(v.seed(), n as u64 + 1, "fitted to the new events");
            assert_eq!(cache.fits(), n as u64 + 2);
        }
        // A refused change keeps the revision.
        let before = p.key();
        assert!(p.edit(|_| Err::<(), _>("refused")).is_err());
        assert_eq!(p.key(), before);
        // Another profile at the same revision is another visitor.
        cache.visitor(&m, &other, &Settings::default());
        assert_eq!(cache.fits(), 6);
        // Taste drift is the one setting that refits, there and back.
        let drift_off = Settings {
            drift: false,
            ..Settings::default()
        };
        cache.visitor(&m, &other, &drift_off);
        assert_eq!(cache.fits(), 7);
        cache.visitor(&m, &other, &drift_off);
        assert_eq!(cache.fits(), 7);
        cache.visitor(&m, &other, &Settings::default());
        assert_eq!(cache.fits(), 8);
    }
}
