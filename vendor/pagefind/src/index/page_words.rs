//! The words of the pages an index is built from, held compactly from the moment a page is
//! read until the index is built, and turned into the index's words a chunk at a time.
//!
//! A page's words were a map from each word (its own `String`) to its positions (a `Vec` of
//! 32-byte entries) until the index was built, and building gave every page a second map of
//! its own before merging them: at 10,000 pages of 650 words, most of a gigabyte. Here each
//! word is spelled once per index ([`WordTable`]), a page's words are 8 bytes an occurrence
//! ([`PageWords`]), and the index's words are made in order of spelling from one table of
//! every occurrence by word ([`WordPostings`]). What is written is the same, byte for byte.

use hashbrown::HashMap;
use std::collections::BTreeMap;

use super::index_words::{PackedPage, PackedVariant, PackedWord};
use super::{meta_positions_to_packed, positions_to_packed_page};
use crate::fossick::{FossickedWord, MetaFossickedWord};

/// Every word (and every spelling with diacritics) of an index's pages, each held once.
#[derive(Debug, Default, Clone)]
pub struct WordTable {
    ids: HashMap<String, u32>,
    words: Vec<String>,
}

impl WordTable {
    /// The id of `word`, given it if it is new.
    pub fn id(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let id = u32::try_from(self.words.len()).expect("fewer than 2^32 distinct words");
        self.words.push(word.to_string());
        self.ids.insert(word.to_string(), id);
        id
    }

    fn word(&self, id: u32) -> &str {
        &self.words[id as usize]
    }

    fn len(&self) -> usize {
        self.words.len()
    }
}

/// Positions from here on do not fit beside a weight in [`PageWords::plain`].
const PLAIN_POSITIONS: u32 = 1 << 24;

/// One page's words.
#[derive(Debug, Default, Clone)]
pub struct PageWords {
    /// Almost every occurrence: a word of the content spelled as indexed, its id in the upper
    /// 32 bits, its position in the next 24 and its weight in the lowest 8.
    plain: Vec<u64>,
    /// The rest: words of the metadata, words spelled with diacritics, and positions past
    /// 2^24.
    other: Vec<OtherWord>,
}

#[derive(Debug, Clone, Copy)]
struct OtherWord {
    word: u32,
    /// The spelling with diacritics, when it differs from the word.
    original: Option<u32>,
    /// The metadata field (numbered in the page's own order), or `None` for the content.
    field: Option<u16>,
    position: u32,
    weight: u8,
}

impl PageWords {
    /// Adds a page's words, as the fossicker found them, spelling each word in `table`.
    pub fn add(
        &mut self,
        table: &mut WordTable,
        content: HashMap<String, Vec<FossickedWord>>,
        meta: HashMap<String, Vec<MetaFossickedWord>>,
    ) {
        // Kept until the index is built: room for exactly the words, not twice as many.
        self.plain
            .reserve_exact(content.values().map(Vec::len).sum::<usize>());
        for (word, positions) in content {
            let word = table.id(&word);
            for found in positions {
                let original = found.original_word.map(|o| table.id(&o));
                self.push(word, original, found.position, found.weight);
            }
        }
        for (word, positions) in meta {
            let word = table.id(&word);
            for found in positions {
                self.other.push(OtherWord {
                    word,
                    original: found.original_word.map(|o| table.id(&o)),
                    field: Some(found.field_id),
                    position: found.position,
                    weight: 0,
                });
            }
        }
    }

    /// Adds one occurrence of a word of the page's content (ids from the index's
    /// [`WordTable`]), as the fossicker finds it.
    pub fn push(&mut self, word: u32, original: Option<u32>, position: u32, weight: u8) {
        match original {
            None if position < PLAIN_POSITIONS => self.plain.push(
                (u64::from(word) << 32) | (u64::from(position) << 8) | u64::from(weight),
            ),
            original => self.other.push(OtherWord {
                word,
                original,
                field: None,
                position,
                weight,
            }),
        }
    }

    /// The occurrences added since `self` was last taken, in exactly the room they need
    /// (kept until the index is built), leaving `self` empty with its room for the next page.
    pub fn take_exact(&mut self) -> PageWords {
        PageWords {
            plain: self.plain.drain(..).collect(),
            other: self.other.drain(..).collect(),
        }
    }

    /// Whether the page's content has any word (its metadata alone does not count).
    pub fn has_content(&self) -> bool {
        !self.plain.is_empty() || self.other.iter().any(|w| w.field.is_none())
    }
}

/// A word's occurrence on a page, as the index's word lists hold it: the page number in the
/// upper 32 bits, then position and weight as in [`PageWords::plain`].
fn page_of(entry: u64) -> usize {
    (entry >> 32) as usize
}

