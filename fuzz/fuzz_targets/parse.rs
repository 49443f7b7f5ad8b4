//! Fuzzes loading one content file from bytes, as each kind of file, and the span index
//! diagnostics point with: no panic, and every span lies inside the file's text.
#![no_main]

use std::path::Path;

use intentions::content::{load_bytes, spans::SpanIndex};
use libfuzzer_sys::fuzz_target;

/// One path per kind of content file: the path decides how a file is read.
const PLACES: [&str; 6] = [
    "site.yaml",
    "taxonomies/priorities.yaml",
    "areas/shire.md",
    "organisations/shire-council.md",
    "intentions/shire-council/beds.md",
    "market/home-care.md",
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let place = PLACES[usize::from(selector) % PLACES.len()];
    let result = load_bytes(Path::new(place), bytes.to_vec());
    for d in &result.diagnostics {
        if let (Some(path), Some(span)) = (&d.path, &d.span) {
            let text = result.sources.get(path).expect("the text of a file with a diagnostic");
            assert!(span.start <= text.len(), "{d:?}");
        }
    }
    // The span index is built lazily, only for files with a diagnostic: build it always.
    if let Ok(text) = std::str::from_utf8(bytes) {
        let index = SpanIndex::build(text, 0);
        for node in index.nodes() {
            assert!(node.value.start <= node.value.end && node.value.end <= text.len());
            assert!(text.is_char_boundary(node.value.start));
        }
    }
});
