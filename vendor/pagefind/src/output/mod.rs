use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::fragments::EncodedFragment;
use crate::index::PagefindIndexes;
use crate::{SearchOptions, PAGEFIND_VERSION};
use flate2::{Compression, Crc, FlushCompress};
use std::cell::RefCell;
use futures::future::join_all;
use std::collections::BTreeMap;
use include_dir::{include_dir, Dir};
use minifier::js::minify;
use tokio::fs::{create_dir_all, File};
use tokio::io::AsyncWriteExt;
use tokio::time::sleep;

mod entry;

const GENERIC_WEB_WASM: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/vendor/wasm/pagefind_web_bg.unknown.",
    env!("CARGO_PKG_VERSION"),
    ".wasm.gz"
));
const WEB_WASM_FILES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/vendor/wasm");

const WEB_JS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/vendor/pagefind_web.",
    env!("CARGO_PKG_VERSION"),
    ".js"
));
const WEB_UI_JS: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/vendor/pagefind_ui.",
    env!("CARGO_PKG_VERSION"),
    ".js"
));
const WEB_UI_CSS: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/vendor/pagefind_ui.",
    env!("CARGO_PKG_VERSION"),
    ".css"
));
const WEB_MODULAR_UI_JS: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/vendor/pagefind_modular_ui.",
    env!("CARGO_PKG_VERSION"),
    ".js"
));
const WEB_MODULAR_UI_CSS: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/vendor/pagefind_modular_ui.",
    env!("CARGO_PKG_VERSION"),
    ".css"
));
const COMPONENT_UI_JS: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/vendor/pagefind_component_ui.",
    env!("CARGO_PKG_VERSION"),
    ".js"
));
const COMPONENT_UI_CSS: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/vendor/pagefind_component_ui.",
    env!("CARGO_PKG_VERSION"),
    ".css"
));
const SEARCH_JS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/vendor/pagefind_public_search_api.",
    env!("CARGO_PKG_VERSION"),
    ".js"
));
const HIGHLIGHT_JS: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/vendor/pagefind_highlight.",
    env!("CARGO_PKG_VERSION"),
    ".js"
));
const WORKER_JS: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/vendor/pagefind_worker.",
    env!("CARGO_PKG_VERSION"),
    ".js"
));

pub struct LanguageMeta {
    pub page_count: usize,
    pub language: String,
    pub hash: String,
    pub wasm: Option<String>,
}

pub async fn write_common_to_disk(
    language_indexes: Vec<LanguageMeta>,
    output_playground: bool,
    outdir: &PathBuf,
    options: &SearchOptions,
) {
    write_common(language_indexes, output_playground, outdir, options, false).await;
}

pub async fn write_common_to_memory(
    language_indexes: Vec<LanguageMeta>,
    output_playground: bool,
    outdir: &PathBuf,
    options: &SearchOptions,
) -> Vec<SyntheticFile> {
    write_common(language_indexes, output_playground, outdir, options, true)
        .await
        .unwrap()
}

