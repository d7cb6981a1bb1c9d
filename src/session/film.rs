//! One film, for one visitor: "would I like this one?" — any film as the list would show it,
//! wherever it ranks (search results, the compare panel, `tools predict`, pkg `engine.predict`),
//! and for a film the visitor rated, their rating beside what the model predicts from
//! everything else they said; and "more like this" — its nearest films ([`crate::similar`])
//! re-ranked for the visitor (`tools similar`, pkg `engine.similar`).

use super::{implicit_signals, what_they_did, ListEntry, ListRequest, RatedEntry, Visitor};
use crate::explain::{reasons_for, REASONS};
use crate::loo::LeaveOneOut;
use crate::model::Model;
use crate::rank::{self, RankOptions, Recommendation, Taste};
use crate::similar;
use moviematch_math::linalg::NotPositiveDefinite;
use moviematch_math::top::keep_best;

/// Films "more like this" shows.
pub const SIMILAR_SHOWN: usize = 10;
/// The nearest listable films (in the merged order) that "more like this" re-ranks: re-ranking
/// all ~100 neighbours by the list score let well-loved films far from the film win (the shown
/// films' genre Jaccard with the film, over the 300 most-voted films for a new visitor: 0.309
/// re-ranking all, 0.378 the nearest 20, 0.434 not re-ranking).
pub const SIMILAR_POOL: usize = 2 * SIMILAR_SHOWN;

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

/// "More like this" for one film and one visitor.
#[derive(Debug, Clone, PartialEq)]
pub struct Similar {
    /// The nearest films re-ranked by the visitor's list score, best first, at most
    /// [`SIMILAR_SHOWN`]; what the visitor's list leaves out (rated, disliked, hidden, …) and
    /// what the settings' filters refuse are left out here too.
    pub entries: Vec<ListEntry>,
    /// The film has no ratings in the training data: its neighbours come from its content
    /// prior (genres, year, IMDb figures), and the page says so.
    pub from_content_prior: bool,
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
        let rec = rank::recommendation_for(model, &taste, &opts, item);
        Ok(self.with_reasons(model, &taste, &opts, rec))
    }

    /// `rec` with the reasons the list would give it.
    fn with_reasons(
        &self,
        model: &Model,
        taste: &Taste<'_>,
        opts: &RankOptions,
        rec: Recommendation,
    ) -> ListEntry {
        let w = model
            .blend()
            .weights(taste.answers, opts.popularity, opts.caution);
        ListEntry {
            reasons: reasons_for(model, taste, &w, &self.reason_answers(), &rec, REASONS),
            rec,
        }
    }

    /// "Would I like this one?" for film `item`: its entry, and for a film the visitor rated,
    /// the entry of the same visitor without that rating: the posterior without it by
    /// [`crate::loo`] (the prediction "how well do you know me?" shows for it,
    /// [`Visitor::calibration`]), the implicit taste and the reasons without it. `_profile`
    /// (the one this visitor was read from) is no longer read: the rating is taken out of the
    /// fitted posterior, not withdrawn from a copy and refitted; it stays for the callers.
    pub fn film(
        &self,
        model: &Model,
        item: usize,
        request: &ListRequest,
    ) -> Result<FilmPrediction, NotPositiveDefinite> {
        // `rated` is most recent first: the first match is the rating in force.
        let your_rating = self.rated.iter().find(|r| r.item == Some(item)).cloned();
        let entry = match your_rating {
            None => self.entry(model, item, request)?,
            Some(_) => match self
                .evidence
                .observations
                .iter()
                .position(|o| o.item == item)
            {
                Some(j) => self.without_rating(model, j)?.entry(model, item, request)?,
                // Every rated catalogue film is one observation; kept total all the same.
                None => self.entry(model, item, request)?,
            },
        };
        Ok(FilmPrediction { entry, your_rating })
    }

    /// This visitor without rating `j` (of the evidence's observations), as far as a film's
    /// entry needs: the evidence, the posterior ([`LeaveOneOut::posterior`]), the implicit
    /// signals and taste, what reasons may name. Exclusions, questions and the seed are left
    /// as they were (no entry reads them).
    fn without_rating(&self, model: &Model, j: usize) -> Result<Visitor, NotPositiveDefinite> {
        let post = self.posterior()?;
        let shown = crate::stack::without(model, post.stack(), &self.evidence.observations, j);
        let posterior = LeaveOneOut::new(model, &self.evidence, post)?
            .posterior(model, j)
            .map(|p| p.with_stack(shown));
        let mut evidence = self.evidence.clone();
        let item = evidence.observations.remove(j).item;
        let signals = implicit_signals(&evidence, &self.saved, &self.history);
        Ok(Visitor {
            rated: (self.rated.iter())
                .filter(|r| r.item != Some(item))
                .cloned()
                .collect(),
            did: what_they_did(&evidence, &self.saved),
            implicit: model.implicit_taste(&signals).and_then(Result::ok),
            signals,
            evidence,
            posterior,
            ..self.clone()
        })
    }

    /// "More like this": the [`similar::PER_MODEL`] nearest films to `item` by each model,
    /// merged by rank; of those the visitor's list may hold (exclusions and the request's
    /// filters applied), the nearest [`SIMILAR_POOL`] re-ranked by this visitor's list score,
    /// [`SIMILAR_SHOWN`] of them.
    pub fn similar(
        &self,
        model: &Model,
        item: usize,
        request: &ListRequest,
    ) -> Result<Similar, NotPositiveDefinite> {
        let near = similar::neighbours(model, item);
        let taste = self.taste()?;
        let opts = self.rank_options(request);
        let exclude = self.exclusions(&request.settings);
        let recs: Vec<Recommendation> = near
            .merged
            .iter()
            .copied()
            .filter(|&i| rank::listable(model, &opts, &exclude, i))
            .take(SIMILAR_POOL)
            .map(|i| rank::recommendation_for(model, &taste, &opts, i))
            .collect();
        let mut scored: Vec<(f64, usize)> = recs.iter().map(|r| (r.score as f64, r.item)).collect();
        keep_best(&mut scored, SIMILAR_SHOWN);
        let entries = scored
            .into_iter()
            .filter_map(|(_, i)| recs.iter().find(|r| r.item == i).cloned())
            .map(|rec| self.with_reasons(model, &taste, &opts, rec))
            .collect();
        Ok(Similar {
            entries,
            from_content_prior: near.from_content_prior,
        })
    }
}
