//! JSON Schemas of the content files: the committed `schemas/*.schema.json` are exactly what
//! the code generates, and every bundled content file validates against its schema (with a
//! focused validator of the draft-7 subset the generated schemas use; an unknown keyword
//! fails the test rather than being ignored).

use std::path::{Path, PathBuf};

use serde_json::Value;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn committed_schemas_are_what_the_code_generates() {
    for kind in intentions::schema::KINDS {
        let path = repo().join("schemas").join(format!("{kind}.schema.json"));
        let committed = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        let generated = intentions::schema::schema_text(kind).expect("a schema");
        assert!(
            committed == generated,
            "{} is out of date: run `cargo run --release -- schema {kind} > schemas/{kind}.schema.json`",
            path.display()
        );
    }
}

/// The YAML of a content file: all of a `.yaml`, the front matter of a `.md`.
fn front_matter(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("content file");
    if path.extension().is_some_and(|e| e == "yaml") {
        return text;
    }
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
        .unwrap_or_else(|| panic!("{} has no front matter", path.display()));
    let end = rest
        .find("\n---")
        .unwrap_or_else(|| panic!("{} has no end to its front matter", path.display()));
    rest[..end].to_string()
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "md" || e == "yaml") {
            out.push(path);
        }
    }
}

fn kind_of(relative: &str) -> &'static str {
    match relative.split('/').next().unwrap_or_default() {
        "site.yaml" => "site",
        "taxonomies" => "taxonomy",
        "areas" => "area",
        "organisations" => "organisation",
        "intentions" => "intention",
        "market" => "market",
        other => panic!("no schema for content/{other}"),
    }
}

#[test]
fn every_bundled_content_file_validates_against_its_schema() {
    let content = repo().join("content");
    let mut all = Vec::new();
    files(&content, &mut all);
    assert!(all.len() > 50, "found only {} content files", all.len());
    let mut problems = Vec::new();
    for path in &all {
        let relative = path
            .strip_prefix(&content)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let kind = kind_of(&relative);
        let schema = intentions::schema::schema(kind).unwrap();
        let yaml: serde_yaml::Value =
            serde_yaml::from_str(&front_matter(path)).unwrap_or_else(|e| panic!("{relative}: {e}"));
        let value = serde_json::to_value(yaml).expect("YAML as JSON");
        for p in validate(&schema, &schema, &value, "") {
            problems.push(format!("content/{relative}: {p}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_validator_catches_what_the_schema_forbids() {
    let schema = intentions::schema::schema("intention").unwrap();
    let bad = serde_json::json!({
        "title": "x", "organisation": "o", "signal": "grw", "colour": "red",
        "targets": [{"measure": "beds", "value": "many"}]
    });
    let problems = validate(&schema, &schema, &bad, "");
    let text = problems.join("\n");
    assert!(text.contains("/signal"), "{text}");
    assert!(text.contains("colour"), "{text}");
    assert!(text.contains("/targets/0/value"), "{text}");
}

const KEYWORDS: [&str; 15] = [
    "allOf",
    "$schema",
    "title",
    "description",
    "default",
    "format",
    "definitions",
    "type",
    "enum",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "$ref",
    "anyOf",
];

fn type_matches(name: &str, value: &Value) -> bool {
    match name {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "string" => value.is_string(),
        "number" => value.is_number(),
        "integer" => value.as_f64().is_some_and(|f| f.fract() == 0.0),
        "array" => value.is_array(),
        "object" => value.is_object(),
        other => panic!("unknown type {other}"),
    }
}

/// The problems of `value` at `at` against `schema`, within the document `root`.
fn validate(root: &Value, schema: &Value, value: &Value, at: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(object) = schema.as_object() else {
        panic!("schema at {at} is not an object");
    };
    for key in object.keys() {
        assert!(
            KEYWORDS.contains(&key.as_str()),
            "unsupported keyword {key}"
        );
    }
    if let Some(Value::String(reference)) = object.get("$ref") {
        let name = reference
            .strip_prefix("#/definitions/")
            .unwrap_or_else(|| panic!("unsupported $ref {reference}"));
        let target = &root["definitions"][name];
        assert!(!target.is_null(), "no definition {name}");
        problems.extend(validate(root, target, value, at));
    }
    if let Some(Value::Array(all)) = object.get("allOf") {
        for s in all {
            problems.extend(validate(root, s, value, at));
        }
    }
    if let Some(Value::Array(options)) = object.get("anyOf") {
        if !options
            .iter()
            .any(|o| validate(root, o, value, at).is_empty())
        {
            problems.push(format!("{at}: matches none of the allowed shapes"));
        }
    }
    match object.get("type") {
        Some(Value::String(t)) if !type_matches(t, value) => {
            problems.push(format!("{at}: {value} is not of type {t}"));
            return problems;
        }
        Some(Value::Array(ts)) if !ts.iter().any(|t| type_matches(t.as_str().unwrap(), value)) => {
            problems.push(format!("{at}: {value} is not of type {ts:?}"));
            return problems;
        }
        _ => {}
    }
    if let Some(Value::Array(allowed)) = object.get("enum") {
        if !allowed.contains(value) {
            problems.push(format!("{at}: {value} is not one of {allowed:?}"));
        }
    }
    if let Value::Object(fields) = value {
        let properties = object.get("properties").and_then(Value::as_object);
        if let Some(Value::Array(required)) = object.get("required") {
            for r in required {
                let r = r.as_str().unwrap();
                if !fields.contains_key(r) {
                    problems.push(format!("{at}: `{r}` is required"));
                }
            }
        }
        for (key, v) in fields {
            match properties.and_then(|p| p.get(key)) {
                Some(s) => problems.extend(validate(root, s, v, &format!("{at}/{key}"))),
                None if object.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    problems.push(format!("{at}: `{key}` is not allowed"));
                }
                None => {}
            }
        }
    }
    if let (Value::Array(items), Some(item_schema)) = (value, object.get("items")) {
        for (i, v) in items.iter().enumerate() {
            problems.extend(validate(root, item_schema, v, &format!("{at}/{i}")));
        }
    }
    problems
}
