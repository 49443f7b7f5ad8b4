//! Benchmark (not a test): how long each stage of a build takes on a site root.
//!
//! ```sh
//! cargo run --release --example build_phases -- DIR
//! ```

use std::path::Path;
use std::time::Instant;

fn main() -> Result<(), String> {
    let root = std::env::args().nth(1).ok_or("give a site root")?;
    let root = Path::new(&root);
    let t = Instant::now();
    let loaded = intentions::content::load(root);
    println!("load      {:>8.0} ms", t.elapsed().as_secs_f64() * 1000.0);
    let t = Instant::now();
    let corpus =
        intentions::model::validate(&loaded.content).map_err(|e| format!("{} errors", e.len()))?;
    println!("validate  {:>8.0} ms", t.elapsed().as_secs_f64() * 1000.0);
    let t = Instant::now();
    let views = intentions::views::build(&corpus)?;
    println!(
        "views     {:>8.0} ms ({} pages, {} data files)",
        t.elapsed().as_secs_f64() * 1000.0,
        views.pages.len(),
        views.data.len()
    );
    let theme = intentions::theme::load(root).map_err(|_| "theme")?;
    let renderer = intentions::render::Renderer::new(&theme).map_err(|_| "renderer")?;
    let t = Instant::now();
    let mut html = Vec::new();
    for page in &views.pages {
        html.push((
            page.output_path(),
            renderer.render(&corpus.site, page).map_err(|d| d.message)?,
        ));
    }
    println!("render    {:>8.0} ms", t.elapsed().as_secs_f64() * 1000.0);
    let t = Instant::now();
    let bundle =
        intentions::search::index(html.iter().map(|(p, h)| (p.as_str(), h.as_bytes())), "en")
            .map_err(|d| d.message)?;
    println!(
        "search    {:>8.0} ms ({} files)",
        t.elapsed().as_secs_f64() * 1000.0,
        bundle.len()
    );
    Ok(())
}
