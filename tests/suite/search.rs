//! The search index a build writes: read from the pages as they are rendered (nothing of it
//! left beside the output), the same as the index made from pages held in memory (as `serve`
//! makes it), the same build after build (as is every other file, though pages render on
//! every core), and holding every intention and organisation page.

use std::collections::BTreeMap;
use std::path::Path;

use crate::fixture::{snapshot, Site};

/// The files of the search bundle under `public`, by path inside the site.
fn bundle(public: &Path) -> BTreeMap<String, Vec<u8>> {
    snapshot(public)
        .into_iter()
        .filter(|(path, _)| path.starts_with("pagefind/"))
        .collect()
}

/// Every path under `dir`, relative, with `/` separators.
fn every_path(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk"))
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect()
}

#[test]
fn a_build_leaves_no_folder_of_pages_to_index() {
    let site = Site::new();
    let built = site.build();
    assert!(built.ok, "{}", built.rendered());
    let hidden: Vec<String> = every_path(&site.path("public"))
        .into_iter()
        .filter(|p| p.split('/').any(|part| part.starts_with('.')))
        .collect();
    assert!(hidden.is_empty(), "left in the output: {hidden:?}");
    let beside: Vec<String> = std::fs::read_dir(site.root())
        .expect("read dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(beside.is_empty(), "left beside the output: {beside:?}");
}

#[test]
fn the_index_of_a_build_equals_the_index_of_pages_in_memory() {
    let site = Site::new();
    assert!(site.build().ok);
    let written = bundle(&site.path("public"));
    assert!(written.contains_key("pagefind/pagefind.js"), "{written:?}");
    let corpus = intentions::check(site.root()).value.expect("valid");
    let in_memory: BTreeMap<String, Vec<u8>> = intentions::render_site(site.root(), &corpus)
        .expect("renders")
        .into_iter()
        .filter(|f| f.path.starts_with("pagefind/"))
        .map(|f| (f.path, f.bytes))
        .collect();
    assert_eq!(
        written.keys().collect::<Vec<_>>(),
        in_memory.keys().collect::<Vec<_>>()
    );
    assert!(written == in_memory, "same names, different bytes");
}

#[test]
fn the_index_and_every_other_file_are_the_same_build_after_build() {
    let site = Site::new();
    assert!(site.build().ok);
    let first = snapshot(&site.path("public"));
    assert!(
        first.contains_key("pagefind/pagefind.js"),
        "{:?}",
        first.keys()
    );
    assert!(first.len() > 50, "{}", first.len());
    for _ in 0..3 {
        assert!(site.build().ok);
        let again = snapshot(&site.path("public"));
        assert_eq!(
            first.keys().collect::<Vec<_>>(),
            again.keys().collect::<Vec<_>>()
        );
        for (path, bytes) in &first {
            assert!(again[path] == *bytes, "{path} differs from the first build");
        }
    }
}

#[test]
fn the_index_holds_every_intention_and_organisation_page_and_no_list() {
    let site = Site::new();
    assert!(site.build().ok);
    let public = site.path("public");
    let pages = every_path(&public)
        .into_iter()
        .filter(|p| intentions::search::indexed(p))
        .count();
    assert_eq!(
        pages, 4,
        "two intentions and two organisations in the fixture"
    );
    let entry: serde_json::Value =
        serde_json::from_str(&site.read("public/pagefind/pagefind-entry.json")).expect("json");
    assert_eq!(entry["languages"]["en"]["page_count"], pages, "{entry}");
    // A small site's index is made whole: there is nothing for the search page to merge.
    assert!(!site.path("public/pagefind/part-2").exists());
    assert!(site
        .read("public/search/index.html")
        .contains("data-merge=\"\""));
}

/// The page count an index part's entry file gives.
fn page_count(site: &Site, entry: &str) -> u64 {
    let entry: serde_json::Value = serde_json::from_str(&site.read(entry)).expect("json");
    entry["languages"]["en"]["page_count"]
        .as_u64()
        .unwrap_or_else(|| panic!("no page count in {entry}"))
}

#[test]
fn a_large_site_deals_its_pages_between_two_indexes_that_the_search_page_merges() {
    let site = Site::new();
    let beds = crate::fixture::BEDS;
    for i in 0..4_996 {
        let text = beds
            .replace(
                "title: Commission at least 21 short-stay beds",
                &format!("title: Short-stay beds in district {i}"),
            )
            .replace("reference: \"4.2\"", &format!("reference: \"9.{i}\""));
        site.write(
            &format!("content/intentions/shire-council/beds-{i}.md"),
            &text,
        );
    }
    let built = site.build();
    assert!(built.ok, "{}", built.rendered());
    let pages = every_path(&site.path("public"))
        .into_iter()
        .filter(|p| intentions::search::indexed(p))
        .count();
    assert_eq!(pages, 5_000);
    let first = page_count(&site, "public/pagefind/pagefind-entry.json");
    let second = page_count(&site, "public/pagefind/part-2/pagefind-entry.json");
    assert_eq!((first, second), (2_500, 2_500), "dealt in turn");
    // The second part holds its index only; Pagefind's scripts come from the first.
    let scripts: Vec<String> = every_path(&site.path("public/pagefind/part-2"))
        .into_iter()
        .filter(|p| p.ends_with(".js") || p.contains("wasm"))
        .collect();
    assert!(scripts.is_empty(), "{scripts:?}");
    assert!(site
        .read("public/search/index.html")
        .contains("data-merge=\"/pagefind/part-2/\""));
}

/// The words Pagefind holds for each indexed page (its fragment's `content`, the text results
/// are matched in and excerpts are cut from), by address.
fn indexed_text(public: &Path) -> BTreeMap<String, String> {
    use std::io::Read;
    let fragments = public.join("pagefind/fragment");
    std::fs::read_dir(&fragments)
        .expect("fragments")
        .map(|entry| {
            let mut text = String::new();
            flate2::read::GzDecoder::new(
                std::fs::File::open(entry.expect("entry").path()).expect("open"),
            )
            .read_to_string(&mut text)
            .expect("gzipped text");
            let json = text
                .strip_prefix("pagefind_dcd")
                .expect("Pagefind's signature");
            let fragment: serde_json::Value = serde_json::from_str(json).expect("json");
            (
                fragment["url"].as_str().expect("url").to_string(),
                fragment["content"].as_str().expect("content").to_string(),
            )
        })
        .collect()
}

#[test]
fn the_index_holds_what_an_intention_says_once_and_not_the_words_every_page_repeats() {
    let site = Site::new();
    assert!(site.build().ok);
    let text = indexed_text(&site.path("public"));
    let beds = &text["/intentions/shire-council/short-stay-beds/"];
    // What the intention says: its title, summary, facts, body, outcomes, risks and targets.
    for said in [
        "Commission at least 21 short-stay beds",
        "More short-stay beds.",
        "Shire County Council",
        "Open tender",
        "Why beds",
        "People leave hospital sooner.",
        "Too few bids.",
        "Short-stay beds: 21 beds",
    ] {
        assert!(beds.contains(said), "{said:?} is not in the index: {beds}");
    }
    // The words of a table are words: its header cells do not run into its caption or
    // each other ("bedsYearBeds").
    let words: Vec<&str> = beds
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .collect();
    for word in ["beds", "Year", "Beds", "2014"] {
        assert!(words.contains(&word), "{word:?} is not a word of {beds}");
    }
    // Each target once: the table repeats the list above it.
    assert_eq!(beds.matches("Short-stay beds:").count(), 1, "{beds}");
    // Not the labels of every page, the meaning of its signal (the same sentence on every
    // intention with that signal) or the titles of related intentions (their own pages).
    for repeated in [
        "Led by",
        "Last updated",
        "Targets for this intention",
        "Direction",
        "will buy more",
        "Centralise stroke care",
    ] {
        assert!(
            !beds.contains(repeated),
            "{repeated:?} is in the index: {beds}"
        );
    }
    assert!(text["/intentions/shire-ccg/stroke-unit/"].contains("Centralise stroke care"));
}

#[test]
fn the_index_holds_what_an_organisation_says_not_the_intentions_it_lists() {
    let site = Site::new();
    assert!(site.build().ok);
    let text = indexed_text(&site.path("public"));
    let council = &text["/organisations/shire-council/"];
    // What the organisation says: its name, its plan, its introduction, its themes.
    for said in [
        "Shire County Council",
        "Commissioning Intentions 2014/15",
        "introduction.",
        "Frail elderly",
    ] {
        assert!(
            council.contains(said),
            "{said:?} is not in the index: {council}"
        );
    }
    // Not the titles and summaries of its intentions: each has its own page, which a search
    // for them finds.
    for listed in [
        "Commission at least 21 short-stay beds",
        "More short-stay beds.",
    ] {
        assert!(
            !council.contains(listed),
            "{listed:?} is in the index: {council}"
        );
        assert!(text["/intentions/shire-council/short-stay-beds/"].contains(listed));
    }
}
