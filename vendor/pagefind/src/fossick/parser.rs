use lazy_static::lazy_static;
use lol_html::html_content::Element;
use lol_html::{HtmlRewriter, Selector, Settings};
use std::borrow::Cow;
use regex::Regex;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::default::Default;
use std::rc::Rc;

use crate::SearchOptions;

use super::normalize_content;

lazy_static! {
    static ref ALL_SPACES: Regex = Regex::new("\\s").unwrap();
    static ref SENTENCE_CHARS: Regex = Regex::new("[\\w'\"\\)\\$\\*]").unwrap();
}
lazy_static! {
    static ref ATTRIBUTE_MATCH: Regex =
        Regex::new("^\\s*(?P<name>[^:\\[\\]]+)\\[(?P<attribute>.+)\\]\\s*$").unwrap();
}

const SENTENCE_SELECTORS: &[&'static str] = &[
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "td", "div", "ul", "li", "article", "section",
];
const INLINE_SELECTORS: &[&'static str] = &[
    "a", "abbr", "acronym", "b", "bdo", "big", "br", "button", "cite", "code", "dfn", "em", "i",
    "img", "input", "kbd", "label", "map", "object", "output", "q", "samp", "script", "select",
    "small", "span", "strong", "sub", "sup", "textarea", "time", "tt", "var",
];
const REMOVE_SELECTORS: &[&'static str] = &[
    "head", "style", "script", "noscript", "label", "form", "svg", "footer", "nav", "iframe",
    "template",
];
const SPACE_SELECTORS: &[&'static str] = &["br"];

// We aren't transforming HTML, just parsing, so we dump the output.
#[derive(Default)]
struct EmptySink;
impl lol_html::OutputSink for EmptySink {
    fn handle_chunk(&mut self, _: &[u8]) {}
}

/// The attributes Pagefind reads on an element, read in one pass over the element's
/// attributes (most elements have none or one) rather than a look-up each, every one of
/// which lower-cased and encoded the name it looked for.
#[derive(Default)]
struct PagefindAttributes {
    ignore: Option<String>,
    body: bool,
    weight: Option<String>,
    filter: Option<String>,
    id: Option<String>,
    title: Option<String>,
    meta: Option<String>,
    default_meta: Option<String>,
    sort: Option<String>,
    index_attrs: Option<String>,
}

impl PagefindAttributes {
    /// Notes one of an element's attributes (its name in lower case), if Pagefind reads it.
    /// The first of two attributes of one name counts, as it did with a look-up.
    fn note(&mut self, name: &str, value: impl FnOnce() -> String) {
        let slot = match name {
            "data-pagefind-body" => {
                self.body = true;
                return;
            }
            "data-pagefind-ignore" => &mut self.ignore,
            "data-pagefind-weight" => &mut self.weight,
            "data-pagefind-filter" => &mut self.filter,
            "id" => &mut self.id,
            "data-pagefind-title" => &mut self.title,
            "data-pagefind-meta" => &mut self.meta,
            "data-pagefind-default-meta" => &mut self.default_meta,
            "data-pagefind-sort" => &mut self.sort,
            "data-pagefind-index-attrs" => &mut self.index_attrs,
            _ => return,
        };
        if slot.is_none() {
            *slot = Some(value());
        }
    }
}

/// An element as the parser reads it: from lol_html, or from [`read_simple`]'s scan.
trait ReadElement {
    /// The attributes Pagefind reads on it.
    fn pagefind_attributes(&self) -> PagefindAttributes;
    /// The value of its first attribute called `name` (in any case), as it is written.
    fn attribute(&self, name: &str) -> Option<String>;
}

impl ReadElement for Element<'_, '_> {
    fn pagefind_attributes(&self) -> PagefindAttributes {
        let mut read = PagefindAttributes::default();
        for attribute in self.attributes() {
            read.note(&attribute.name(), || attribute.value());
        }
        read
    }

    fn attribute(&self, name: &str) -> Option<String> {
        self.get_attribute(name)
    }
}

/// Houses the HTML parsing instance and the internal data while parsing
pub struct DomParser<'a> {
    rewriter: HtmlRewriter<'a, EmptySink>,
    data: Rc<RefCell<DomParserData>>,
}

