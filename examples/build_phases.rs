//! Benchmark (not a test): how long each stage of a build takes on a site root, each stage
//! on its own (a real build overlaps the search index with rendering).
//!
//! ```sh
//! cargo run --release --example build_phases -- DIR
//! ```

use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;

// The allocator the `intentions` binary uses. Not its settings for a whole build (small pages,
// freed memory handed back after 30 ms; see `src/main.rs`), so memory here runs higher.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn ms(t: Instant) -> String {
    format!("{:>8.0} ms", t.elapsed().as_secs_f64() * 1000.0)
}

fn main() -> Result<(), String> {
    let root = std::env::args().nth(1).ok_or("give a site root")?;
    let root = Path::new(&root);
    let t = Instant::now();
    let loaded = intentions::content::load(root);
    println!("load      {}", ms(t));
    let t = Instant::now();
    let corpus =
        intentions::model::validate(&loaded.content).map_err(|e| format!("{} errors", e.len()))?;
    println!("validate  {}", ms(t));
    let t = Instant::now();
    let warnings = intentions::lints::run(&loaded.content, Some(&corpus));
    println!("lints     {} ({} warnings)", ms(t), warnings.len());
    let t = Instant::now();
    let plan = intentions::views::plan(&corpus)?;
    println!(
        "plan      {} ({} pages, {} groups of data files)",
        ms(t),
        plan.pages.len(),
        plan.data.len()
    );
    let t = Instant::now();
    let pages: Vec<_> = plan
        .pages
        .into_par_iter()
        .map(intentions::views::PagePlan::make)
        .collect();
    println!("views     {} (every page's view, on every core)", ms(t));
    let theme = intentions::theme::load(root).map_err(|_| "theme")?;
    let renderer = intentions::render::Renderer::new(&theme).map_err(|_| "renderer")?;
    let t = Instant::now();
    let html: Vec<(String, Vec<u8>)> = pages
        .into_par_iter()
        .map(|page| {
            let path = page.output_path();
            renderer
                .publish_owned(&corpus.site, page)
                .map(|bytes| (path, bytes))
                .map_err(|d| d.message)
        })
        .collect::<Result<_, _>>()?;
    println!(
        "render    {} ({} MB, on every core)",
        ms(t),
        html.iter().map(|(_, b)| b.len()).sum::<usize>() >> 20
    );
    let t = Instant::now();
    let bundle = intentions::search::index(
        html.iter().map(|(p, b)| (p.as_str(), &b[..])),
        "en",
        intentions::search::parts(&corpus),
    )
    .map_err(|d| d.message)?;
    println!("search    {} ({} files)", ms(t), bundle.len());
    let t = Instant::now();
    let data: Vec<_> = plan
        .data
        .into_par_iter()
        .map(intentions::views::DataPlan::make)
        .collect::<Result<_, _>>()?;
    println!(
        "data      {} ({} MB, on every core)",
        ms(t),
        data.iter().flatten().map(|d| d.bytes.len()).sum::<usize>() >> 20
    );
    Ok(())
}