async fn write_common(
    language_indexes: Vec<LanguageMeta>,
    output_playground: bool,
    outdir: &PathBuf,
    options: &SearchOptions,
    synthetic: bool,
) -> Option<Vec<SyntheticFile>> {
    let js_version = format!("const pagefind_version = \"{PAGEFIND_VERSION}\";");
    let mut js = vec![];
    minify(&format!("{js_version}\n{WEB_JS}\n{SEARCH_JS}"))
        .expect("Minifying Pagefind JS failed")
        .write(&mut js)
        .expect("Writing minified Pagefind JS failed");

    let mut worker_js = vec![];
    minify(&format!(
        "{js_version}\n{WEB_JS}\n{}",
        String::from_utf8_lossy(WORKER_JS)
    ))
    .expect("Minifying Pagefind Worker JS failed")
    .write(&mut worker_js)
    .expect("Writing minified Pagefind Worker JS failed");

    let entry_meta = entry::PagefindEntryMeta {
        version: PAGEFIND_VERSION,
        languages: BTreeMap::from_iter(language_indexes.into_iter().map(|i| {
            (
                i.language,
                entry::PagefindEntryLanguage {
                    hash: i.hash,
                    wasm: i.wasm,
                    page_count: i.page_count,
                },
            )
        })),
        include_characters: options.include_characters.clone(),
    };
    let encoded_entry_meta = serde_json::to_string(&entry_meta).unwrap();

    let write_behavior = if synthetic {
        WriteBehavior::Synthetic
    } else {
        WriteBehavior::Disk
    };

    let mut files = vec![
        write(
            outdir.join("pagefind.js"),
            vec![&js],
            Compress::None,
            write_behavior,
        ),
        write(
            outdir.join("pagefind-highlight.js"),
            vec![HIGHLIGHT_JS],
            Compress::None,
            write_behavior,
        ),
        write(
            outdir.join("pagefind-worker.js"),
            vec![&worker_js],
            Compress::None,
            write_behavior,
        ),
        write(
            outdir.join("pagefind-ui.js"),
            vec![WEB_UI_JS],
            Compress::None,
            write_behavior,
        ),
        write(
            outdir.join("pagefind-ui.css"),
            vec![WEB_UI_CSS],
            Compress::None,
            write_behavior,
        ),
        write(
            outdir.join("pagefind-modular-ui.js"),
            vec![WEB_MODULAR_UI_JS],
            Compress::None,
            write_behavior,
        ),
        write(
            outdir.join("pagefind-modular-ui.css"),
            vec![WEB_MODULAR_UI_CSS],
            Compress::None,
            write_behavior,
        ),
        write(
            outdir.join("pagefind-component-ui.js"),
            vec![COMPONENT_UI_JS],
            Compress::None,
            write_behavior,
        ),
        write(
            outdir.join("pagefind-component-ui.css"),
            vec![COMPONENT_UI_CSS],
            Compress::None,
            write_behavior,
        ),
        write(
            outdir.join("wasm.unknown.pagefind"),
            vec![GENERIC_WEB_WASM],
            Compress::None,
            write_behavior,
        ),
        write(
            outdir.join("pagefind-entry.json"),
            vec![encoded_entry_meta.as_bytes()],
            Compress::None,
            write_behavior,
        ),
    ];

    if output_playground {
        files.extend([
            write(
                outdir.join("playground/index.html"),
                vec![crate::playground::PLAYGROUND_HTML.as_bytes()],
                Compress::None,
                write_behavior,
            ),
            write(
                outdir.join("playground/pagefind-playground.js"),
                vec![crate::playground::PLAYGROUND_JS.as_bytes()],
                Compress::None,
                write_behavior,
            ),
            write(
                outdir.join("playground/pagefind-playground.css"),
                vec![crate::playground::PLAYGROUND_CSS.as_bytes()],
                Compress::None,
                write_behavior,
            ),
        ]);
    }

    let output_files = join_all(files).await;

    if synthetic {
        Some(output_files.into_iter().flatten().collect())
    } else {
        None
    }
}

impl PagefindIndexes {
    fn lang_wasm_path(&self) -> Option<String> {
        let base_language = self.language.split('-').next().unwrap();
        let wasm_path = format!(
            "pagefind_web_bg.{}.{}.wasm.gz",
            base_language,
            env!("CARGO_PKG_VERSION")
        );

        if WEB_WASM_FILES.contains(&wasm_path) {
            Some(wasm_path)
        } else {
            None
        }
    }

    pub fn get_lang_meta(&self, options: &SearchOptions) -> LanguageMeta {
        let mut wasm_file = None;

        if self.language != "unknown" {
            if self.lang_wasm_path().is_some() {
                wasm_file = Some(self.language.to_string());
            } else {
                options.logger.v_warn(format!(
                    "Note: Pagefind doesn't support stemming for the language {}. \n\
                    Search will still work, but will not match across root words.",
                    self.language
                ));
            }
        }

        LanguageMeta {
            page_count: self.page_count,
            language: self.language.clone(),
            hash: self.meta_index.0.clone(),
            wasm: wasm_file,
        }
    }

    pub async fn write_files_to_disk(&self, options: &SearchOptions, outdir: &PathBuf) {
        self.write_files(options, outdir, false).await;
    }