// The internal state while parsing,
// with a reference to the deepest HTML element
// that we're currently reading
#[derive(Default, Debug)]
struct DomParserData {
    current_node: Rc<RefCell<DomParsingNode>>,
    filters: BTreeMap<String, Vec<String>>,
    sort: BTreeMap<String, String>,
    meta: BTreeMap<String, String>,
    default_meta: BTreeMap<String, String>,
    anchor_content: BTreeMap<String, String>,
    anchor_titles: BTreeMap<String, String>,
    language: Option<String>,
    has_html_element: bool,
    has_old_bundle_reference: bool,
    has_default_ui_reference: bool,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum NodeStatus {
    Indexing,
    // Our content & children should not be indexed
    Ignored,
    // Our content & children should be excluded entirely
    // (including meta / filters)
    Excluded,
    Body,
    // There was a body element below us,
    // so our content should be ignored.
    ParentOfBody,
}

impl Default for NodeStatus {
    fn default() -> Self {
        Self::Indexing
    }
}

// A single HTML element that we're reading into.
// Contains a reference to the parent element,
// and since we collapse this tree upwards while we parse,
// we don't need to store tree structure.
#[derive(Default, Debug)]
struct DomParsingNode {
    current_value: String,
    parent: Option<Rc<RefCell<DomParsingNode>>>,
    filter: Option<Vec<String>>,
    sort: Option<Vec<String>>,
    meta: Option<Vec<String>>,
    default_meta: Option<Vec<String>>,
    weight: Option<String>,
    anchor_ids: Option<Vec<String>>,
    status: NodeStatus,
}

/// The search-relevant data that was retrieved from the given input
#[derive(Debug)]
pub struct DomParserResult {
    pub digest: String,
    pub filters: BTreeMap<String, Vec<String>>,
    pub sort: BTreeMap<String, String>,
    pub meta: BTreeMap<String, String>,
    pub anchor_content: BTreeMap<String, String>,
    pub anchor_titles: BTreeMap<String, String>,
    pub has_custom_body: bool,
    pub force_inclusion: bool, // Include this page even if there is no body
    pub has_html_element: bool,
    pub has_old_bundle_reference: bool,
    pub has_default_ui_reference: bool,
    pub language: String,
}

// Some shorthand to clean up our use of Rc<RefCell<*>> in the lol_html macros
// From https://github.com/rust-lang/rfcs/issues/2407#issuecomment-385291238
macro_rules! enclose {
    ( ($( $x:ident ),*) $y:expr ) => {
        {
            $(let $x = $x.clone();)*
            $y
        }
    };
}

/// The selectors a page's parser matches, parsed once for every page rather than for each
/// (with the exclusions checked once, not on every page): parsing them took about a twentieth
/// of the time to read a page.
#[derive(Debug, Clone)]
pub(crate) struct ParserSelectors {
    html: Selector,
    /// The root element, for its text.
    root: Selector,
    /// The root element and everything in it.
    root_and_descendants: Selector,
    /// What is left out inside the root: the configured exclusions Pagefind can parse, and
    /// the elements it always leaves out.
    exclusions: Selector,
    script_or_link: Selector,
    /// Whether a page can be read with [`read_simple`]: the root is the whole document
    /// and nothing is excluded beyond what always is.
    simple: bool,
}

impl ParserSelectors {
    pub(crate) fn new(
        root_selector: &str,
        exclude_selectors: &[String],
        logger: &crate::logging::Logger,
    ) -> anyhow::Result<Self> {
        let parse = |selector: &str| {
            selector
                .parse::<Selector>()
                .map_err(|error| anyhow::anyhow!("can't parse the selector {selector:?}: {error}"))
        };
        let exclusions = exclude_selectors
            .iter()
            .map(|e| e.as_str())
            .chain(REMOVE_SELECTORS.iter().copied())
            .filter_map(|e| {
                let selector = format!("{} {}", root_selector, e);
                match selector.parse::<Selector>() {
                    Ok(_) => Some(selector),
                    Err(error) => {
                        logger.warn(format!(
                            "Ignoring the exclude selector {e:?}, which Pagefind can't parse: {error}. Indexing will continue without it."
                        ));
                        None
                    }
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        Ok(Self {
            html: parse("html")?,
            root: parse(root_selector)?,
            root_and_descendants: parse(&format!("{root_selector}, {root_selector} *"))?,
            exclusions: parse(&exclusions)?,
            script_or_link: parse("script, link")?,
            simple: root_selector == "html" && exclude_selectors.is_empty(),
        })
    }
}

/// An element handler for an already parsed selector (lol_html's `element!` parses one).
macro_rules! on_element {
    ($selector:expr, $handler:expr) => {{
        // As in `element!`: without it the handler's type is not always inferred.
        #[inline(always)]
        const fn type_hint<'h, T, H: lol_html::HandlerTypes>(h: T) -> T
        where
            T: FnMut(&mut lol_html::html_content::Element<'_, '_, H>) -> lol_html::HandlerResult
                + 'h,
        {
            h
        }
        (
            Cow::Borrowed($selector),
            lol_html::ElementContentHandlers::default().element(type_hint($handler)),
        )
    }};
}

/// A text handler for an already parsed selector (lol_html's `text!` parses one).
macro_rules! on_text {
    ($selector:expr, $handler:expr) => {{
        #[inline(always)]
        fn type_hint<T>(h: T) -> T
        where
            T: FnMut(&mut lol_html::html_content::TextChunk) -> lol_html::HandlerResult,
        {
            h
        }
        (
            Cow::Borrowed($selector),
            lol_html::ElementContentHandlers::default().text(type_hint($handler)),
        )
    }};
}

impl<'a> DomParser<'a> {
    pub fn new(options: &'a SearchOptions) -> Self {
        let data = Rc::new(RefCell::new(DomParserData::default()));
        let selectors = &options.parser_selectors;
        let mut anchor_counter = 0;

        let rewriter = HtmlRewriter::new(
            vec![
                    enclose! { (data) on_element!(&selectors.html, move |el| {
                        html_element(&data, &*el);
                        Ok(())
                    })},
                    enclose! { (data) on_element!(&selectors.root_and_descendants, move |el| {
                        let tag_name = el.tag_name();
                        let node = element_start(&data, &mut anchor_counter, &*el, &tag_name, options);
                        if let Some(handlers) = el.end_tag_handlers() {
                            handlers.push(Box::new(enclose! { (data) move |end| {
                                element_end(&data, &node, &tag_name, &end.name());
                                Ok(())
                            }}));
                        } else {
                            // Try to handle tags like <img /> which have no end tag,
                            // and thus will never hit the logic to reset the current node.
                            // TODO: This could still be missed for tags with implied ends?
                            void_element_end(&data, &node, &tag_name, &*el);
                        }
                        Ok(())
                    })},
                    // If we hit a selector that should be excluded, mark whatever the current node is as such
                    enclose! { (data) on_element!(&selectors.exclusions, move |_el| {
                        exclude_current(&data);
                        Ok(())
                    })},
                    // Slap any text we encounter inside the body into the current node's current value
                    enclose! { (data) on_text!(&selectors.root, move |el| {
                        text(&data, el.as_str());
                        Ok(())
                    })},
                    // Dig into script and style references to see if they refer to pre-1.0 conventions
                    // or the Default UI (pagefind-ui.js / pagefind-modular-ui.js)
                    enclose! { (data) on_element!(&selectors.script_or_link, move |el| {
                        if el.tag_name() == "script" {
                            if let Some(src) = el.get_attribute("src") {
                                if src.starts_with("_pagefind") || src.contains("/_pagefind") {
                                    let mut data = data.borrow_mut();
                                    data.has_old_bundle_reference = true;
                                }
                                if src.contains("pagefind-ui.js") || src.contains("pagefind-modular-ui.js") {
                                    let mut data = data.borrow_mut();
                                    data.has_default_ui_reference = true;
                                }
                            }
                        } else if el.tag_name() == "link" {
                            if let Some(href) = el.get_attribute("href") {
                                if href.starts_with("_pagefind") || href.contains("/_pagefind") {
                                    let mut data = data.borrow_mut();
                                    data.has_old_bundle_reference = true;
                                }
                                if href.contains("pagefind-ui.css") || href.contains("pagefind-modular-ui.css") {
                                    let mut data = data.borrow_mut();
                                    data.has_default_ui_reference = true;
                                }
                            }
                        }
                        Ok(())
                    })},
            ]
            .into_iter()
            .fold(Settings::new().with_strict(false), |settings, handler| {
                settings.append_element_content_handler(handler)
            }),
            EmptySink::default(),
        );

        Self { rewriter, data }
    }

    /// Writes a chunk of data to the underlying HTML parser
    pub fn write(&mut self, data: &[u8]) -> Result<(), lol_html::errors::RewritingError> {
        self.rewriter.write(data)
    }

    /// Performs any post-processing and returns the summated search results
    pub fn wrap(self) -> DomParserResult {
        drop(self.rewriter); // Clears the extra Rcs on and within data
        result(Rc::try_unwrap(self.data).unwrap().into_inner())
    }
}

/// The `<html>` element: the page is a whole document, in the language it gives.
fn html_element(data: &RefCell<DomParserData>, el: &impl ReadElement) {
    let mut data = data.borrow_mut();
    data.has_html_element = true;
    if let Some(lang) = el.attribute("lang") {
        data.language = Some(lang.to_lowercase());
    }
}

/// The start of an element inside the root: its node, made the current one, with what its
/// attributes say (body, ignored, weight, filters, metadata, anchor) noted.
fn element_start(
    data: &RefCell<DomParserData>,
    anchor_counter: &mut usize,
    el: &impl ReadElement,
    tag_name: &str,
    options: &SearchOptions,
) -> Rc<RefCell<DomParsingNode>> {
    let read = el.pagefind_attributes();
    let explicit_ignore_flag = read.ignore.map(|attr| {
        match attr.to_ascii_lowercase().as_str() {
            "" | "index" | "true" => NodeStatus::Ignored,
            "all" => NodeStatus::Excluded,
            _ => {
                options.logger.warn(format!("data-pagefind-ignore value of \"{}\" is not valid. Expected no value, or one of: [index, all]. Assuming 'all' and excluding this element entirely.", attr));
                NodeStatus::Excluded
            }
        }
    });
    let treat_as_body = read.body;
    let weight = read.weight;
    let filter = read.filter.map(|attr| parse_attr_string(attr, el));
    let element_id = read.id.map(|e| ALL_SPACES.replace_all(&e, "").to_string());
    let pagefind_title = read.title.map(|title| normalize_content(&title)).filter(|title| !title.is_empty());
    let meta = read.meta.map(|attr| parse_attr_string(attr, el));
    let default_meta = read.default_meta.map(|attr| parse_attr_string(attr, el));
    let sort = read.sort.map(|attr| parse_attr_string(attr, el));
    let index_attrs: Option<Vec<String>> = read.index_attrs.map(|attr| attr.split(',').map(|a| a.trim().to_string()).collect());

    let status = if treat_as_body {
        NodeStatus::Body
    } else if let Some(explicit_ignore_flag) = explicit_ignore_flag {
        explicit_ignore_flag
    } else {
        NodeStatus::Indexing
    };

    let mut anchor_id = None;
    if status != NodeStatus::Excluded && status != NodeStatus::Ignored {
        if let Some(element_id) = element_id {
            let parent = &data.borrow().current_node;
            let mut parent = parent.borrow_mut();
            // Don't insert anchors if this node is outside of a body-tree
            if !(parent.status == NodeStatus::ParentOfBody
                && status != NodeStatus::Body
                && status != NodeStatus::ParentOfBody) {
                parent.current_value.push_str(&format!(" ___PAGEFIND_ANCHOR___{tag_name}:{anchor_counter}:{element_id} "));
                anchor_id = Some(format!("{anchor_counter}:{element_id}"));
                *anchor_counter += 1;
            }
        }
    }

    if let (Some(anchor_id), Some(title)) = (&anchor_id, pagefind_title) {
        data.borrow_mut().anchor_titles.insert(anchor_id.clone(), title);
    }

    if status != NodeStatus::Excluded {
        if let Some(attrs) = index_attrs {
            let parent = &data.borrow().current_node;
            for attr in attrs {
                let mut value = el.attribute(attr.trim()).unwrap_or_default();
                if value.chars()
                    .last()
                    .filter(|c| SENTENCE_CHARS.is_match(c.encode_utf8(&mut [0; 4])))
                    .is_some() {
                        value.push('.');
                    }
                let mut parent = parent.borrow_mut();
                parent.current_value.push(' ');
                parent.current_value.push_str(&value);
                parent.current_value.push(' ');
            }
        }
        // Handle adding spaces between words separated by <br/> tags and the like
        if SPACE_SELECTORS.contains(&tag_name) {
            let parent = &data.borrow().current_node;
            let mut parent = parent.borrow_mut();
            parent.current_value.push(' ');
        }
    }

    let mut data = data.borrow_mut();
    let parent_node = data.current_node.borrow();
    let parent_status = parent_node.status;

    let mut node_anchors = if parent_node.anchor_ids.is_some() && INLINE_SELECTORS.contains(&tag_name) {
        parent_node.anchor_ids.clone()
    } else {
        None
    };

    if let Some(this_node_anchor_id) = anchor_id {
        if let Some(existing) = node_anchors.as_mut() {
            existing.push(this_node_anchor_id);
        } else {
            node_anchors = Some(vec![this_node_anchor_id]);
        }
    }

    let node = Rc::new(RefCell::new(DomParsingNode{
        parent: Some(Rc::clone(&data.current_node)),
        status: match parent_status {
            NodeStatus::Excluded => parent_status,
            _ => status,
        },
        filter,
        meta,
        default_meta,
        sort,
        anchor_ids: node_anchors,
        current_value: String::default(),
        weight,
    }));

    drop(parent_node);
    data.current_node = Rc::clone(&node);
    node
}

/// Notes the filters, sort keys and metadata an element gave, now that its text is read
/// (they are valid on ignored elements).
fn note_filters_and_meta(data: &mut DomParserData, node: &DomParsingNode) {
    if let Some(filters) = &node.filter {
        for filter in filters {
            if let Some((filter, value)) = node.get_attribute_pair(filter) {
                match data.filters.get_mut(&filter) {
                    Some(filter_arr) => filter_arr.push(normalize_content(&value)),
                    None => {
                        data.filters.insert(filter, vec![
                            normalize_content(&value)
                        ]);
                    }
                }
            }
        }
    }

    if let Some(sorts) = &node.sort {
        for sort in sorts {
            if let Some((sort, value)) = node.get_attribute_pair(sort) {
                data.sort.insert(sort, value);
            }
        }
    }

    if let Some(metas) = &node.meta {
        for meta in metas {
            if let Some((meta, value)) = node.get_attribute_pair(meta) {
                data.meta.insert(meta, value);
            }
        }
    }
    if let Some(metas) = &node.default_meta {
        for meta in metas {
            if let Some((meta, value)) = node.get_attribute_pair(meta) {
                data.default_meta.insert(meta, value);
            }
        }
    }
}

/// The end tag (`end_name`) of an element that started as `tag_name`: its text goes to its
/// parent, which becomes the current node again.
fn element_end(
    data: &RefCell<DomParserData>,
    node: &RefCell<DomParsingNode>,
    tag_name: &str,
    end_name: &str,
) {
    let mut data = data.borrow_mut();
    let mut node = node.borrow_mut();

    // When we reach an end tag, we need to
    // make sure to move focus back to the parent node.
    if let Some(parent) = &node.parent {
        data.current_node = Rc::clone(parent);
    }

    // For fully-excluded elements, we want to bail before we
    // even get to filters or metadata.
    if node.status == NodeStatus::Excluded {
        return;
    }

    // Process filters & meta before we continue
    // (Filters & meta are valid on ignored elements)
    note_filters_and_meta(&mut data, &node);

    // Try to capture the first title on the page (if unset)
    if tag_name == "h1" && !data.meta.contains_key("auto_title") && !node.current_value.trim().is_empty() {
        data.meta.insert("auto_title".into(), normalize_content(&node.current_value));
    }
    // Try to capture the actual title of the page as a fallback for later
    if tag_name == "title" && !data.meta.contains_key("auto_page_title") {
        data.meta.insert("auto_page_title".into(), normalize_content(&node.current_value));
    }

    // If we bail out now, the content won't be persisted anywhere
    // and the node + children will be dropped.
    if node.status == NodeStatus::Ignored {
        return;
    }

    let tag_name = end_name;
    if SENTENCE_SELECTORS.contains(&tag_name) {
        // For block elements, we want to make sure sentences
        // don't hug each other without whitespace.
        // We normalize repeated whitespace later, so we
        // can add this indiscriminately.
        node.current_value.insert(0, ' ');

        // Similarly, we want to separate block elements
        // with punctuation, so that the excerpts read nicely.
        // (As long as it doesn't already end with, say, a . or ?)
        if node.current_value.chars()
            .last()
            .filter(|c| SENTENCE_CHARS.is_match(c.encode_utf8(&mut [0; 4])))
            .is_some() {
                node.current_value.push('.');
        }
        node.current_value.push(' ');
    }

    if let Some(weight) = &node.weight {
        node.current_value = [
            " ___PAGEFIND_WEIGHT___",
            &weight,
            " ",
            &node.current_value,
            " ___END_PAGEFIND_WEIGHT___ "
        ].concat();
    } else {
        if let Some(auto_weight) = match tag_name {
            "h1" => Some("7".to_string()),
            "h2" => Some("6".to_string()),
            "h3" => Some("5".to_string()),
            "h4" => Some("4".to_string()),
            "h5" => Some("3".to_string()),
            "h6" => Some("2".to_string()),
            _ => None,
        } {
            node.current_value = [
                " ___PAGEFIND_AUTO_WEIGHT___",
                &auto_weight,
                " ",
                &node.current_value,
                " ___END_PAGEFIND_WEIGHT___ "
            ].concat();
        }
    }

    // Huck all of the content we have onto the end of the
    // content that the parent node has (so far)
    // This will include all of our children's content,
    // and the order of tree traversal will mean that it
    // is inserted in the correct position in the parent's content.
    let mut parent = data.current_node.borrow_mut();

    // If the parent is a parent of a body, we don't want to append
    // any more content to it. (Unless, of course, we are representing another body)
    if parent.status == NodeStatus::ParentOfBody
        && node.status != NodeStatus::Body
        && node.status != NodeStatus::ParentOfBody {
            return;
    }
    match node.status {
        NodeStatus::Ignored | NodeStatus::Excluded => {},
        NodeStatus::Indexing => {
            parent.current_value.push_str(&node.current_value);
        },
        NodeStatus::Body | NodeStatus::ParentOfBody => {
            // If our parent is already a parent of a body, then
            // we're probably a subsequent body. Avoid clearing it out.
            if parent.status != NodeStatus::ParentOfBody {
                parent.current_value.clear();
            }
            parent.current_value.push_str(&node.current_value);
            parent.status = NodeStatus::ParentOfBody;
        }
    };
}

/// The end of an element that has no end tag (`<img>`, `<br>`): its parent is the current
/// node again.
fn void_element_end(
    data: &RefCell<DomParserData>,
    node: &RefCell<DomParsingNode>,
    tag_name: &str,
    el: &impl ReadElement,
) {
    let mut data = data.borrow_mut();
    let node = node.borrow();
    if let Some(parent) = &node.parent {
        data.current_node = Rc::clone(parent);
    }

    // For fully-excluded elements, we want to bail before we
    // even get to filters or metadata.
    if node.status == NodeStatus::Excluded {
        return;
    }

    note_filters_and_meta(&mut data, &node);

    // Try to capture the first image _after_ a title (if unset)
    if tag_name == "img"
        && !data.meta.contains_key("auto_image")
        && (data.meta.contains_key("auto_title") || data.meta.contains_key("title")) {
        if let Some(src) = el.attribute("src") {
            data.meta.insert("auto_image".into(), normalize_content(&src));

            if let Some(alt) = el.attribute("alt") {
                data.meta.insert("auto_image_alt".into(), normalize_content(&alt));
            }
        }
    }
}

/// An element the root leaves out: the current node's text is not indexed.
fn exclude_current(data: &RefCell<DomParserData>) {
    let data = data.borrow_mut();
    let mut node = data.current_node.borrow_mut();
    node.status = NodeStatus::Ignored;
}

/// Text inside the root, as it is written (entities and all), added to the current node's.
fn text(data: &RefCell<DomParserData>, element_text: &str) {
    let mut data = data.borrow_mut();
    let mut node = data.current_node.borrow_mut();
    node.current_value.push_str(element_text);

    let node_is_ignored = node.status == NodeStatus::Ignored || node.status == NodeStatus::Excluded;

    if !node_is_ignored && node.anchor_ids.is_some() {
        let anchor_ids = node.anchor_ids.clone().unwrap();
        drop(node);
        for anchor_id in anchor_ids {
            if let Some(anchor_text) = data.anchor_content.get_mut(&anchor_id) {
                anchor_text.push_str(element_text);
            } else {
                data.anchor_content.insert(anchor_id, element_text.to_string());
            }
        }
    }
}

/// What a page's parse found, once it has read the whole page.
fn result(mut data: DomParserData) -> DomParserResult {
    let mut node = data.current_node;

    // Fallback: If we are left with a tree, collapse it up into the parents
    // until we get to the root node.
    while node.borrow().parent.is_some() {
        {
            let node = node.borrow();
            let mut parent = node.parent.as_ref().unwrap().borrow_mut();
            if parent.status != NodeStatus::ParentOfBody {
                match node.status {
                    NodeStatus::Ignored | NodeStatus::Excluded => {}
                    NodeStatus::Indexing => {
                        parent.current_value.push_str(&node.current_value);
                    }
                    NodeStatus::Body | NodeStatus::ParentOfBody => {
                        parent.current_value.clear();
                        parent.current_value.push_str(&node.current_value);
                        parent.status = NodeStatus::ParentOfBody;
                    }
                };
            }
        }
        let old_node = node.borrow();
        let new_node = Rc::clone(old_node.parent.as_ref().unwrap());
        drop(old_node);
        node = new_node;
    }

    if let Some(image) = data.meta.remove("auto_image") {
        let alt = data.meta.remove("auto_image_alt").unwrap_or_default();
        if !data.meta.contains_key("image") {
            data.meta.insert("image".into(), image);
            data.meta.insert("image_alt".into(), alt);
        }
    }

    if let Some(title) = data.meta.remove("auto_title") {
        if !data.meta.contains_key("title") {
            data.meta.insert("title".into(), title);
        }
    }
    if let Some(title) = data.meta.remove("auto_page_title") {
        if !data.meta.contains_key("title") {
            data.meta.insert("title".into(), title);
        }
    }

    // Merge the collected metadata over top of the defaults, if any
    data.default_meta.extend(data.meta);

    let node = node.borrow();

    DomParserResult {
        digest: normalize_content(&node.current_value),
        filters: data.filters,
        sort: data.sort,
        meta: data.default_meta,
        anchor_content: data.anchor_content,
        anchor_titles: data.anchor_titles,
        has_custom_body: node.status == NodeStatus::ParentOfBody,
        force_inclusion: false,
        has_html_element: data.has_html_element,
        has_old_bundle_reference: data.has_old_bundle_reference,
        has_default_ui_reference: data.has_default_ui_reference,
        language: data
            .language
            .filter(|lang| !lang.is_empty())
            .unwrap_or_else(|| "unknown".into()),
    }
}

/// Elements whose content a plain scan of tags would misread (raw text, foreign content),
/// or that another of the parser's handlers reads (`script`, `link`): a page with one is
/// read by lol_html.
const NOT_SIMPLE: &[&str] = &[
    "script", "link", "style", "svg", "math", "textarea", "title", "template", "xmp", "iframe",
    "noscript", "noembed", "noframes", "plaintext",
];

/// Elements without an end tag, as lol_html knows them.
const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "hr", "img", "input", "keygen",
    "link", "meta", "param", "source", "track", "wbr",
];

/// A start tag read by [`read_simple`]: its attributes, names in lower case, values as
/// written. Both are the page's own text unless a name had capitals: a page has hundreds of
/// tags, and copying each name and value was much of the time to read it.
struct SimpleElement<'a> {
    attributes: Vec<(Cow<'a, str>, &'a str)>,
}

impl ReadElement for SimpleElement<'_> {
    fn pagefind_attributes(&self) -> PagefindAttributes {
        let mut read = PagefindAttributes::default();
        for (name, value) in &self.attributes {
            read.note(name, || (*value).to_string());
        }
        read
    }

