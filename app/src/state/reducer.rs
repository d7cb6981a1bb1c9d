//! The reducer: a pure function of the old state and a message. What a notice says is worded
//! in `notices`; the share-link helpers are in `share`.

use std::rc::Rc;

use moviematch::import_plan::ImportMode;
use moviematch::Profile;
use yew::Reducible;

use super::share::{merge_into, merge_preview, restamped, shared_profile};
use super::Incoming;
use super::{
    notices, Load, Msg, Notice, NoticeKind, OpenMovie, PendingImport, Screen, SharedView, State,
    Tail, WaitingImport,
};

/// The reducer: a pure function of the old state and a message.
pub fn reduce(mut s: State, msg: Msg) -> State {
    match msg {
        Msg::Progress { received, total } => {
            s.load = Load::Fetching { received, total };
        }
        Msg::Decoding => s.load = Load::Decoding,
        Msg::Loaded(model) => {
            s.ready(model);
            s.tail = Tail::Complete;
            s.read_waiting_import();
        }
        Msg::HeadLoaded { model, total } => {
            s.ready(model);
            s.tail = Tail::Loading { total };
        }
        Msg::TailFailed(message) => {
            // A waiting import keeps waiting (its notice says so): matched against the head it
            // would find little, and the list offers Retry.
            if let Some(total) = s.tail.partial_total() {
                s.tail = Tail::Failed { total, message };
            }
        }
        Msg::RetryTail => {
            if let Some(total) = s.tail.partial_total() {
                s.tail = Tail::Loading { total };
                s.tail_attempt += 1;
            }
        }
        Msg::LoadFailed(msg) => s.load = Load::Failed(msg),
        Msg::Retry => {
            s.attempt += 1;
            s.load = Load::Fetching {
                received: 0,
                total: None,
            };
        }
        Msg::ProfileLoaded(p) => {
            s.profile = Rc::new(p);
            s.rev += 1;
        }
        Msg::ProfileRestored { profile, damaged } => {
            let text = notices::restored(damaged.is_some(), profile.ratings().len());
            s.profile = Rc::new(profile);
            s.rev += 1;
            s.notify(NoticeKind::Restored, text);
            // Saved again at once (the damaged text is backed up first, by the save hook), so
            // the main copy is whole again.
            s.held = damaged;
            s.edits += 1;
        }
        Msg::ProfileUnreadable(held) => {
            // On load the profile in use is empty; when another tab wrote the text, this tab
            // still has its own profile, which its next save writes.
            let text = notices::unreadable(&held.reason, s.profile.events.is_empty());
            s.notify(NoticeKind::Unreadable, text);
            s.held = Some(held);
        }
        Msg::CopyDamaged(text) => s.damaged_copy = Some(text),
        Msg::CopyBackedUp => s.damaged_copy = None,
        Msg::ProfileChanged(p) => {
            // What is stored is now readable, and it is what this tab shows: nothing is held and
            // nothing waits to be saved here.
            s.held = None;
            s.notices
                .retain(|n| !matches!(n.kind, NoticeKind::Unreadable | NoticeKind::SaveFailed));
            if *s.profile != p {
                s.profile = Rc::new(p);
                s.rev += 1;
            }
        }
        Msg::DeletedElsewhere => s = s.reset(notices::DELETED_ELSEWHERE),
        Msg::Rate { id, value, at } => {
            s.edit_profile(|p| p.rate(id, value, moviematch::Scale::Stars, at));
        }
        Msg::Unrate { id, at } => s.edit_profile(|p| p.unrate(id, at)),
        Msg::Compare { a, b, answer, at } => s.edit_profile(|p| p.compare(a, b, answer, at)),
        Msg::Feedback { id, action, at } => s.edit_profile(|p| p.feedback(id, action, at)),
        Msg::Withdraw { answer, at } => s.edit_profile(|p| p.withdraw(&answer, at)),
        Msg::SetSettings(settings) => {
            if s.profile.settings != settings {
                Rc::make_mut(&mut s.profile).settings = settings;
                s.edits += 1;
            }
        }
        Msg::Show(screen) => {
            let current = s.screen.unwrap_or(Screen::Search);
            if !matches!(current, Screen::Compare(_)) {
                s.back = current;
            }
            s.screen = Some(screen);
        }
        Msg::OpenMovie { movie_id, in_app } => {
            // Moving from one movie's view to another replaces the history entry (see
            // `services::dom::replace_fragment`), so how the first was opened still decides.
            let in_app = s.movie.map_or(in_app, |open| open.in_app);
            s.movie = Some(OpenMovie { movie_id, in_app });
        }
        Msg::CloseMovie => s.movie = None,
        Msg::StartFresh => s.edits += 1,
        Msg::HeldBackedUp { key } => {
            let restored = s.held.take().is_some_and(|h| h.restored);
            s.notices.retain(|n| n.kind != NoticeKind::Unreadable);
            match s
                .notices
                .iter_mut()
                .find(|n| n.kind == NoticeKind::Restored)
            {
                Some(n) if restored => n.text.push_str(&notices::damaged_text_kept(&key)),
                _ if restored => {}
                _ => s.notify(NoticeKind::BackedUp, notices::backed_up(&key)),
            }
        }
        Msg::Saved => s.notices.retain(|n| n.kind != NoticeKind::SaveFailed),
        Msg::SaveFailed(why) => s.notify(NoticeKind::SaveFailed, notices::save_failed(&why)),
        Msg::SaveAgain => s.edits += 1,
        Msg::SetPairsOnly(on) => s.pairs_only = on,
        Msg::SetQuery(q) => s.query = q,
        Msg::Dismiss(kind) => s.notices.retain(|n| n.kind != kind),
        Msg::OpenShared { ratings, at } => {
            let id = s.shared.as_ref().map_or(0, |v| v.id + 1);
            s.notices
                .retain(|n| !matches!(n.kind, NoticeKind::ShareLink | NoticeKind::Shared));
            s.shared = Some(SharedView {
                profile: Rc::new(shared_profile(&ratings, at)),
                id,
                confirm_replace: false,
            });
        }
        Msg::AddFriend { ratings, at } => match ratings {
            Ok(ratings) => {
                s.friends.push(Rc::new(shared_profile(&ratings, at)));
                s.friend_error = None;
            }
            Err(why) => s.friend_error = Some(notices::share_link_bad(&why)),
        },
        Msg::RemoveFriend(n) => {
            if n < s.friends.len() {
                s.friends.remove(n);
            }
        }
        Msg::ShareLinkBad(why) => s.notify(NoticeKind::ShareLink, notices::share_link_bad(&why)),
        Msg::AskReplace(on) => {
            if let Some(v) = s.shared.as_mut() {
                v.confirm_replace = on;
            }
        }
        Msg::MergeShared { at } => {
            if let Some(view) = s.shared.take() {
                let model = s.model();
                let done = merge_preview(&s.profile, &view.profile, model.as_deref());
                if done.ratings > 0 {
                    s.edit_profile(|p| {
                        merge_into(p, &view.profile, model.as_deref(), at);
                    });
                }
                s.notify(NoticeKind::Shared, notices::merged_shared(done));
                s.show_mine();
            }
        }
        Msg::ReplaceShared { at } => {
            if let Some(view) = s.shared.take() {
                let shared = restamped(&view.profile, at);
                let text = notices::replaced_by_shared(shared.ratings().len());
                s.edit_profile(|p| {
                    let settings = std::mem::take(&mut p.settings);
                    *p = shared;
                    p.settings = settings;
                });
                s.notify(NoticeKind::Shared, text);
                s.show_mine();
            }
        }
        Msg::LeaveShared => s.shared = None,
        Msg::ImportReady { file, incoming } => {
            let id = s.import.as_ref().map_or(0, |p| p.id + 1);
            s.notices.retain(|n| n.kind != NoticeKind::Import);
            s.import = Some(PendingImport {
                id,
                file,
                incoming,
                declined: Vec::new(),
                confirm_replace: false,
            });
            s.screen = Some(Screen::Import);
        }
        Msg::ImportRead { file, bytes } => {
            if let (Some(model), Some(total)) = (s.model(), s.tail.partial_total()) {
                s.notify(
                    NoticeKind::Import,
                    notices::import_waits(&file, model.len(), total),
                );
            }
            s.waiting_import = Some(WaitingImport { file, bytes });
            if s.tail == Tail::Complete {
                s.read_waiting_import();
            }
        }
        Msg::ImportFailed { file, why } => {
            s.notify(NoticeKind::Import, notices::import_failed(&file, &why))
        }
        Msg::ImportChoose { row, item } => {
            if let Some(p) = s.import.as_mut() {
                if let Incoming::Ratings(plan) = &mut p.incoming {
                    if Rc::make_mut(plan).choose(row, item) {
                        p.declined.retain(|&r| r != row);
                        if item.is_none() {
                            p.declined.push(row);
                        }
                    }
                }
            }
        }
        Msg::ImportAskReplace(on) => {
            if let Some(p) = s.import.as_mut() {
                p.confirm_replace = on;
            }
        }
        Msg::ImportApply { mode, at } => {
            if let Some(pending) = s.import.take() {
                s.apply_import(pending, mode, at);
            }
        }
        Msg::ImportCancel => s.import = None,
        Msg::DataDeleted => s = s.reset(notices::DATA_DELETED),
        Msg::DataNotDeleted(why) => s.notify(NoticeKind::Data, notices::data_not_deleted(&why)),
    }
    s
}