fn fossicked(entry: u64) -> FossickedWord {
    FossickedWord {
        position: ((entry >> 8) & 0xFF_FFFF) as u32,
        weight: (entry & 0xFF) as u8,
        original_word: None,
    }
}

/// Every occurrence of every word of an index's pages, by word, then page.
pub struct WordPostings {
    table: WordTable,
    /// Where each word id's occurrences begin in `plain` (one more than the table's words).
    plain_starts: Vec<usize>,
    plain: Vec<u64>,
    /// The other occurrences and their page numbers, by word id, then page.
    other: Vec<(u32, OtherWord)>,
    other_starts: Vec<usize>,
}

impl WordPostings {
    /// Gathers the words of `pages` (page number, words, and where each of the page's
    /// metadata fields is in the index's order), taking them from the pages.
    pub fn gather(table: WordTable, pages: Vec<(usize, PageWords, Vec<u16>)>) -> Self {
        let words = table.len();
        let mut plain_starts = vec![0usize; words + 1];
        let mut other_count = vec![0usize; words + 1];
        for (_, page, _) in &pages {
            for &entry in &page.plain {
                plain_starts[(entry >> 32) as usize + 1] += 1;
            }
            for other in &page.other {
                other_count[other.word as usize + 1] += 1;
            }
        }
        for id in 0..words {
            plain_starts[id + 1] += plain_starts[id];
            other_count[id + 1] += other_count[id];
        }
        let other_starts = other_count;

        let mut plain = vec![0u64; plain_starts[words]];
        let mut other = vec![None; other_starts[words]];
        let mut plain_next = plain_starts.clone();
        let mut other_next = other_starts.clone();
        // Pages in order of page number, so each word's occurrences are in page order.
        let mut pages = pages;
        pages.sort_by_key(|(number, _, _)| *number);
        for (number, page, fields) in pages {
            let number = u32::try_from(number).expect("fewer than 2^32 pages");
            for entry in page.plain {
                let id = (entry >> 32) as usize;
                plain[plain_next[id]] = (u64::from(number) << 32) | (entry & 0xFFFF_FFFF);
                plain_next[id] += 1;
            }
            for mut word in page.other {
                word.field = word.field.map(|f| fields[f as usize]);
                let id = word.word as usize;
                other[other_next[id]] = Some((number, word));
                other_next[id] += 1;
            }
        }
        let other = other.into_iter().flatten().collect();

        WordPostings {
            table,
            plain_starts,
            plain,
            other,
            other_starts,
        }
    }

    /// The ids of the words that occur, in the order of their spelling (the index's order).
    pub fn words_in_order(&self) -> Vec<u32> {
        let mut ids: Vec<u32> = (0..self.table.len() as u32)
            .filter(|&id| {
                let id = id as usize;
                self.plain_starts[id] < self.plain_starts[id + 1]
                    || self.other_starts[id] < self.other_starts[id + 1]
            })
            .collect();
        ids.sort_unstable_by(|&a, &b| self.table.word(a).cmp(self.table.word(b)));
        ids
    }