    fn attribute(&self, name: &str) -> Option<String> {
        self.attributes
            .iter()
            .find(|(attribute, _)| attribute.eq_ignore_ascii_case(name))
            .map(|(_, value)| (*value).to_string())
    }
}

/// `name` in lower case, copied only when it has a capital.
fn lower_case(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

/// Whether `b` is whitespace inside a tag, as the HTML tokenizer has it.
fn tag_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b' ')
}

/// Reads the start tag `text` begins with (at its `<`, a letter next): its name, in lower
/// case, its attributes and its length. None for what [`read_simple`] leaves to lol_html: a
/// tag with no end, characters in a name or an unquoted value that the HTML tokenizer
/// reports as errors.
fn simple_start_tag(text: &str) -> Option<(Cow<'_, str>, SimpleElement<'_>, usize)> {
    let bytes = text.as_bytes();
    let mut at = 1;
    while at < bytes.len() && !tag_space(bytes[at]) && !matches!(bytes[at], b'/' | b'>') {
        at += 1;
    }
    let name = lower_case(&text[1..at]);
    let mut attributes = Vec::new();
    loop {
        // Before an attribute's name; a `/` not before the `>` is read as a space.
        while at < bytes.len() && (tag_space(bytes[at]) || bytes[at] == b'/') {
            at += 1;
        }
        match bytes.get(at)? {
            b'>' => break,
            b'=' => return None,
            _ => {}
        }
        let start = at;
        while at < bytes.len() && !tag_space(bytes[at]) && !matches!(bytes[at], b'/' | b'>' | b'=') {
            if matches!(bytes[at], b'"' | b'\'' | b'<') {
                return None;
            }
            at += 1;
        }
        let attribute = lower_case(&text[start..at]);
        while at < bytes.len() && tag_space(bytes[at]) {
            at += 1;
        }
        if bytes.get(at) != Some(&b'=') {
            attributes.push((attribute, ""));
            continue;
        }
        at += 1;
        while at < bytes.len() && tag_space(bytes[at]) {
            at += 1;
        }
        let value = match *bytes.get(at)? {
            quote @ (b'"' | b'\'') => {
                let length = bytes[at + 1..].iter().position(|b| *b == quote)?;
                let value = &text[at + 1..at + 1 + length];
                at += length + 2;
                value
            }
            // `<a href=>`: the value is missing, the tag ends.
            b'>' => "",
            _ => {
                let start = at;
                while at < bytes.len() && !tag_space(bytes[at]) && bytes[at] != b'>' {
                    if matches!(bytes[at], b'"' | b'\'' | b'<' | b'=' | b'`') {
                        return None;
                    }
                    at += 1;
                }
                &text[start..at]
            }
        };
        attributes.push((attribute, value));
    }
    Some((name, SimpleElement { attributes }, at + 1))
}