    /// The index's files. The fragments and chunks of the word index already gzipped are
    /// handed over rather than copied, so they are no longer in `self` afterwards: at the
    /// end of a big build they were held twice, as kept and as returned.
    pub async fn write_files_to_memory(
        &mut self,
        options: &SearchOptions,
        outdir: &PathBuf,
    ) -> Vec<SyntheticFile> {
        let mut handed_over = Vec::with_capacity(self.fragments.len() + self.word_indexes.len());
        let fragments = std::mem::take(&mut self.fragments);
        for (hash, fragment) in fragments {
            match fragment {
                EncodedFragment::Gzipped { bytes, .. } => handed_over.push(SyntheticFile {
                    filename: fragment_path(outdir, &hash),
                    contents: bytes,
                }),
                json => self.fragments.push((hash, json)),
            }
        }
        handed_over.extend(
            std::mem::take(&mut self.word_indexes)
                .into_iter()
                .map(|(hash, index)| SyntheticFile {
                    filename: word_index_path(outdir, &hash),
                    contents: index,
                }),
        );
        let mut files = self.write_files(options, outdir, true).await.unwrap();
        files.extend(handed_over);
        files
    }

    async fn write_files(
        &self,
        options: &SearchOptions,
        outdir: &PathBuf,
        synthetic: bool,
    ) -> Option<Vec<SyntheticFile>> {
        let immutable_write_behaviour = if synthetic {
            WriteBehavior::Synthetic
        } else {
            WriteBehavior::Immutable
        };

        let mut files = vec![write(
            outdir.join(format!("pagefind.{}.pf_meta", &self.meta_index.0)),
            vec![&self.meta_index.1],
            Compress::GZ,
            immutable_write_behaviour,
        )];

        if self.language != "unknown" {
            if let Some(wasm_path) = self.lang_wasm_path() {
                files.push(write(
                    outdir.join(format!("wasm.{}.pagefind", self.language)),
                    vec![WEB_WASM_FILES
                        .get_file(wasm_path)
                        .expect("WASM should exist")
                        .contents()],
                    Compress::None,
                    if synthetic {
                        WriteBehavior::Synthetic
                    } else {
                        WriteBehavior::Disk
                    },
                ));
            } else {
                options.logger.v_warn(format!(
                    "Note: Pagefind doesn't support stemming for the language {}. \n\
                    Search will still work, but will not match across root words.",
                    self.language
                ));
            }
        }

        files.extend(self.fragments.iter().map(|(hash, fragment)| {
            let (contents, compression) = match fragment {
                EncodedFragment::Json(json) => (json.as_bytes(), Compress::GZ),
                EncodedFragment::Gzipped { bytes, .. } => (&bytes[..], Compress::None),
            };
            write(
                fragment_path(outdir, &hash),
                vec![contents],
                compression,
                immutable_write_behaviour,
            )
        }));

        files.extend(self.word_indexes.iter().map(|(hash, index)| {
            write(
                word_index_path(outdir, &hash),
                vec![index],
                // Gzipped when encoded.
                Compress::None,
                immutable_write_behaviour,
            )
        }));

        files.extend(self.filter_indexes.iter().map(|(hash, index)| {
            write(
                outdir.join(format!("filter/{}.pf_filter", hash)),
                vec![index],
                Compress::GZ,
                immutable_write_behaviour,
            )
        }));

        let output_files = join_all(files).await;
        if synthetic {
            Some(output_files.into_iter().flatten().collect())
        } else {
            None
        }
    }
}

/// Where a page's fragment is written.
fn fragment_path(outdir: &Path, hash: &str) -> PathBuf {
    outdir.join(format!("fragment/{}.pf_fragment", hash))
}

/// Where a chunk of the word index is written.
fn word_index_path(outdir: &Path, hash: &str) -> PathBuf {
    outdir.join(format!("index/{}.pf_index", hash))
}

#[derive(Copy, Clone)]
enum Compress {
    GZ,
    None,
}

#[derive(Copy, Clone)]
enum WriteBehavior {
    Synthetic,
    Immutable,
    Disk,
}

#[derive(Clone)]
pub struct SyntheticFile {
    pub filename: PathBuf,
    pub contents: Vec<u8>,
}

/// The compression level: 5, not 9 (Pagefind's) or zlib's default of 6. On these small files
/// 9 finds almost nothing more than 6; at 10,000 intentions 5 makes the index 0.2% larger than
/// 6 in about a fifth less time gzipping.
const LEVEL: u32 = 5;

/// The gzip header flate2's `GzEncoder` writes at levels 2 to 8: no name, no time, unknown
/// system.
const GZIP_HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];

