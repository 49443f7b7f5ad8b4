//! The keys each kind of content file may use, read from the raw serde types themselves so
//! the list cannot drift from what deserialisation accepts. Used to report every unknown key
//! in a file at once, each with the nearest known key.

use serde::de::{self, Deserialize, Deserializer, Visitor};

use super::raw::*;
use super::spans::Segment;

/// The kind of file being checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `site.yaml`.
    Site,
    /// A taxonomy file: a list of `{id, name, description}`.
    Taxonomy,
    /// An area's front matter.
    Area,
    /// An organisation's front matter.
    Organisation,
    /// An intention's front matter.
    Intention,
    /// A market narrative's front matter.
    Market,
}

/// The known keys of the mapping at `parent` in a file of `kind`, or `None` when that
/// position is not a mapping with fixed keys.
pub fn known_keys(kind: FileKind, parent: &[Segment]) -> Option<&'static [&'static str]> {
    use Segment::{Index as I, Key as K};
    let shape: Vec<Option<&str>> = parent
        .iter()
        .map(|s| match s {
            K(k) => Some(k.as_str()),
            I(_) => None,
        })
        .collect();
    Some(match (kind, shape.as_slice()) {
        (FileKind::Site, []) => fields_of::<RawSite>(),
        (FileKind::Site, [Some("navigation"), None]) => fields_of::<RawNavLink>(),
        (FileKind::Site, [Some("cross_references"), None]) => fields_of::<RawCrossReference>(),
        (FileKind::Site, [Some("brand")]) => fields_of::<RawBrand>(),
        (FileKind::Taxonomy, [None]) => fields_of::<RawTaxon>(),
        (FileKind::Area, []) => fields_of::<RawArea>(),
        (FileKind::Area, [Some("facts"), None]) => fields_of::<RawFact>(),
        (FileKind::Organisation, []) => fields_of::<RawOrganisation>(),
        (FileKind::Organisation, [Some("contact")]) => fields_of::<RawContact>(),
        (FileKind::Organisation, [Some("plan")]) => fields_of::<RawPlan>(),
        (FileKind::Organisation, [Some("themes"), None]) => fields_of::<RawTheme>(),
        (FileKind::Organisation, [Some("accepted_warnings"), None]) => {
            fields_of::<RawAcceptedWarning>()
        }
        (FileKind::Intention, []) => fields_of::<RawIntention>(),
        (FileKind::Intention, [Some("targets"), None]) => fields_of::<RawTarget>(),
        (FileKind::Intention, [Some("budget")]) => fields_of::<RawBudget>(),
        (FileKind::Intention, [Some("milestones"), None]) => fields_of::<RawMilestone>(),
        (FileKind::Intention, [Some("procurement")]) => fields_of::<RawProcurement>(),
        (FileKind::Intention, [Some("accepted_warnings"), None]) => {
            fields_of::<RawAcceptedWarning>()
        }
        (FileKind::Market, []) => fields_of::<RawMarket>(),
        (FileKind::Market, [Some("spend"), None]) => fields_of::<RawSpend>(),
        _ => return None,
    })
}

/// The field names serde expects for a struct, captured by asking it to deserialise from a
/// deserializer that only records what it is asked for.
pub fn fields_of<T: for<'de> Deserialize<'de>>() -> &'static [&'static str] {
    let mut fields: &'static [&'static str] = &[];
    // The capture always ends in an error by design; the fields are what we wanted.
    let _ = T::deserialize(FieldCapture {
        fields: &mut fields,
    });
    fields
}

struct FieldCapture<'a> {
    fields: &'a mut &'static [&'static str],
}

impl<'de> Deserializer<'de> for FieldCapture<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("field capture"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        *self.fields = fields;
        Err(de::Error::custom("field capture"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captures_the_fields_serde_accepts() {
        assert_eq!(fields_of::<RawMilestone>(), &["date", "label"]);
        assert!(fields_of::<RawIntention>().contains(&"service_areas"));
    }
}