/// Reads a page the way [`DomParser`] does, to the same result, without lol_html, when the
/// page is one a plain scan of its tags reads exactly: a document of one `<html>` element with
/// nothing before it, every element ended by its own end tag in order, no raw-text or foreign
/// element (see [`NOT_SIMPLE`]), no doctype, processing instruction or odd comment, and
/// Pagefind reading the whole `html` element with nothing excluded beyond what it always
/// leaves out. Returns None for any other page (the caller then uses [`DomParser`]): a
/// careful scan of the tags costs a fraction of lol_html's, which was most of the time to
/// index a page.
pub fn read_simple(html: &str, options: &SearchOptions) -> Option<DomParserResult> {
    if !options.parser_selectors.simple || html.contains(['\0', '\r']) {
        return None;
    }
    let data = RefCell::new(DomParserData::default());
    let mut anchor_counter = 0;
    // The elements open, from `<html>` in.
    let mut open: Vec<(Cow<str>, Rc<RefCell<DomParsingNode>>)> = Vec::new();
    let mut read_html = false;
    // Where the text not yet added starts, and where to look for the next `<` from.
    let mut text_from = 0;
    let mut from = 0;
    while let Some(found) = html[from..].find('<') {
        let lt = from + found;
        let tag = &html[lt..];
        let next = tag.as_bytes().get(1).copied();
        let is_end_tag = next == Some(b'/')
            && tag.as_bytes().get(2).is_some_and(u8::is_ascii_alphabetic);
        let is_start_tag = next.is_some_and(|b| b.is_ascii_alphabetic());
        let is_comment = tag.starts_with("<!--");
        if !(is_end_tag || is_start_tag || is_comment) {
            if matches!(next, Some(b'!' | b'/' | b'?')) {
                // A doctype, a bogus comment: left to lol_html.
                return None;
            }
            // A `<` in text.
            from = lt + 1;
            continue;
        }
        let before = &html[text_from..lt];
        if !before.is_empty() {
            if open.is_empty() {
                return None;
            }
            text(&data, before);
        }
        if is_comment {
            let end = tag[4..].find("-->")?;
            let comment = &tag[4..4 + end];
            if comment.starts_with('>') || comment.starts_with("->") || comment.contains("--!>") {
                return None;
            }
            from = lt + 4 + end + 3;
        } else if is_end_tag {
            let bytes = tag.as_bytes();
            let mut at = 2;
            while at < bytes.len() && !tag_space(bytes[at]) && !matches!(bytes[at], b'/' | b'>') {
                at += 1;
            }
            let name = &tag[2..at];
            while at < bytes.len() && tag_space(bytes[at]) {
                at += 1;
            }
            if bytes.get(at) != Some(&b'>') {
                return None;
            }
            let (open_name, node) = open.pop()?;
            // The open name is in lower case: the same name in any case ends it.
            if !open_name.eq_ignore_ascii_case(name) {
                return None;
            }
            element_end(&data, &node, &open_name, &open_name);
            from = lt + at + 1;
        } else {
            let (name, element, length) = simple_start_tag(tag)?;
            if NOT_SIMPLE.contains(&&*name) || (name == "html") == read_html {
                return None;
            }
            read_html = true;
            let inside_html = !open.is_empty();
            if name == "html" {
                html_element(&data, &element);
            }
            let node = element_start(&data, &mut anchor_counter, &element, &name, options);
            let void = VOID_ELEMENTS.contains(&&*name);
            if void {
                void_element_end(&data, &node, &name, &element);
            }
            if inside_html && REMOVE_SELECTORS.contains(&&*name) {
                exclude_current(&data);
            }
            if !void {
                open.push((name, node));
            }
            from = lt + length;
        }
        text_from = from;
        if read_html && open.is_empty() {
            // After `</html>`, only space.
            return html[from..]
                .trim_ascii()
                .is_empty()
                .then(|| result(data.into_inner()));
        }
    }
    None
}