    /// The index's entry for word `id`: its pages in order, each with its positions and
    /// metadata positions, and its spellings with diacritics, in the order they were first
    /// met, each with its pages. (As the pages' own word maps, merged in page order, gave.)
    pub fn packed_word(&self, id: u32) -> PackedWord {
        let id = id as usize;
        let plain = &self.plain[self.plain_starts[id]..self.plain_starts[id + 1]];
        let other = &self.other[self.other_starts[id]..self.other_starts[id + 1]];
        let mut pages = Vec::new();
        let mut additional_variants: Vec<PackedVariant> = Vec::new();

        let (mut p, mut o) = (0, 0);
        while p < plain.len() || o < other.len() {
            let page = match (plain.get(p), other.get(o)) {
                (Some(&entry), Some(&(number, _))) => page_of(entry).min(number as usize),
                (Some(&entry), None) => page_of(entry),
                (None, Some(&(number, _))) => number as usize,
                (None, None) => unreachable!(),
            };
            let mut positions = Vec::new();
            while let Some(&entry) = plain.get(p).filter(|&&e| page_of(e) == page) {
                positions.push(fossicked(entry));
                p += 1;
            }
            let mut meta_positions = Vec::new();
            let mut variants: BTreeMap<&str, Vec<FossickedWord>> = BTreeMap::new();
            let mut meta_variants: BTreeMap<&str, Vec<MetaFossickedWord>> = BTreeMap::new();
            while let Some((_, word)) = other.get(o).filter(|(n, _)| *n as usize == page) {
                o += 1;
                let original = word.original.map(|o| self.table.word(o));
                match (word.field, original) {
                    (None, None) => positions.push(FossickedWord {
                        position: word.position,
                        weight: word.weight,
                        original_word: None,
                    }),
                    (None, Some(form)) => variants.entry(form).or_default().push(FossickedWord {
                        position: word.position,
                        weight: word.weight,
                        original_word: None,
                    }),
                    (Some(field_id), None) => meta_positions.push(MetaFossickedWord {
                        field_id,
                        position: word.position,
                        original_word: None,
                    }),
                    (Some(field_id), Some(form)) => {
                        meta_variants
                            .entry(form)
                            .or_default()
                            .push(MetaFossickedWord {
                                field_id,
                                position: word.position,
                                original_word: None,
                            })
                    }
                }
            }

            if !positions.is_empty() || !meta_positions.is_empty() {
                let mut packed = if positions.is_empty() {
                    PackedPage {
                        page_number: page,
                        locs: vec![],
                        meta_locs: vec![],
                    }
                } else {
                    positions_to_packed_page(positions, page)
                };
                packed.meta_locs = meta_positions_to_packed(meta_positions);
                pages.push(packed);
            }
            for (form, positions) in variants {
                let packed = positions_to_packed_page(positions, page);
                match additional_variants.iter_mut().find(|v| v.form == form) {
                    Some(variant) => variant.pages.push(packed),
                    None => additional_variants.push(PackedVariant {
                        form: form.to_string(),
                        pages: vec![packed],
                    }),
                }
            }
            for (form, positions) in meta_variants {
                let meta_locs = meta_positions_to_packed(positions);
                let blank = PackedPage {
                    page_number: page,
                    locs: vec![],
                    meta_locs,
                };
                match additional_variants.iter_mut().find(|v| v.form == form) {
                    Some(variant) => match variant.pages.last_mut() {
                        Some(last) if last.page_number == page => last.meta_locs = blank.meta_locs,
                        _ => variant.pages.push(blank),
                    },
                    None => additional_variants.push(PackedVariant {
                        form: form.to_string(),
                        pages: vec![blank],
                    }),
                }
            }
        }

        PackedWord {
            word: self.table.word(id as u32).to_string(),
            pages,
            additional_variants,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(position: u32, weight: u8, original: Option<&str>) -> FossickedWord {
        FossickedWord {
            position,
            weight,
            original_word: original.map(str::to_string),
        }
    }

    fn meta(field_id: u16, position: u32, original: Option<&str>) -> MetaFossickedWord {
        MetaFossickedWord {
            field_id,
            position,
            original_word: original.map(str::to_string),
        }
    }

    fn page(
        table: &mut WordTable,
        content: Vec<(&str, Vec<FossickedWord>)>,
        metadata: Vec<(&str, Vec<MetaFossickedWord>)>,
    ) -> PageWords {
        let mut words = PageWords::default();
        words.add(
            table,
            content
                .into_iter()
                .map(|(w, p)| (w.to_string(), p))
                .collect(),
            metadata
                .into_iter()
                .map(|(w, p)| (w.to_string(), p))
                .collect(),
        );
        words
    }

    /// What a page's own word map gave before it was merged: its positions, its metadata
    /// positions (fields in the index's order), and its spellings with diacritics, in the
    /// order of the pages, content before metadata, each in order of spelling.
    #[test]
    fn a_word_is_the_pages_and_spellings_it_had_in_page_order() {
        let mut table = WordTable::default();
        let first = page(
            &mut table,
            vec![
                (
                    "cafe",
                    vec![
                        word(0, 24, None),
                        word(5, 24, Some("café")),
                        word(3, 48, None),
                    ],
                ),
                ("open", vec![word(1, 24, None), word(1 << 24, 24, None)]),
            ],
            vec![("cafe", vec![meta(0, 1, None), meta(1, 0, Some("cafés"))])],
        );
        let second = page(
            &mut table,
            vec![("cafe", vec![word(2, 24, Some("cafè"))])],
            vec![("cafe", vec![meta(0, 0, Some("café"))])],
        );
        assert!(first.has_content() && second.has_content());
        let metadata_only = page(&mut table, vec![], vec![("cafe", vec![meta(0, 0, None)])]);
        assert!(!metadata_only.has_content());

        // The pages come in any order; the page numbers decide.
        let postings =
            WordPostings::gather(table, vec![(7, second, vec![1]), (4, first, vec![2, 0])]);
        let ids = postings.words_in_order();
        let cafe = postings.packed_word(ids[0]);
        assert_eq!(cafe.word, "cafe");
        let packed = positions_to_packed_page(vec![word(0, 24, None), word(3, 48, None)], 4);
        assert_eq!(cafe.pages.len(), 1);
        assert_eq!(cafe.pages[0].page_number, 4);
        assert_eq!(cafe.pages[0].locs, packed.locs);
        assert_eq!(
            cafe.pages[0].meta_locs,
            meta_positions_to_packed(vec![meta(2, 1, None)])
        );
        let forms: Vec<&str> = cafe
            .additional_variants
            .iter()
            .map(|v| v.form.as_str())
            .collect();
        assert_eq!(forms, ["café", "cafés", "cafè"]);
        let cafe_accent = &cafe.additional_variants[0];
        let pages: Vec<usize> = cafe_accent.pages.iter().map(|p| p.page_number).collect();
        assert_eq!(pages, [4, 7]);
        assert_eq!(
            cafe_accent.pages[0].locs,
            positions_to_packed_page(vec![word(5, 24, None)], 4).locs
        );
        assert!(cafe_accent.pages[0].meta_locs.is_empty());
        assert!(cafe_accent.pages[1].locs.is_empty());
        assert_eq!(
            cafe_accent.pages[1].meta_locs,
            meta_positions_to_packed(vec![meta(1, 0, None)])
        );
        assert_eq!(
            cafe.additional_variants[1].pages[0].meta_locs,
            meta_positions_to_packed(vec![meta(0, 0, None)])
        );

        let open = postings.packed_word(ids[1]);
        assert_eq!(open.word, "open");
        assert_eq!(
            open.pages[0].locs,
            positions_to_packed_page(vec![word(1, 24, None), word(1 << 24, 24, None)], 4).locs
        );
    }

    /// Every word of an index, as written, from pages read one way or the other.
    fn index_of(table: WordTable, pages: Vec<(usize, PageWords, Vec<u16>)>) -> Vec<String> {
        let postings = WordPostings::gather(table, pages);
        postings
            .words_in_order()
            .into_iter()
            .map(|id| format!("{:?}", postings.packed_word(id)))
            .collect()
    }

    /// Pages read for an index pack their words as they are read (`pack`); read otherwise,
    /// their words come as a map to be packed. Both give the index the same words.
    #[test]
    fn words_packed_as_read_are_the_words_of_the_map() {
        std::env::set_var("PAGEFIND_SOURCE", "somewhere");
        let config = crate::PagefindInboundConfig::with_layers(&[twelf::Layer::Env(Some(
            "PAGEFIND_".into(),
        ))])
        .unwrap();
        let options = crate::SearchOptions::load(config).unwrap();
        let pages = [
            "<html><body><h1>Café opening</h1><p>The café opens; the cafe closes.</p></body></html>",
            "<html><body><p data-pagefind-weight=\"4\">Covid-19 re-ablement, step-down beds</p>\
             <p data-pagefind-weight=\"0\">hidden weightless words</p>\
             <h2 id=\"why\">Why now?</h2><p>Because beds close: Café, café, CAFÉ.</p></body></html>",
            "<html><body><p>camelCase words and snake_case_words, 2,713 people; £1.5m a year.</p>\
             <p data-pagefind-meta=\"kind\">Meta words only</p></body></html>",
            "<html><body></body></html>",
        ];
        let read = |pack: bool, cache: &mut crate::fossick::IndexableWordCache| {
            pages
                .iter()
                .enumerate()
                .map(|(n, html)| {
                    let page = crate::fossick::Fossicker::new_synthetic(
                        None,
                        Some(format!("/{n}/")),
                        html.to_string(),
                    );
                    page.fossick_sync_with(&options, cache, pack).unwrap()
                })
                .collect::<Vec<_>>()
        };

        let mut mapped_cache = Default::default();
        let mut mapped_table = WordTable::default();
        let mut mapped = vec![];
        for (n, mut page) in read(false, &mut mapped_cache).into_iter().enumerate() {
            assert!(page.packed_words.plain.is_empty() && page.packed_words.other.is_empty());
            let mut words = PageWords::default();
            words.add(
                &mut mapped_table,
                std::mem::take(&mut page.word_data),
                std::mem::take(&mut page.meta_word_data),
            );
            mapped.push((n, words, vec![0, 1, 2]));
        }

        let mut packed_cache = crate::fossick::IndexableWordCache::default();
        let mut packed = vec![];
        for (n, mut page) in read(true, &mut packed_cache).into_iter().enumerate() {
            assert!(page.word_data.is_empty());
            let mut words = std::mem::take(&mut page.packed_words);
            assert_eq!(words.plain.capacity(), words.plain.len(), "kept in exact room");
            words.add(
                &mut packed_cache.table,
                Default::default(),
                std::mem::take(&mut page.meta_word_data),
            );
            packed.push((n, words, vec![0, 1, 2]));
        }

        let expected = index_of(mapped_table, mapped);
        assert!(expected.len() > 20, "{expected:?}");
        assert!(expected.iter().any(|w| w.contains("form: \"café\"")));
        assert_eq!(index_of(packed_cache.table, packed), expected);
    }
}
