//! Where each key and value sits in a YAML text, so diagnostics can point at the exact line
//! and column. serde_yaml gives no positions for valid values, so the text is read a second
//! time with an event parser (saphyr) that marks every node.

use std::collections::HashMap;
use std::ops::Range;

use saphyr_parser::{Event, Parser, Span};

/// One step in a path through YAML: a mapping key or a sequence index.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Segment {
    /// A key in a mapping.
    Key(String),
    /// A position in a sequence.
    Index(usize),
}

/// A key or value found in the YAML, with byte ranges in the whole file.
#[derive(Debug, Clone)]
pub struct Node {
    /// The path from the document root to this value.
    pub path: Vec<Segment>,
    /// Where the key is, for values in a mapping.
    pub key: Option<Range<usize>>,
    /// Where the value starts (a scalar's whole text; a collection's first character).
    pub value: Range<usize>,
}

/// Every key and value of one YAML document, by path.
#[derive(Debug, Clone, Default)]
pub struct SpanIndex {
    nodes: Vec<Node>,
    /// Position in `nodes` of the first node at each path: a file with thousands of bad
    /// references asks for thousands of spans, and a linear search each time is quadratic.
    by_path: HashMap<Vec<Segment>, usize>,
}

/// Collections nested deeper than this are not indexed. Content is four levels deep at
/// most; a hostile file nested a hundred thousand levels would otherwise cost a path copy per
/// level per node (quadratic time and memory). serde_yaml refuses such files anyway (its
/// recursion limit is 128), so positions below this depth are never needed.
pub const MAX_DEPTH: usize = 32;

/// At most this many nodes are indexed; later ones fall back to their nearest indexed
/// ancestor. A hand-written file has a few hundred; the cap bounds the memory a 1 MiB file of
/// tiny nested values could take (each node holds its whole path).
pub const MAX_NODES: usize = 20_000;

enum Frame {
    Mapping {
        path: Vec<Segment>,
        key: Option<(String, Range<usize>)>,
    },
    Sequence {
        path: Vec<Segment>,
        next: usize,
    },
}

impl SpanIndex {
    /// Indexes `yaml`, which starts at byte `offset` of its file. Stops quietly at a syntax
    /// error (serde_yaml reports those), at collections nested deeper than [`MAX_DEPTH`] and
    /// after [`MAX_NODES`] nodes.
    pub fn build(yaml: &str, offset: usize) -> Self {
        let to_byte = CharToByte::new(yaml);
        let span_of = |span: &Span| -> Range<usize> {
            let start = to_byte.byte(span.start.index()) + offset;
            let end = to_byte
                .byte(span.end.index())
                .max(to_byte.byte(span.start.index()))
                + offset;
            start..end
        };
        let mut nodes = Vec::new();
        let mut stack: Vec<Frame> = Vec::new();
        for item in Parser::new_from_str(yaml) {
            let Ok((event, span)) = item else { break };
            if nodes.len() >= MAX_NODES {
                break;
            }
            let range = span_of(&span);
            match event {
                Event::Scalar(text, ..) => {
                    if let Some(Frame::Mapping {
                        key: key @ None, ..
                    }) = stack.last_mut()
                    {
                        *key = Some((text.into_owned(), range));
                        continue;
                    }
                    push_value(&mut stack, &mut nodes, range);
                }
                Event::Alias(_) => {
                    push_value(&mut stack, &mut nodes, range);
                }
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    if stack.len() >= MAX_DEPTH {
                        break;
                    }
                    let path = push_value(&mut stack, &mut nodes, range.start..range.start);
                    stack.push(if matches!(event, Event::MappingStart(..)) {
                        Frame::Mapping { path, key: None }
                    } else {
                        Frame::Sequence { path, next: 0 }
                    });
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    stack.pop();
                }
                _ => {}
            }
        }
        let mut by_path = HashMap::with_capacity(nodes.len());
        for (i, node) in nodes.iter().enumerate() {
            by_path.entry(node.path.clone()).or_insert(i);
        }
        SpanIndex { nodes, by_path }
    }

    /// The node at `path`, if the YAML has it.
    pub fn get(&self, path: &[Segment]) -> Option<&Node> {
        self.by_path.get(path).map(|&i| &self.nodes[i])
    }

    /// The span of the value at `path`, or failing that of its nearest ancestor.
    pub fn value_or_parent(&self, path: &[Segment]) -> Option<Range<usize>> {
        (0..=path.len())
            .rev()
            .find_map(|len| self.get(&path[..len]).map(|n| n.value.clone()))
    }

    /// Every node, in document order.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }
}