/// How much compressed output `GzEncoder` takes from each call to deflate. Deflate's choices
/// depend on where its output is cut, so the same size gives the same bytes.
const DEFLATE_BUFFER: usize = 32 * 1024;

/// A deflate stream and the buffer it writes into.
struct Deflater {
    stream: flate2::Compress,
    buffer: Box<[u8]>,
}

/// The compression level of pages' fragment files: 2, deflate's quicker way of finding
/// matches. Fragments are most of what is gzipped, and a search fetches only those of the
/// results it shows; at 10,000 intentions level 2 makes them 2.6% larger than 5, and a
/// 1,000-intention build takes 2.7% fewer instructions (level 1: 31% larger, 5.4% fewer).
const FRAGMENT_LEVEL: u32 = 2;

thread_local! {
    /// One deflate stream per thread, reset for each file: making a new one (as a new
    /// `GzEncoder` did for every file) allocates and clears about 300 KB of tables, which
    /// cost more than compressing a page's small fragment.
    static DEFLATER: RefCell<Deflater> = RefCell::new(Deflater {
        stream: flate2::Compress::new(Compression::new(LEVEL), false),
        buffer: vec![0; DEFLATE_BUFFER].into_boxed_slice(),
    });
    /// The same, at [`FRAGMENT_LEVEL`].
    static FRAGMENT_DEFLATER: RefCell<Deflater> = RefCell::new(Deflater {
        stream: flate2::Compress::new(Compression::new(FRAGMENT_LEVEL), false),
        buffer: vec![0; DEFLATE_BUFFER].into_boxed_slice(),
    });
}

/// The chunks, each after the `pagefind_dcd` marker, gzipped: the same bytes as a `GzEncoder`
/// at [`LEVEL`] writes, from the same calls to deflate.
pub(crate) fn gzip(content_chunks: &[&[u8]]) -> Result<Vec<u8>, flate2::CompressError> {
    gzip_with(&DEFLATER, content_chunks)
}

/// [`gzip`] at [`FRAGMENT_LEVEL`], for a page's fragment file.
pub(crate) fn gzip_fragment(content_chunks: &[&[u8]]) -> Result<Vec<u8>, flate2::CompressError> {
    gzip_with(&FRAGMENT_DEFLATER, content_chunks)
}

fn gzip_with(
    stream: &'static std::thread::LocalKey<RefCell<Deflater>>,
    content_chunks: &[&[u8]],
) -> Result<Vec<u8>, flate2::CompressError> {
    let length: usize = content_chunks.iter().map(|c| c.len() + 12).sum();
    let mut out = Vec::with_capacity(length / 2 + 64);
    out.extend_from_slice(&GZIP_HEADER);
    let mut crc = Crc::new();
    stream.with(|deflater| {
        let deflater = &mut *deflater.borrow_mut();
        deflater.stream.reset();
        for chunk in content_chunks {
            for piece in [&b"pagefind_dcd"[..], chunk] {
                crc.update(piece);
                deflater.write(piece, &mut out)?;
            }
        }
        deflater.finish(&mut out)
    })?;
    out.extend_from_slice(&crc.sum().to_le_bytes());
    out.extend_from_slice(&crc.amount().to_le_bytes());
    Ok(out)
}

impl Deflater {
    /// Compresses all of `input` onto `out`, as `GzEncoder::write_all` does.
    fn write(&mut self, mut input: &[u8], out: &mut Vec<u8>) -> Result<(), flate2::CompressError> {
        while !input.is_empty() {
            let read_before = self.stream.total_in();
            self.run(input, out, FlushCompress::None)?;
            input = &input[(self.stream.total_in() - read_before) as usize..];
        }
        Ok(())
    }

    /// Ends the stream onto `out`, as `GzEncoder::finish` does: until a call writes nothing.
    fn finish(&mut self, out: &mut Vec<u8>) -> Result<(), flate2::CompressError> {
        while self.run(&[], out, FlushCompress::Finish)? > 0 {}
        Ok(())
    }

