//! Accent, compatibility and case folding for match keys: a character's NFKD form without its
//! combining marks, lower-cased ("É" → "e", "ﬁ" → "fi", "²" → "2", "Ⅻ" → "xii"), over the blocks
//! titles are written in (Latin, Greek, Cyrillic, Armenian, Arabic, the Indic scripts, Georgian
//! and their extensions, punctuation, letterlike and number forms, kana, ligatures, full-width
//! forms); any other character folds to itself (Hangul syllables stay whole, where NFKD would
//! split them into jamo: titles and queries share the fold, so search is unaffected).
//!
//! Why not `unicode-normalization` and `char::to_lowercase` at run time: their tables are
//! ~150 KB of the app's wasm (a quarter of the first-load budget). The table here is generated
//! from the Unicode data (`scripts/gen_fold_table.py`) and tested against both, over every
//! character of the covered blocks.

mod table;

/// Combining marks that may follow a base letter in already-decomposed text (NFD input):
/// dropped, as the NFKD fold drops them.
const MARKS: &[(char, char)] = &[
    ('\u{0300}', '\u{036f}'),
    ('\u{1ab0}', '\u{1af0}'),
    ('\u{1dc0}', '\u{1dff}'),
    ('\u{20d0}', '\u{20f0}'),
    ('\u{fe20}', '\u{fe2f}'),
];

/// What `c` contributes to a match key: itself, its folded form, or nothing (a combining mark).
pub fn fold(c: char) -> Folded {
    if c.is_ascii() {
        return Folded::Char(c.to_ascii_lowercase());
    }
    if MARKS.iter().any(|&(a, b)| (a..=b).contains(&c)) {
        return Folded::Str("");
    }
    let Ok(key) = u16::try_from(c as u32) else {
        return Folded::Char(c);
    };
    if let Some(form) = listed(key) {
        return Folded::Str(form);
    }
    // The last run starting at or before `key`, if `key` is one of its characters.
    let at = table::RUNS.partition_point(|r| r.first <= key);
    if let Some(run) = at.checked_sub(1).map(|i| &table::RUNS[i]) {
        if key <= run.last && (key - run.first) % run.step as u16 == 0 {
            return match run.how {
                RunFold::Shift(by) => {
                    char::from_u32((key as i32 + by) as u32).map_or(Folded::Char(c), Folded::Char)
                }
                RunFold::LikeFirst => listed(run.first).map_or(Folded::Char(c), Folded::Str),
            };
        }
    }
    Folded::Char(c)
}

/// The form of a character listed one by one in the table.
fn listed(key: u16) -> Option<&'static str> {
    let i = table::KEYS.binary_search(&key).ok()?;
    let start = if i == 0 {
        0
    } else {
        table::ENDS[i - 1] as usize
    };
    Some(&table::TEXT[start..table::ENDS[i] as usize])
}

/// Characters `first, first + step, …, last` that fold alike (the table's runs: case pairs and
/// accented letters come in runs, and listing them one by one was most of the table's bytes).
pub struct Run {
    pub first: u16,
    pub last: u16,
    pub step: u8,
    pub how: RunFold,
}

impl Run {
    /// first, first + step, …, last each fold to the character `by` code points away.
    pub const fn shift(first: u16, last: u16, step: u8, by: i32) -> Run {
        Run {
            first,
            last,
            step,
            how: RunFold::Shift(by),
        }
    }

    /// first, first + step, …, last each fold as `first` does.
    pub const fn like_first(first: u16, last: u16, step: u8) -> Run {
        Run {
            first,
            last,
            step,
            how: RunFold::LikeFirst,
        }
    }
}

/// How a run's characters fold.
pub enum RunFold {
    /// To the character this many code points away.
    Shift(i32),
    /// As the run's first character (which the table lists).
    LikeFirst,
}

/// A folded character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Folded {
    Char(char),
    Str(&'static str),
}

