//! JSON Schemas (draft 7) of every content file type, generated from the raw types in
//! `content::raw` with their doc comments as descriptions, and the closed sets of values from
//! `model` (`Signal::ALL` and the like) added as `enum`s so editors get completion.

use schemars::generate::SchemaSettings;
use schemars::JsonSchema;
use serde_json::{json, Value};

use crate::content::raw::{RawArea, RawIntention, RawMarket, RawOrganisation, RawSite, RawTaxon};
use crate::model::{
    BudgetKind, CycleStage, Dimension, Direction, IntentionStatus, OrganisationKind, PlanStatus,
    Signal,
};

/// Every kind of content file with a schema, as `intentions schema KIND` names them.
pub const KINDS: [&str; 6] = [
    "site",
    "taxonomy",
    "area",
    "organisation",
    "intention",
    "market",
];

/// The schema of one kind of content file, or `None` for an unknown kind.
pub fn schema(kind: &str) -> Option<Value> {
    let (mut value, title, description) = match kind {
        "site" => (
            generate::<RawSite>(),
            "Site settings",
            "content/site.yaml: the site's title, address, language and navigation.",
        ),
        "taxonomy" => (
            generate::<Vec<RawTaxon>>(),
            "Taxonomy",
            "content/taxonomies/priorities.yaml or service-areas.yaml: a list of ids and names.",
        ),
        "area" => (
            generate::<RawArea>(),
            "Area front matter",
            "The front matter of content/areas/<area-id>.md: a health and wellbeing board footprint.",
        ),
        "organisation" => (
            generate::<RawOrganisation>(),
            "Organisation front matter",
            "The front matter of content/organisations/<org-id>.md: an organisation and its plan.",
        ),
        "intention" => (
            generate::<RawIntention>(),
            "Intention front matter",
            "The front matter of content/intentions/<org-id>/<slug>.md: one commissioning intention.",
        ),
        "market" => (
            generate::<RawMarket>(),
            "Market narrative front matter",
            "The front matter of content/market/<service-area-id>.md: demand, supply and spend.",
        ),
        _ => return None,
    };
    if let Some(object) = value.as_object_mut() {
        object.insert("title".into(), json!(title));
        object.insert("description".into(), json!(description));
    }
    Some(value)
}

/// The schema as the committed `schemas/<kind>.schema.json` holds it: pretty, ending in a
/// newline.
pub fn schema_text(kind: &str) -> Option<String> {
    schema(kind).map(|v| {
        let mut text = serde_json::to_string_pretty(&v).unwrap_or_default();
        text.push('\n');
        text
    })
}

fn generate<T: JsonSchema>() -> Value {
    let generator = SchemaSettings::draft07().into_generator();
    let root = generator.into_root_schema_for::<T>();
    let mut value = root.to_value();
    let root_name = value
        .get("title")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    add_enums(&root_name, &mut value);
    if let Some(Value::Object(defs)) = value.get_mut("definitions") {
        for (name, def) in defs.iter_mut() {
            add_enums(name, def);
        }
    }
    value
}

/// The ids an editor may write in each closed-set field of each raw type.
fn closed_sets(type_name: &str) -> Vec<(&'static str, Vec<&'static str>)> {
    fn ids<T: Copy>(all: &[T], id: fn(T) -> &'static str) -> Vec<&'static str> {
        all.iter().map(|&v| id(v)).collect()
    }
    match type_name {
        "RawIntention" => vec![
            ("signal", ids(Signal::ALL, Signal::id)),
            ("cycle_stage", ids(CycleStage::ALL, CycleStage::id)),
            ("status", ids(IntentionStatus::ALL, IntentionStatus::id)),
        ],
        "RawOrganisation" => vec![("kind", ids(OrganisationKind::ALL, OrganisationKind::id))],
        "RawPlan" => vec![("status", ids(PlanStatus::ALL, PlanStatus::id))],
        "RawTarget" => vec![("direction", ids(Direction::ALL, Direction::id))],
        "RawBudget" => vec![("kind", ids(BudgetKind::ALL, BudgetKind::id))],
        "RawCrossReference" => vec![
            ("rows", ids(Dimension::ALL, Dimension::id)),
            ("columns", ids(Dimension::ALL, Dimension::id)),
        ],
        _ => Vec::new(),
    }
}

fn add_enums(type_name: &str, schema: &mut Value) {
    let Some(Value::Object(properties)) = schema.get_mut("properties") else {
        return;
    };
    for (field, values) in closed_sets(type_name) {
        let Some(Value::Object(property)) = properties.get_mut(field) else {
            continue;
        };
        let nullable = match property.get("type") {
            Some(Value::Array(types)) => types.iter().any(|t| t == "null"),
            _ => false,
        };
        let mut list: Vec<Value> = values.into_iter().map(|v| json!(v)).collect();
        if nullable {
            list.push(Value::Null);
        }
        property.insert("enum".into(), Value::Array(list));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_schema_and_enums_come_from_the_model() {
        for kind in KINDS {
            assert!(schema(kind).is_some(), "{kind}");
        }
        assert!(schema("nonsense").is_none());
        let intention = schema("intention").unwrap();
        let signal = &intention["properties"]["signal"];
        assert_eq!(signal["enum"][0], "grow");
        assert!(signal["description"].as_str().unwrap().contains("service"));
        let plan = &schema("organisation").unwrap()["definitions"]["RawPlan"];
        assert_eq!(
            plan["properties"]["status"]["enum"],
            json!(["draft", "approved"])
        );
    }
}
