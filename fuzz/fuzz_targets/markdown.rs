//! Fuzzes Markdown rendering: no panic, and nothing executable survives the sanitiser (no
//! script-capable element, event handler or `javascript:`/`vbscript:`/`data:` URL).
#![no_main]

use intentions::markdown::to_html;
use libfuzzer_sys::fuzz_target;

#[allow(dead_code)]
#[path = "../../tests/suite/safety.rs"]
mod safety;

fuzz_target!(|text: &str| {
    let html = to_html(text);
    if let Some(problem) = safety::first_unsafe_content(&html) {
        panic!("unsafe output {problem}\nfrom {text:?}");
    }
});