impl Reducible for State {
    type Action = Msg;

    fn reduce(self: Rc<Self>, msg: Msg) -> Rc<Self> {
        Rc::new(reduce(Rc::unwrap_or_clone(self), msg))
    }
}

impl State {
    /// A model is in use: the first one also decides the first screen. A screen that names a
    /// film by its place in the previous model (rating by comparison) follows the film.
    fn ready(&mut self, model: super::ModelRef) {
        if let (Some(Screen::Compare(i)), Some(old)) = (self.screen, self.model()) {
            self.screen = Some(match model.resolve(&old.stable_id(i)) {
                Some(j) => Screen::Compare(j),
                None => self.back,
            });
        }
        self.load = Load::Ready(model);
        if self.screen.is_none() {
            self.screen = Some(if self.profile.events.is_empty() {
                Screen::Start
            } else {
                Screen::Search
            });
        }
    }

    /// The file chosen while the head alone was loaded, read against the model now in use:
    /// its preview, or why it cannot be imported.
    fn read_waiting_import(&mut self) {
        // Without a model yet the file keeps waiting (taken only once it can be read).
        let Some(model) = self.model() else {
            return;
        };
        let Some(waiting) = self.waiting_import.take() else {
            return;
        };
        self.notices.retain(|n| n.kind != NoticeKind::Import);
        let msg = match crate::import::read_file(&model, &waiting.file, &waiting.bytes) {
            Ok(incoming) => Msg::ImportReady {
                file: waiting.file,
                incoming,
            },
            Err(why) => Msg::ImportFailed {
                file: waiting.file,
                why,
            },
        };
        *self = reduce(std::mem::take(self), msg);
    }

