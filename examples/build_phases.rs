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
    let min: Vec<(String, Vec<u8>)> = html
        .iter()
        .map(|(p, h)| (p.clone(), intentions::output::minify(h.as_bytes())))
        .collect();
    println!("minify    {:>8.0} ms", t.elapsed().as_secs_f64() * 1000.0);
    let t = Instant::now();
    let bundle = intentions::search::index(min.iter().map(|(p, b)| (p.as_str(), &b[..])), "en")
        .map_err(|d| d.message)?;
    println!(
        "search    {:>8.0} ms ({} files)",
        t.elapsed().as_secs_f64() * 1000.0,
        bundle.len()
    );
    pagefind_steps(&min)
}

/// Pagefind's own two steps, as the build runs them: reading the pages (on every core) and
/// making the bundle's files.
fn pagefind_steps(pages: &[(String, Vec<u8>)]) -> Result<(), String> {
    let folder = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut count = 0;
    for (path, html) in pages {
        if !intentions::search::indexed(path) {
            continue;
        }
        let target = folder.path().join(path);
        std::fs::create_dir_all(target.parent().ok_or("no parent")?).map_err(|e| e.to_string())?;
        std::fs::write(&target, html).map_err(|e| e.to_string())?;
        count += 1;
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let options = pagefind::options::PagefindServiceConfig::builder()
            .force_language("en".into())
            .build();
        let mut index =
            pagefind::api::PagefindIndex::new(Some(options)).map_err(|e| e.to_string())?;
        let t = Instant::now();
        let read = index
            .add_directory(
                folder.path().to_string_lossy().into_owned(),
                Some("**/index.html".into()),
            )
            .await
            .map_err(|e| e.to_string())?;
        println!(
            "  fossick {:>8.0} ms ({read} of {count} pages)",
            t.elapsed().as_secs_f64() * 1000.0
        );
        let t = Instant::now();
        let files = index.get_files().await.map_err(|e| e.to_string())?;
        println!(
            "  files   {:>8.0} ms ({} files)",
            t.elapsed().as_secs_f64() * 1000.0,
            files.len()
        );
        Ok(())
    })
}