/// Where `yaml` first nests collections deeper than [`MAX_DEPTH`], as a byte offset into
/// `yaml`, or `None` when it does not.
///
/// serde_yaml (libyaml) takes time quadratic in the depth of flow collections before its own
/// recursion limit stops it: 40,000 `[` take 17 s. So files are checked here first, cheaply:
/// a bracket count rules out every ordinary file without parsing it, and only a file with
/// deep brackets is parsed with saphyr, which is linear and has its own limit.
pub fn too_deep(yaml: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut deepest = 0usize;
    let mut first_too_deep = 0;
    for (i, b) in yaml.bytes().enumerate() {
        match b {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH && deepest <= MAX_DEPTH {
                    first_too_deep = i;
                }
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    if deepest <= MAX_DEPTH {
        return None;
    }
    let to_byte = CharToByte::new(yaml);
    let mut depth = 0usize;
    for item in Parser::new_from_str(yaml) {
        match item {
            Ok((Event::MappingStart(..) | Event::SequenceStart(..), span)) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(to_byte.byte(span.start.index()));
                }
            }
            Ok((Event::MappingEnd | Event::SequenceEnd, _)) => depth = depth.saturating_sub(1),
            Ok((Event::StreamEnd, _)) => return None,
            Ok(_) => {}
            // saphyr's own nesting limit (its scanner reads ahead, so where it stopped is
            // past the point of interest: point at the first bracket too deep instead), or a
            // syntax error serde_yaml will report.
            Err(error) => {
                return error
                    .to_string()
                    .contains("recursion limit")
                    .then_some(first_too_deep);
            }
        }
    }
    None
}

/// Records a value at the current position of the innermost collection and returns its path.
fn push_value(stack: &mut [Frame], nodes: &mut Vec<Node>, value: Range<usize>) -> Vec<Segment> {
    let (path, key) = match stack.last_mut() {
        None => (Vec::new(), None),
        Some(Frame::Sequence { path, next }) => {
            let mut p = path.clone();
            p.push(Segment::Index(*next));
            *next += 1;
            (p, None)
        }
        Some(Frame::Mapping { path, key }) => match key.take() {
            Some((name, span)) => {
                let mut p = path.clone();
                p.push(Segment::Key(name));
                (p, Some(span))
            }
            // A collection used as a key: not valid content, so its position is enough.
            None => (path.clone(), None),
        },
    };
    nodes.push(Node {
        path: path.clone(),
        key,
        value,
    });
    path
}

/// Converts the parser's character indices to byte offsets.
struct CharToByte {
    offsets: Option<Vec<usize>>,
    len: usize,
}

impl CharToByte {
    fn new(text: &str) -> Self {
        let offsets = (!text.is_ascii()).then(|| {
            let mut v: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
            v.push(text.len());
            v
        });
        CharToByte {
            offsets,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.offsets {
            Some(v) => v.get(char_index).copied().unwrap_or(self.len),
            None => char_index.min(self.len),
        }
    }
}

/// Shorthand for building paths in validation code: `path!["targets", 2, "by"]`.
#[macro_export]
macro_rules! path {
    ($($seg:expr),* $(,)?) => {
        [$($crate::content::spans::IntoSegment::into_segment($seg)),*]
    };
}

/// Anything that can be one step of a path.
pub trait IntoSegment {
    /// Converts to a segment.
    fn into_segment(self) -> Segment;
}

impl IntoSegment for &str {
    fn into_segment(self) -> Segment {
        Segment::Key(self.to_string())
    }
}

impl IntoSegment for usize {
    fn into_segment(self) -> Segment {
        Segment::Index(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_keys_and_list_items() {
        let yaml = "title: A\npriorities: [stroke, frailty]\ntargets:\n  - measure: Beds\n    by: 2015-03\n";
        let index = SpanIndex::build(yaml, 4);
        let p = index
            .get(&[Segment::Key("priorities".into()), Segment::Index(1)])
            .unwrap();
        assert_eq!(&yaml[p.value.start - 4..p.value.end - 4], "frailty");
        let by = index
            .get(&[
                Segment::Key("targets".into()),
                Segment::Index(0),
                Segment::Key("by".into()),
            ])
            .unwrap();
        assert_eq!(&yaml[by.value.start - 4..by.value.end - 4], "2015-03");
        let key = by.key.clone().unwrap();
        assert_eq!(&yaml[key.start - 4..key.end - 4], "by");
    }

    #[test]
    fn deep_nesting_is_found_quickly_and_ordinary_files_pass() {
        assert_eq!(too_deep("title: A [draft]\ntargets: [{by: 2015}]\n"), None);
        let deep = format!("outcomes: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let at = too_deep(&deep).expect("too deep");
        assert!(at > 10 && at < 100, "points near the start: {at}");
        // Brackets inside quoted text are not nesting.
        let quoted = format!("title: \"{}\"\n", "[".repeat(1000));
        assert_eq!(too_deep(&quoted), None);
        // Deep but not past the limit is left for serde_yaml.
        let fine = format!(
            "a: {}{}\n",
            "[".repeat(MAX_DEPTH - 2),
            "]".repeat(MAX_DEPTH - 2)
        );
        assert_eq!(too_deep(&fine), None);
    }

    #[test]
    fn counts_bytes_not_characters() {
        let yaml = "name: Cymraeg â\nkind: ccg\n";
        let index = SpanIndex::build(yaml, 0);
        let kind = index.get(&[Segment::Key("kind".into())]).unwrap();
        assert_eq!(&yaml[kind.value.clone()], "ccg");
    }
}
