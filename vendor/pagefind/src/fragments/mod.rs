use std::collections::BTreeMap;

use serde::Serialize;

#[derive(Serialize, Debug, Clone)]
pub struct PageAnchorData {
    pub element: String,
    pub id: String,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub location: u32,
}

#[derive(Serialize, Debug, Clone)]
pub struct PageFragmentData {
    pub url: String,
    pub content: String,
    pub word_count: usize,
    pub filters: BTreeMap<String, Vec<String>>,
    pub meta: BTreeMap<String, String>,
    pub anchors: Vec<PageAnchorData>,
}

#[derive(Debug, Clone)]
pub struct PageFragment {
    pub page_number: usize,
    pub data: PageFragmentData,
    /// The fragment file, when it was made as the page was read (its `content` then
    /// dropped from `data`, so a kept page holds its text once).
    pub encoded: Option<EncodedFragment>,
}

/// A page's fragment file, made: its JSON, or the JSON already gzipped as written.
#[derive(Debug, Clone)]
pub enum EncodedFragment {
    /// The fragment's JSON, gzipped when written.
    Json(String),
    /// The fragment's JSON gzipped, with the full hash of the JSON that names it: a kept
    /// page's fragment takes about a quarter of the memory of its JSON, and is compressed
    /// on the thread that read the page rather than when the index is written.
    Gzipped { full_hash: String, bytes: Vec<u8> },
}

impl EncodedFragment {
    /// The fragment as JSON and gzipped (at the fragments' own level, see
    /// `output::FRAGMENT_LEVEL`): made as `PagefindIndex` pages are read when their
    /// fragments are each a file of their own (not grouped, which wants the JSON).
    pub fn gzipped(json: &str) -> anyhow::Result<Self> {
        Ok(EncodedFragment::Gzipped {
            full_hash: crate::utils::full_hash(json.as_bytes()),
            // Kept until the end of the build: in the room it needs, not the room guessed for
            // it before compressing (half the JSON, where a fragment gzips to about a third).
            bytes: {
                let mut bytes = crate::output::gzip_fragment(&[json.as_bytes()])?;
                bytes.shrink_to_fit();
                bytes
            },
        })
    }

    /// The fragment's JSON, ungzipped again if need be.
    pub fn json(&self) -> anyhow::Result<std::borrow::Cow<'_, str>> {
        match self {
            EncodedFragment::Json(json) => Ok(std::borrow::Cow::Borrowed(json)),
            EncodedFragment::Gzipped { bytes, .. } => {
                use std::io::Read;
                let mut json = String::new();
                flate2::read::GzDecoder::new(&bytes[..]).read_to_string(&mut json)?;
                match json.strip_prefix("pagefind_dcd") {
                    Some(json) => Ok(std::borrow::Cow::Owned(json.to_string())),
                    None => anyhow::bail!("a gzipped fragment without its marker"),
                }
            }
        }
    }

    /// The full hash of the fragment's JSON.
    pub fn full_hash(&self) -> String {
        match self {
            EncodedFragment::Json(json) => crate::utils::full_hash(json.as_bytes()),
            EncodedFragment::Gzipped { full_hash, .. } => full_hash.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::EncodedFragment;

    #[test]
    fn a_fragment_gzipped_when_read_is_the_file_it_would_have_been_and_its_json_again() {
        let json = r#"{"url":"/a/","content":"Beds for older people. Beds again.","word_count":6}"#;
        let made = EncodedFragment::gzipped(json).expect("gzips");
        let EncodedFragment::Gzipped { full_hash, bytes } = &made else {
            panic!("not gzipped");
        };
        assert_eq!(
            bytes,
            &crate::output::gzip_fragment(&[json.as_bytes()]).expect("gzips")
        );
        assert_eq!(full_hash, &crate::utils::full_hash(json.as_bytes()));
        assert_eq!(made.full_hash(), EncodedFragment::Json(json.into()).full_hash());
        assert_eq!(made.json().expect("ungzips"), json);
    }
}
