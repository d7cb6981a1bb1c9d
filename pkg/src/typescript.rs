//! The TypeScript declarations of the objects the package hands out and takes (wasm-bindgen adds
//! them to `moviematch.d.ts`; the exported functions name them with `unchecked_*_type`).

use wasm_bindgen::prelude::*;

/// The declarations, as text (the error codes are checked against [`crate::error::CODES`]).
pub const TYPES: &str = r#"
/** A movie id given to the package: a MovieLens movieId (number) or an IMDb id ("tt0133093"). */
export type MovieId = number | string;
/**
 * A movie id as the profile stores it: a MovieLens movieId (number), an IMDb id ("tt0133093"),
 * or, for an imported or shared entry no catalogue knew, its title and year.
 */
export type StoredId = number | string | { title: string; year: number | null; source: string };
/** A catalogue movie. `id` is its MovieLens movieId. */
export interface Movie {
  id: number;
  imdb: string | null;
  title: string;
  year: number | null;
  genres: string[];
  imdbRating: number | null;
  imdbVotes: number;
}
/** A recommended movie: the predicted rating and its central 80% interval, in stars (0.5–5). */
export interface Recommendation extends Movie {
  mean: number;
  low: number;
  high: number;
  sd: number;
  /** Why, in words ("because you liked Alien (4.5★)"), strongest first; may be empty. */
  reasons: string[];
  /**
   * In the list only because of exploration (Thompson sampling): the same list without
   * exploration leaves this movie out. Always false with `exploration: 0`.
   */
  exploring: boolean;
}
/**
 * "Would I like this one?" (`engine.predict`): a movie as the list would show it, wherever it
 * ranks, and the visitor's own rating in stars (`null` if unrated). For a rated movie, `mean`,
 * `low` and `high` are predicted without that rating.
 */
export interface Prediction extends Recommendation {
  yourRating: number | null;
}
/** One film of a group's list (`engine.recommendFor`): `mean`, `low`, `high` are its least happy member's. */
export interface GroupRecommendation extends Recommendation {
  /** Each member's prediction in stars, the owner first. */
  members: { mean: number; low: number; high: number }[];
}
/**
 * "How well do you know me?" (`engine.calibration`): every film the visitor rated, predicted
 * without its rating, in stars; the summary over the `n` films with an IMDb prediction.
 */
export interface Calibration {
  n: number;
  model: { mae: number | null; spearman: number | null; coverage80: number | null };
  imdb: { mae: number | null; spearman: number | null };
  /** Most recent first; `imdb` is the IMDb average mapped to the visitor's ratings. */
  films: {
    movieId: number;
    imdbId: string | null;
    title: string;
    year: number | null;
    yourRating: number;
    mean: number;
    low: number;
    high: number;
    imdb: number | null;
  }[];
}
/** "More like this" (`engine.similar`). */
export interface Similar {
  /** The movie asked about. */
  movie: Movie;
  /** It has no ratings in the training data: its neighbours come from its content prior. */
  fromContentPrior: boolean;
  /** Best first, at most 10. */
  similar: Recommendation[];
}
/**
 * What a list asks for; every field is optional and defaults to the profile's settings.
 * Unknown fields are an error. Knobs are clamped to their ranges.
 */
export interface RecommendOptions {
  /** Length of the list (default 20). */
  top?: number;
  /** Thompson sampling's seed (default: the profile's number of events). */
  seed?: number;
  /** 0–3: how much the list explores (0 ranks by the predicted rating). */
  exploration?: number;
  /** −1–3: preference for movies the visitor probably knows. */
  popularity?: number;
  /** 0–3: standard deviations of the model's uncertainty about a movie subtracted. */
  caution?: number;
  /** 0–3: how strongly similar movies are spread apart. */
  diversity?: number;
  /** −1–1: −1 stays close to the genres the visitor liked, 1 surprises them (0: off). */
  genreDistance?: number;
  /**
   * Taste drift: recent answers weigh more (half-life 90 days, measured from the profile's
   * newest answer, never the clock). Default on; changing it refits the visitor.
   */
  drift?: boolean;
  /** Only movies having every one of these genres (this list only; not stored). */
  genresAll?: string[];
  /** Only movies having at least one of these genres (replaces the profile's; [] lifts it). */
  genresAny?: string[];
  /** No movie having any of these genres. */
  genresNone?: string[];
  yearMin?: number;
  yearMax?: number;
  /** IMDb rating at least this (movies without one are left out). */
  imdbMin?: number;
  votesMin?: number;
  /** Leave out the watchlist ("save"d movies) too. */
  excludeSaved?: boolean;
}
/** A rating in force (or a shared one): `rating` on its `scale`. */
export interface Rating {
  id: StoredId;
  rating: number;
  scale: "stars" | "ten";
}
/**
 * What an import found and did: `rows` = `matched` + `ambiguous` + `unmatched`; ambiguous and
 * unmatched rows are kept in the profile as unmatched entries (title and year).
 */
export interface ImportSummary {
  format: "imdb" | "letterboxd";
  rows: number;
  matched: number;
  ambiguous: number;
  unmatched: number;
  /** Ratings written (a movie the file rates twice counts once). */
  added: number;
  /** Rows a merge skipped because the profile already rated the movie. */
  keptYours: number;
  /** Ratings a replace withdrew first. */
  withdrawn: number;
}
export type RatingScale = "stars" | "ten";
export type CompareAnswer = "a" | "b" | "tie" | "unseen_a" | "unseen_b" | "skip";
export type FeedbackAction = "like" | "dislike" | "unlike" | "hide" | "unhide" | "save" | "unsave" | "unseen" | "undo_unseen";
export type ImportMode = "merge" | "replace";
/**
 * Why a call threw: "bad_bundle" (not a bundle this build reads), "bad_profile" (a stored
 * profile that is not valid JSON or not a profile), "future_profile" (written by a newer
 * version), "bad_option" (an option or argument the call does not accept), "unknown_movie"
 * (not a movie id), "bad_share_link" (not a share link, or a damaged one), "bad_import" (not a
 * ratings export), "fit_failed" (the answers could not be fitted).
 */
export type MovieMatchErrorCode =
  | "bad_bundle"
  | "bad_profile"
  | "future_profile"
  | "bad_option"
  | "unknown_movie"
  | "bad_share_link"
  | "bad_import"
  | "fit_failed";
/** Every error the package throws: `e.name === "MovieMatchError"`, `e.code` says why. */
export interface MovieMatchError extends Error {
  name: "MovieMatchError";
  code: MovieMatchErrorCode;
}
"#;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = TYPES;