    fn notify(&mut self, kind: NoticeKind, text: String) {
        self.notices.retain(|n| n.kind != kind);
        self.notices.push(Notice { kind, text });
    }

    /// After taking shared ratings: the visitor's list with "My ratings" in view.
    fn show_mine(&mut self) {
        if matches!(self.load, Load::Ready(_)) && !self.profile.ratings().is_empty() {
            self.screen = Some(Screen::Search);
        }
    }

    /// An edit of the event log: saved, and the posterior is refitted.
    fn edit_profile(&mut self, f: impl FnOnce(&mut Profile)) {
        f(Rc::make_mut(&mut self.profile));
        self.edits += 1;
        self.rev += 1;
    }

    /// Every stored key is gone: back to the start with an empty profile and nothing held,
    /// saying `text`. Not an edit (saving the empty profile would write a key again).
    fn reset(self, text: &str) -> State {
        let ready = self.model().is_some();
        let mut s = State {
            load: self.load,
            attempt: self.attempt,
            tail: self.tail,
            tail_attempt: self.tail_attempt,
            // Unchanged: the save hook must not write the empty profile back.
            edits: self.edits,
            rev: self.rev + 1,
            screen: ready.then_some(Screen::Start),
            ..State::default()
        };
        s.notify(NoticeKind::Data, text.into());
        s
    }

    /// Writes the pending import into the profile (only when that changes something, so an
    /// import that adds nothing is not an edit) and says what happened.
    fn apply_import(&mut self, pending: PendingImport, mode: ImportMode, at: i64) {
        let Some(model) = self.model() else {
            self.import = Some(pending);
            return;
        };
        // The preview offers neither for such a file; replacing would withdraw every rating.
        if pending.incoming.is_empty() {
            self.notify(NoticeKind::Import, notices::NOTHING_TO_IMPORT.into());
            return;
        }
        let mut p = (*self.profile).clone();
        let text = match &pending.incoming {
            Incoming::Ratings(plan) => notices::applied(plan.apply(&model, &mut p, mode, at), mode),
            Incoming::Profile(other) => match mode {
                ImportMode::Merge => notices::merged_file(p.merge_from(other, &*model, at)),
                ImportMode::Replace => {
                    p = (**other).clone();
                    notices::replaced_by_file(p.ratings().len())
                }
            },
        };
        if p != *self.profile {
            self.edit_profile(|q| *q = p);
        }
        self.notify(NoticeKind::Import, text);
        self.show_mine();
    }
}
