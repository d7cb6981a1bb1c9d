//! The package's one error type. Every call that can fail returns a [`PkgError`]; JavaScript
//! receives it as a thrown `Error` whose `name` is `"MovieMatchError"` and whose `code` is one
//! of [`CODES`] (documented in the TypeScript declarations and in `pkg/README.md`), with the
//! engine's own words as the message.

use moviematch::bundle::BundleError;
use moviematch::import::ImportError;
use moviematch::linalg::NotPositiveDefinite;
use moviematch::share::ShareError;
use moviematch::ProfileError;
use wasm_bindgen::JsValue;

/// The `name` of every error the package throws.
pub const ERROR_NAME: &str = "MovieMatchError";

/// Every `code` a thrown error can have, in [`PkgError`]'s order.
pub const CODES: [&str; 8] = [
    "bad_bundle",
    "bad_profile",
    "future_profile",
    "bad_option",
    "unknown_movie",
    "bad_share_link",
    "bad_import",
    "fit_failed",
];

/// Why a call failed. A failed call leaves the engine and the profile as they were.
#[derive(Debug, PartialEq, thiserror::Error)]
pub enum PkgError {
    /// `bad_bundle`: the bytes are not a model bundle this build reads.
    #[error("cannot read the model bundle: {0}")]
    BadBundle(#[from] BundleError),
    /// `bad_profile`: the stored profile is not valid JSON or not a profile.
    #[error("cannot read the profile: {0}")]
    BadProfile(ProfileError),
    /// `future_profile`: a newer version of the site wrote the profile (kept untouched).
    #[error("cannot read the profile: {0}")]
    FutureProfile(ProfileError),
    /// `bad_option`: an options object or an argument the call does not accept (an unknown or
    /// mistyped option, an unknown genre, a rating off its scale, an unknown answer, action,
    /// scale or import mode, a movie compared with itself).
    #[error("{0}")]
    BadOption(String),
    /// `unknown_movie`: a value given as a movie id is neither a MovieLens id nor an IMDb id.
    #[error("{0}")]
    UnknownMovie(String),
    /// `bad_share_link`: not a share link, or a damaged or tampered one.
    #[error("{0}")]
    BadShareLink(#[from] ShareError),
    /// `bad_import`: the file is not a ratings export the package reads (or not a file).
    #[error("{0}")]
    BadImport(String),
    /// `fit_failed`: the visitor's answers could not be fitted (a numerical failure).
    #[error("the model could not be fitted to these answers ({0})")]
    FitFailed(#[from] NotPositiveDefinite),
}

impl PkgError {
    /// The `code` JavaScript sees (one of [`CODES`]).
    pub fn code(&self) -> &'static str {
        let i = match self {
            PkgError::BadBundle(_) => 0,
            PkgError::BadProfile(_) => 1,
            PkgError::FutureProfile(_) => 2,
            PkgError::BadOption(_) => 3,
            PkgError::UnknownMovie(_) => 4,
            PkgError::BadShareLink(_) => 5,
            PkgError::BadImport(_) => 6,
            PkgError::FitFailed(_) => 7,
        };
        CODES[i]
    }
}

impl From<ProfileError> for PkgError {
    fn from(e: ProfileError) -> PkgError {
        match e {
            ProfileError::FutureVersion { .. } => PkgError::FutureProfile(e),
            _ => PkgError::BadProfile(e),
        }
    }
}

impl From<ImportError> for PkgError {
    fn from(e: ImportError) -> PkgError {
        PkgError::BadImport(e.to_string())
    }
}

/// The thrown value: `new Error(message)` with `name` "MovieMatchError" and `code`.
impl From<PkgError> for JsValue {
    fn from(e: PkgError) -> JsValue {
        let error = js_sys::Error::new(&e.to_string());
        error.set_name(ERROR_NAME);
        // Setting a property on a fresh Error cannot fail.
        let _ = js_sys::Reflect::set(&error, &"code".into(), &e.code().into());
        error.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_of_each() -> Vec<PkgError> {
        vec![
            BundleError::BadMagic.into(),
            ProfileError::Syntax("x".into()).into(),
            ProfileError::FutureVersion {
                found: 9,
                supported: 2,
            }
            .into(),
            PkgError::BadOption("x".into()),
            PkgError::UnknownMovie("x".into()),
            ShareError::Checksum.into(),
            ImportError::Empty.into(),
            NotPositiveDefinite {
                pivot: 0,
                value: -1.0,
            }
            .into(),
        ]
    }

    #[test]
    fn every_variant_has_its_own_code() {
        let codes: Vec<&str> = one_of_each().iter().map(PkgError::code).collect();
        assert_eq!(codes, CODES);
        let e: PkgError = ProfileError::Shape("no events".into()).into();
        assert_eq!(e.code(), "bad_profile");
    }

    #[test]
    fn messages_keep_the_engines_words() {
        let e: PkgError = BundleError::ChecksumMismatch.into();
        assert_eq!(
            e.to_string(),
            "cannot read the model bundle: bundle is corrupted: checksum mismatch"
        );
        let e: PkgError = ShareError::Checksum.into();
        assert!(e.to_string().contains("checksum mismatch"), "{e}");
        let e: PkgError = ProfileError::FutureVersion {
            found: 99,
            supported: 2,
        }
        .into();
        assert!(e.to_string().contains("newer version"), "{e}");
    }

    /// The TypeScript declarations and the README list exactly these codes.
    #[test]
    fn codes_are_documented() {
        let readme = include_str!("../README.md");
        for code in CODES {
            assert!(
                crate::typescript::TYPES.contains(&format!("\"{code}\"")),
                "{code}"
            );
            assert!(readme.contains(&format!("`{code}`")), "README lacks {code}");
        }
        assert!(crate::typescript::TYPES.contains(ERROR_NAME));
    }
}