impl Folded {
    pub fn chars(self) -> impl Iterator<Item = char> {
        let (one, many) = match self {
            Folded::Char(c) => (Some(c), ""),
            Folded::Str(s) => (None, s),
        };
        one.into_iter().chain(many.chars())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::char::is_combining_mark;
    use unicode_normalization::UnicodeNormalization;

    /// What match keys did before this table: NFKD, combining marks dropped, each character
    /// lower-cased.
    fn nfkd_without_marks(c: char) -> String {
        std::iter::once(c)
            .nfkd()
            .filter(|&x| !is_combining_mark(x))
            .flat_map(char::to_lowercase)
            .collect()
    }

    #[test]
    fn the_table_is_sorted_and_its_forms_are_whole_characters() {
        assert!(table::KEYS.windows(2).all(|w| w[0] < w[1]));
        // Runs are sorted and disjoint, each holds at least three characters, and a run that
        // folds like its first character has that character listed.
        assert!(table::RUNS.windows(2).all(|w| w[0].last < w[1].first));
        for run in &table::RUNS {
            assert!(run.step == 1 || run.step == 2);
            assert!(run.last >= run.first + 2 * run.step as u16);
            assert_eq!((run.last - run.first) % run.step as u16, 0);
            if let RunFold::LikeFirst = run.how {
                assert!(listed(run.first).is_some(), "U+{:04X}", run.first);
            }
        }
        assert_eq!(table::KEYS.len(), table::ENDS.len());
        assert_eq!(*table::ENDS.last().unwrap() as usize, table::TEXT.len());
        assert!(table::ENDS
            .iter()
            .all(|&e| table::TEXT.is_char_boundary(e as usize)));
    }

    /// Every character of the covered blocks, and every combining mark dropped, folds exactly
    /// as unicode-normalization's NFKD without combining marks.
    #[test]
    fn the_fold_equals_nfkd_without_marks_over_the_covered_blocks() {
        let mut differ = Vec::new();
        let ascii = [('\u{0}', '\u{7f}')];
        let blocks = table::BLOCKS.iter().chain(MARKS).chain(&ascii);
        for &(a, b) in blocks {
            for c in a..=b {
                let ours: String = fold(c).chars().collect();
                if ours != nfkd_without_marks(c) {
                    differ.push(format!(
                        "U+{:04X} {ours:?} vs {:?}",
                        c as u32,
                        nfkd_without_marks(c)
                    ));
                }
            }
        }
        assert!(
            differ.is_empty(),
            "{} differ: {}",
            differ.len(),
            differ.join(", ")
        );
    }

    /// Every title of the committed default catalogue (62,709 films, titles in many languages)
    /// folds exactly as before the table, so every search and match key is unchanged.
    #[test]
    fn every_catalogue_title_folds_as_with_unicode_normalization() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/web/model.bin");
        let bytes = std::fs::read(path).expect("web/model.bin is committed");
        let bundle = crate::Bundle::decode(&bytes).expect("decodes");
        let covered = |c: char| {
            c.is_ascii()
                || table::BLOCKS
                    .iter()
                    .chain(MARKS)
                    .any(|&(a, b)| (a..=b).contains(&c))
        };
        let (mut differ, mut outside) = (Vec::new(), 0);
        for t in &bundle.catalogue.title {
            // Hangul syllables (and any script outside the blocks) are kept whole on purpose.
            if !t.chars().all(covered) {
                outside += 1;
                continue;
            }
            let ours: String = t.chars().flat_map(|c| fold(c).chars()).collect();
            let theirs: String = t.chars().flat_map(nfkd_without_marks_chars).collect();
            if ours != theirs {
                differ.push(t.clone());
            }
        }
        assert_eq!(bundle.catalogue.title.len(), 62_709);
        assert!(
            outside < 20,
            "{outside} titles have characters outside the covered blocks"
        );
        assert!(
            differ.is_empty(),
            "{} titles differ: {:?}",
            differ.len(),
            &differ[..differ.len().min(5)]
        );
    }

    fn nfkd_without_marks_chars(c: char) -> Vec<char> {
        nfkd_without_marks(c).chars().collect()
    }

    #[test]
    fn titles_fold_as_a_reader_expects() {
        let f = |s: &str| s.chars().flat_map(|c| fold(c).chars()).collect::<String>();
        assert_eq!(f("Amélie"), "amelie");
        assert_eq!(f("Ame\u{301}lie"), "amelie", "decomposed input too");
        assert_eq!(f("Alien³"), "alien3");
        assert_eq!(f("Ⅻ ﬁlms"), "xii films");
        assert_eq!(f("Łódź"), "łodz", "ł has no decomposition, as in NFKD");
        assert_eq!(f("Ｍａｔｒｉｘ"), "matrix");
        assert_eq!(f("ΑΘΗΝΑ Москва"), "αθηνα москва");
        assert_eq!(f("千と千尋"), "千と千尋", "outside the blocks: unchanged");
    }
}
