//! "Would I like this one?": any film as the list would show it, wherever it ranks (search
//! results, the compare panel, `tools predict`, pkg `engine.predict`), and for a film the
//! visitor rated, their rating beside what the model predicts from everything else they said.

use super::{ListEntry, ListRequest, RatedEntry, Visitor};
use crate::explain::{reasons_for, REASONS};
use crate::model::Model;
use crate::profile::Profile;
use crate::rank;
use moviematch_math::linalg::NotPositiveDefinite;

/// One film's prediction for one visitor.
#[derive(Debug, Clone, PartialEq)]
pub struct FilmPrediction {
    /// The film as a list entry: prediction, 80% interval, exact score, reasons. For a film
    /// the visitor rated, as if they had not (from their other answers only): what the model
    /// would have told them, which their rating can be held against.
    pub entry: ListEntry,
    /// Their rating in force, if they rated the film (the latest, as given).
    pub your_rating: Option<RatedEntry>,
}

impl Visitor {
    /// Film `item` as the plain list (exploration 0) under the request's settings would show
    /// it, wherever it ranks; filters and exclusions do not apply. A film in the list gets the
    /// list's own entry (tested).
    pub fn entry(
        &self,
        model: &Model,
        item: usize,
        request: &ListRequest,
    ) -> Result<ListEntry, NotPositiveDefinite> {
        let taste = self.taste()?;
        let opts = self.rank_options(request);
        let w = model
            .blend()
            .weights(taste.answers, opts.popularity, opts.caution);
        let rec = rank::recommendation_for(model, &taste, &opts, item);
        Ok(ListEntry {
            reasons: reasons_for(model, &taste, &w, &self.reason_answers(), &rec, REASONS),
            rec,
        })
    }

    /// "Would I like this one?" for film `item`: its entry, and for a film the visitor rated,
    /// the entry of the same visitor without that rating (`profile` is the one this visitor
    /// was read from; the rating is withdrawn from a copy and the answers refitted).
    pub fn film(
        &self,
        model: &Model,
        profile: &Profile,
        item: usize,
        request: &ListRequest,
    ) -> Result<FilmPrediction, NotPositiveDefinite> {
        // `rated` is most recent first: the first match is the rating in force.
        let your_rating = self.rated.iter().find(|r| r.item == Some(item)).cloned();
        let entry = match your_rating {
            None => self.entry(model, item, request)?,
            Some(_) => {
                let mut without = profile.clone();
                // Every id it was rated under (an IMDb id and a MovieLens id may both be).
                for r in self.rated.iter().filter(|r| r.item == Some(item)) {
                    without.unrate(r.id.clone(), 0);
                }
                Visitor::new(model, &without).entry(model, item, request)?
            }
        };
        Ok(FilmPrediction { entry, your_rating })
    }
}