    /// One call to deflate; returns how many bytes it wrote.
    fn run(
        &mut self,
        input: &[u8],
        out: &mut Vec<u8>,
        flush: FlushCompress,
    ) -> Result<usize, flate2::CompressError> {
        let written_before = self.stream.total_out();
        self.stream.compress(input, &mut self.buffer, flush)?;
        let written = (self.stream.total_out() - written_before) as usize;
        out.extend_from_slice(&self.buffer[..written]);
        Ok(written)
    }
}

async fn write(
    filename: PathBuf,
    content_chunks: Vec<&[u8]>,
    compression: Compress,
    write_behavior: WriteBehavior,
) -> Option<SyntheticFile> {
    let mut file = None;

    match write_behavior {
        WriteBehavior::Synthetic => {}
        // For "immutable" (hashed) files, don't re-write them as the contents _should_ be unchanged.
        WriteBehavior::Immutable if filename.exists() => return None,
        WriteBehavior::Immutable | WriteBehavior::Disk => {
            if let Some(parent) = filename.parent() {
                create_dir_all(parent).await.unwrap();
            }

            let mut output_file = File::create(&filename).await;
            while output_file.is_err() {
                sleep(Duration::from_millis(100)).await;
                output_file = File::create(&filename).await;
            }
            file = output_file.ok();
        }
    };

    match compression {
        Compress::GZ => {
            // At `LEVEL`, not 9.
            if let Ok(contents) = gzip(&content_chunks) {
                if let Some(mut file) = file {
                    file.write_all(&contents).await.unwrap();
                    // `write_all` resolving only means the bytes are in tokio's
                    // buffer; the blocking-pool write to disk may still be in
                    // flight. Flush before the file drops, or a service-mode
                    // consumer can receive the WriteFiles acknowledgement and
                    // close the process while a file is half written, shipping
                    // a truncated asset.
                    file.flush().await.unwrap();
                } else {
                    return Some(SyntheticFile { filename, contents });
                }
            }
            None
        }
        Compress::None => {
            if let Some(mut file) = file {
                for chunk in content_chunks {
                    file.write_all(chunk).await.unwrap();
                }
                file.flush().await.unwrap();
                None
            } else {
                return Some(SyntheticFile {
                    filename,
                    contents: content_chunks.into_iter().flatten().cloned().collect(),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{gzip, gzip_fragment, FRAGMENT_LEVEL, LEVEL};
    use flate2::write::GzEncoder;
    use flate2::Compression;
    use std::io::Write;

    /// What Pagefind wrote before (at level 9): a new `GzEncoder` for every file.
    fn as_gz_encoder(chunks: &[&[u8]], level: u32) -> Vec<u8> {
        let mut gz = GzEncoder::new(Vec::new(), Compression::new(level));
        for chunk in chunks {
            gz.write_all(b"pagefind_dcd").unwrap();
            gz.write_all(chunk).unwrap();
        }
        gz.finish().unwrap()
    }

    #[test]
    fn gzips_the_bytes_a_new_gz_encoder_wrote() {
        // Text that compresses well, and bytes that do not (a simple generator), so that
        // some files' compressed output is several times deflate's 32 KiB buffer.
        let text: Vec<u8> = "Reablement beds in the north of the county, 2024 to 2026. "
            .repeat(3_000)
            .into_bytes();
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let noise: Vec<u8> = (0..150_000)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect();
        // Words drawn from a few thousand made-up ones: it compresses about as an index's
        // words and pages do, by matches rather than by runs.
        let mut words = Vec::new();
        while words.len() < 400_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let word = state % 4_000;
            words.extend_from_slice(format!("w{:x}{} ", word * 7919, word % 13).as_bytes());
        }
        let files: Vec<Vec<&[u8]>> = vec![
            vec![&words],
            vec![&words[..70_000], &text[..9_000], &words[70_000..]],
            vec![],
            vec![b""],
            vec![b"a"],
            vec![&text[..100], &noise[..10]],
            vec![&text],
            vec![&noise],
            vec![&noise[..40_000], &text, &noise[40_000..]],
            vec![&text[..50]],
        ];
        // Twice over, so that every file is also made by a stream used before.
        for _ in 0..2 {
            for chunks in &files {
                assert_eq!(gzip(chunks).unwrap(), as_gz_encoder(chunks, LEVEL));
                assert_eq!(
                    gzip_fragment(chunks).unwrap(),
                    as_gz_encoder(chunks, FRAGMENT_LEVEL)
                );
            }
        }
    }
}
