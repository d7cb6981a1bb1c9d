//! How a stored event is read: the same JSON the derived writer produces (`{"type":"rating",
//! "item":…,"value":…,"scale":…,"at":…}` and so on), read as one flat record and then checked.
//!
//! Why not serde's derive for the internally tagged `Event`: it buffers every event into an
//! intermediate tree and re-reads it per variant, ~25 KB of the app's wasm for four variants.
//! Unknown fields are ignored and an unknown `type` is refused, as with the derive (the stored
//! profiles in `tests/fixtures/profiles/` read and re-serialise byte for byte).

use serde::Deserialize;

use super::{Action, CompareAnswer, Event};
use crate::ids::StableId;
use crate::scale::Scale;

#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum Kind {
    Rating,
    Unrate,
    Compare,
    Uncompare,
    Feedback,
}

/// Every field any event has; which are required depends on `type`.
#[derive(Deserialize)]
pub(super) struct RawEvent {
    #[serde(rename = "type")]
    kind: Kind,
    item: Option<StableId>,
    value: Option<f32>,
    scale: Option<Scale>,
    a: Option<StableId>,
    b: Option<StableId>,
    answer: Option<CompareAnswer>,
    action: Option<Action>,
    at: i64,
}

fn need<T>(field: Option<T>, name: &str) -> Result<T, String> {
    field.ok_or_else(|| format!("missing field `{name}`"))
}

impl TryFrom<RawEvent> for Event {
    type Error = String;

    fn try_from(r: RawEvent) -> Result<Event, String> {
        let at = r.at;
        Ok(match r.kind {
            Kind::Rating => Event::Rating {
                item: need(r.item, "item")?,
                value: need(r.value, "value")?,
                scale: need(r.scale, "scale")?,
                at,
            },
            Kind::Unrate => Event::Unrate {
                item: need(r.item, "item")?,
                at,
            },
            Kind::Compare => Event::Compare {
                a: need(r.a, "a")?,
                b: need(r.b, "b")?,
                answer: need(r.answer, "answer")?,
                at,
            },
            Kind::Uncompare => Event::Uncompare {
                a: need(r.a, "a")?,
                b: need(r.b, "b")?,
                at,
            },
            Kind::Feedback => Event::Feedback {
                item: need(r.item, "item")?,
                action: need(r.action, "action")?,
                at,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::Profile;

    /// Every event kind reads back as written; a missing field, an unknown type and a wrong
    /// type are refused with what is wrong.
    #[test]
    fn events_read_as_the_writer_writes_them_and_bad_ones_are_refused() {
        let text = r#"{"version":2,"events":[
            {"type":"rating","item":{"movielens":1},"value":4.5,"scale":"stars","at":1},
            {"type":"unrate","item":{"imdb":"tt0133093"},"at":2,"later":"ignored"},
            {"type":"compare","a":{"movielens":1},"b":{"movielens":2},"answer":"unseen_b","at":3},
            {"type":"feedback","item":{"movielens":3},"action":"save","at":4}]}"#;
        let p = Profile::from_json(text).expect("reads");
        assert_eq!(p.events.len(), 4);
        assert_eq!(Profile::from_json(&p.to_json()).unwrap(), p, "round trip");
        let bad = |events: &str| {
            let text = format!(r#"{{"version":2,"events":[{events}]}}"#);
            Profile::from_json(&text).unwrap_err().to_string()
        };
        let e = bad(r#"{"type":"rating","item":{"movielens":1},"scale":"stars","at":1}"#);
        assert!(e.contains("missing field `value`"), "{e}");
        let e = bad(r#"{"type":"teleport","at":1}"#);
        assert!(e.contains("unknown variant `teleport`"), "{e}");
        let e = bad(
            r#"{"type":"rating","item":{"movielens":1},"value":"high","scale":"stars","at":1}"#,
        );
        assert!(e.contains("invalid type"), "{e}");
        let e = bad(r#"{"item":{"movielens":1},"at":1}"#);
        assert!(e.contains("missing field `type`"), "{e}");
    }
}