fn parse_attr_string(input: String, el: &impl ReadElement) -> Vec<String> {
    if let Some((attrs, literal)) = input.split_once(':') {
        let mut attrs = parse_attr_string(attrs.to_owned(), el);
        if let Some(last) = attrs.last_mut() {
            last.push(':');
            last.push_str(literal);
        }
        return attrs;
    }
    input
        .split(',')
        .map(|chunk| {
            let chunk = chunk.trim();
            if let Some(value) = ATTRIBUTE_MATCH.captures(chunk) {
                let name = value.name("name").unwrap().as_str().to_owned();
                let attr = value.name("attribute").unwrap().as_str().to_owned();
                format!("{}:{}", name, el.attribute(&attr).unwrap_or_default())
            } else {
                chunk.to_owned()
            }
        })
        .collect()
}

impl DomParsingNode {
    fn get_attribute_pair(&self, input: &str) -> Option<(String, String)> {
        match input.split_once(':') {
            Some((filter, value)) => Some((filter.to_owned(), normalize_content(&value))),
            None => {
                if self.current_value.is_empty() {
                    None
                } else {
                    Some((input.to_owned(), normalize_content(&self.current_value)))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_filter_from_node() {
        let mut node = DomParsingNode::default();

        assert_eq!(node.get_attribute_pair("color"), None);

        node.current_value = "White".into();
        assert_eq!(
            node.get_attribute_pair("color"),
            Some(("color".into(), "White".into()))
        );

        assert_eq!(
            node.get_attribute_pair("color:auburn"),
            Some(("color".into(), "auburn".into()))
        );

        assert_eq!(
            node.get_attribute_pair("color:ye:llow"),
            Some(("color".into(), "ye:llow".into()))
        );
    }

    fn test_raw_parse(input: Vec<&'static str>) -> DomParserResult {
        use clap::CommandFactory;
        let config_args = vec![twelf::Layer::Clap(
            crate::PagefindInboundConfig::command().get_matches_from(vec![
                "pagefind",
                "--source",
                "not_important",
            ]),
        )];
        let config =
            SearchOptions::load(crate::PagefindInboundConfig::with_layers(&config_args).unwrap())
                .unwrap();
        let mut rewriter = DomParser::new(&config);
        for line in &input {
            let _ = rewriter.write(line.as_bytes());
        }
        let read = rewriter.wrap();
        // Every page read here that the simple scan reads too, it reads the same.
        if let Some(simple) = read_simple(&input.concat(), &config) {
            assert_eq!(format!("{simple:?}"), format!("{read:?}"));
        }
        read
    }

    fn default_options() -> SearchOptions {
        use clap::CommandFactory;
        let config_args = vec![twelf::Layer::Clap(
            crate::PagefindInboundConfig::command().get_matches_from(vec![
                "pagefind",
                "--source",
                "not_important",
            ]),
        )];
        SearchOptions::load(crate::PagefindInboundConfig::with_layers(&config_args).unwrap())
            .unwrap()
    }

    /// Reads `html` both ways; returns whether the simple scan read it (and then read it
    /// exactly as lol_html did).
    fn read_both_ways(html: &str) -> bool {
        let options = default_options();
        let mut rewriter = DomParser::new(&options);
        rewriter.write(html.as_bytes()).unwrap();
        let read = rewriter.wrap();
        match read_simple(html, &options) {
            Some(simple) => {
                assert_eq!(format!("{simple:?}"), format!("{read:?}"), "{html}");
                true
            }
            None => false,
        }
    }

    #[test]
    fn simple_scan_reads_as_lol_html_does() {
        let read_simply = [
            "<html><body><p>One</p></body></html>",
            "<html lang='EN-gb'><body><main data-pagefind-body><h1 id=top>Title &amp; more</h1><p>Text <a href=\"/x?a=1&amp;b=2\">link</a>.</p></main></body></html>\n",
            "<html><body><div data-pagefind-body data-pagefind-filter=\"organisation:Warwickshire &amp; Co, area[data-area]\" data-area=' West '><p>a < b and c <= d</p><br><img src=/a.png alt=\"An image\"><p>After</p></div></body></html>",
            "<html><body><!-- a comment with <p>tags</p> --><nav>Skip</nav><footer>Foot</footer><section><h2 id=\"a b\">Heading</h2><ul><li>One</li><li>Two</li></ul></section></body></html>",
            "<html><body><p data-pagefind-ignore>Hidden</p><p data-pagefind-ignore='all' data-pagefind-filter='x:y'>Gone</p><p data-pagefind-weight=3 data-pagefind-meta='m:v, n'>Weighted</p></body></html>",
            "<html><body><table><tr><td>1</td><td>two</td></tr></table><dl><dt>Term</dt><dd>Means</dd></dl><h1>Second title</h1><img src='b.png'></body></html>",
            "<html><body><div data-pagefind-body><p>One</p></div><div>Outside</div><div data-pagefind-body><p id=two data-pagefind-title='Two'>Two</p></div></body></html>",
            "<html><body><p data-pagefind-index-attrs='title, alt' title='A title' alt=x>Attrs</p><form><p>In a form</p></form><head><p>odd</p></head></body></html>",
            "<HTML><BODY><P ID=Up CLASS='a>b'>Upper</P  ></BODY></HTML>",
            "<html><body><Div DATA-PAGEFIND-BODY><H2 Id=Mixed>Mixed case</h2><p DATA-PAGEFIND-FILTER='kind:Case'>x</P></dIV></body></html>",
            "<html><body><p/>x<span/>y</span></p></body></html>",
        ];
        for html in read_simply {
            assert!(read_both_ways(html), "not read simply: {html}");
        }
        let left_to_lol_html = [
            "<!DOCTYPE html><html><body><p>x</p></body></html>",
            "text first<html><body><p>x</p></body></html>",
            "<html><body><p>x</p></body></html>trailing",
            "<html><body><p>x</body></html>",
            "<html><body><p>x</p></body>",
            "<html><body><script>var a = '<p>';</script></body></html>",
            "<html><body><svg><path/></svg></body></html>",
            "<html><body><textarea><p></textarea></body></html>",
            "<html><body><title>T</title></body></html>",
            "<html><body><link href=x></body></html>",
            "<html><body><!--> <p>x</p> --></body></html>",
            "<html><body><!-- x --!> <p>y</p> --></body></html>",
            "<html><body><!-- open</body></html>",
            "<html><body></ p><p>x</p></body></html>",
            "<html><body><?php x ?><p>x</p></body></html>",
            "<html><body><p a=\"x>y</p></body></html>",
            "<html><body><p a=b\"c>y</p></body></html>",
            "<html><body><p =a>y</p></body></html>",
            "<html><body><p>x</p></body></html>\r\n",
            "<html><body><html><p>x</p></html></body></html>",
            "<html><body><p>x</p></body></html><p>y</p>",
            "<html><body><p/>x<span/>y</p></span></body></html>",
        ];
        for html in left_to_lol_html {
            assert!(!read_both_ways(html), "read simply: {html}");
        }
    }

    fn test_parse(mut input: Vec<&'static str>) -> DomParserResult {
        input.insert(0, "<html><body>");
        input.push("</body></html>");
        test_raw_parse(input)
    }

    fn test_parse_with_exclusions(
        mut input: Vec<&'static str>,
        exclusions: &[&'static str],
    ) -> DomParserResult {
        use clap::CommandFactory;
        let mut args = vec!["pagefind", "--source", "not_important"];
        for exclusion in exclusions {
            args.push("--exclude-selectors");
            args.push(exclusion);
        }
        let config_args = vec![twelf::Layer::Clap(
            crate::PagefindInboundConfig::command().get_matches_from(args),
        )];
        let config =
            SearchOptions::load(crate::PagefindInboundConfig::with_layers(&config_args).unwrap())
                .unwrap();
        let mut rewriter = DomParser::new(&config);
        input.insert(0, "<html><body>");
        input.push("</body></html>");
        for line in input {
            let _ = rewriter.write(line.as_bytes());
        }
        rewriter.wrap()
    }

    #[test]
    fn unsupported_exclude_selector_does_not_halt_indexing() {
        let data = test_parse_with_exclusions(
            vec!["<p>Kept</p>", "<div class='ad'>Dropped</div>"],
            &[":not(.a b)", ".ad"],
        );

        assert_eq!(data.digest, "Kept.");
    }

    #[test]
    fn words_weights() {
        let data = test_parse(vec![
            "<p>Weight one</p>",
            "<p data-pagefind-weight='2'>Weight two</p>",
        ]);

        assert_eq!(
            data.digest,
            "Weight one. ___PAGEFIND_WEIGHT___2 Weight two. ___END_PAGEFIND_WEIGHT___"
        )
    }

    #[test]
    fn words_ids() {
        let data = test_parse(vec![
            "<p>Sentence one</p>",
            "<br id='break' />",
            "<p id='pid'>Sentence two</p>",
        ]);

        assert_eq!(
            data.digest,
            "Sentence one. ___PAGEFIND_ANCHOR___br:0:break ___PAGEFIND_ANCHOR___p:1:pid Sentence two."
        )
    }

    #[test]
    fn attributes_read_in_one_pass_as_by_look_up() {
        // Names in any case; of two attributes of one name, the first.
        let data = test_parse(vec![
            "<p DATA-PAGEFIND-WEIGHT='3' data-pagefind-weight='9' ID='first' id='second'>Loud</p>",
            "<div Data-Pagefind-Ignore>Hidden</div>",
            "<span data-pagefind-filter='kind' class='x' data-pagefind-filter='other'>Plan</span>",
        ]);

        assert_eq!(
            data.digest,
            "___PAGEFIND_ANCHOR___p:0:first ___PAGEFIND_WEIGHT___3 Loud. ___END_PAGEFIND_WEIGHT___ Plan"
        );
        assert_eq!(data.filters.get("kind"), Some(&vec!["Plan".to_owned()]));
        assert_eq!(data.filters.get("other"), None);
    }

    #[test]
    fn explicit_anchor_titles() {
        let data = test_parse(vec![
            "<section id='usage' data-pagefind-title='Installation &amp; Usage'>",
            "<h2>Installation and usage</h2>",
            "</section>",
        ]);

        assert_eq!(
            data.anchor_titles.get("0:usage"),
            Some(&"Installation & Usage".to_owned())
        );
    }

    #[test]
    fn block_tag_formatting() {
        let data = test_parse(vec![
            "<p>Sentences should have periods</p>",
            "<p>Unless one exists.</p>",
            "<div>Or it ends with punctuation:</div>",
            "<article>Except for 'quotes'</article>",
        ]);

        assert_eq!(
            data.digest,
            "Sentences should have periods. Unless one exists. Or it ends with punctuation: Except for 'quotes'."
        )
    }

    #[test]
    fn inline_tag_formatting() {
        let data = test_parse(vec![
            "<p>Inline tags like <span>span</span>",
            " and <b>bol",
            "d</b> shouldn't have periods</p>",
            "<p>And should n<i>o</i>t add any space.</p>",
        ]);

        assert_eq!(
            data.digest,
            "Inline tags like span and bold shouldn't have periods. And should not add any space."
        )
    }

    #[test]
    fn ignored_elements() {
        let data = test_parse(vec![
            "<p>Elements like:</p>",
            "<form>Should <b>not</b> be indexed</form>",
            "<p>forms</p>",
            "<div> As well as <div data-pagefind-ignore=''>",
            "Manually ignored <p>Elements</p></div>",
            "*crickets*</div>",
        ]);

        assert_eq!(data.digest, "Elements like: forms. As well as *crickets*.");
    }

    #[test]
    fn return_metadata() {
        let data = test_raw_parse(vec![
            "<html><head>",
            "<meta data-pagefind-meta='image[content]' content='/kitty.jpg' property='og:image'>",
            "</head><body>",
            "<div data-pagefind-meta='type:post'></div>",
            "<h1 data-pagefind-meta='headline'>Hello World</h1>",
            "<div>This post is <span data-pagefind-meta='adj'>hella</span> good.</div>",
            "<img data-pagefind-meta='hero[src]' src='/huzzah.png'>",
            "</body></html>",
        ]);

        assert_eq!(data.meta.get("image"), Some(&"/kitty.jpg".to_owned()));
        assert_eq!(data.meta.get("type"), Some(&"post".to_owned()));
        assert_eq!(data.meta.get("headline"), Some(&"Hello World".to_owned()));
        assert_eq!(data.meta.get("adj"), Some(&"hella".to_owned()));
        assert_eq!(data.meta.get("hero"), Some(&"/huzzah.png".to_owned()));
    }

    #[test]
    fn auto_image_metadata_decodes_entities() {
        let data = test_parse(vec![
            "<h1>Hello World</h1>",
            "<img src='/cat.png?width=400&amp;format=webp' alt='Cat &amp; dog'>",
        ]);

        assert_eq!(
            data.meta.get("image"),
            Some(&"/cat.png?width=400&format=webp".to_owned())
        );
        assert_eq!(data.meta.get("image_alt"), Some(&"Cat & dog".to_owned()));
    }

    #[test]
    fn return_complex_metadata() {
        let data = test_raw_parse(vec![
            "<html><body>",
            "<img data-pagefind-meta='cat[src], cat-alt[alt]' src='/cat.png' alt='cat pic'>",
            "<h1 class='why?' data-pagefind-meta='headline, classname[class]'>Hello World</h1>",
            "<div data-pagefind-meta='self[data-pagefind-meta], type:post'></div>",
            "<div data-pagefind-meta='incorrect:post, self[data-pagefind-meta]'></div>",
            "</body></html>",
        ]);

        assert_eq!(data.meta.get("cat"), Some(&"/cat.png".to_owned()));
        assert_eq!(data.meta.get("cat-alt"), Some(&"cat pic".to_owned()));
        assert_eq!(data.meta.get("headline"), Some(&"Hello World".to_owned()));
        assert_eq!(data.meta.get("classname"), Some(&"why?".to_owned()));
        assert_eq!(
            data.meta.get("self"),
            Some(&"self[data-pagefind-meta], type:post".to_owned())
        );
        assert_eq!(data.meta.get("type"), Some(&"post".to_owned()));
        assert_eq!(
            data.meta.get("incorrect"),
            Some(&"post, self[data-pagefind-meta]".to_owned())
        );
    }
}
