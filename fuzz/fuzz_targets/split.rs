//! Fuzzes front-matter splitting: any text splits or says why not, and the ranges it gives
//! lie inside the text on character boundaries.
#![no_main]

use intentions::content::frontmatter::split;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(parts) = split(text) {
        assert!(parts.yaml.start <= parts.yaml.end && parts.yaml.end <= parts.body.start);
        assert!(parts.body.end == text.len());
        assert!(text.get(parts.yaml.clone()).is_some());
        assert!(text.get(parts.body.clone()).is_some());
    }
});
