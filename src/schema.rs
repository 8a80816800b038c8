//! The JSON Schema of the architecture file, for editors (Taplo, "Even Better
//! TOML"). It is generated from the rule pack, not from Rust types: which
//! kinds exist, what each is called, and which attributes each takes with
//! their types and ranges are data in `rules/`, and a pack of the user's own
//! extends them.
//!
//! Names are matched as pipelint matches them — any case, with spaces, `-` and
//! `_` alike, with or without "Amazon"/"AWS" — so the schema never flags a
//! file pipelint accepts. Regular expressions use no look-around, which some
//! editors' engines lack.

use serde_json::{Map, Value, json};

use crate::pack::{AttrType, AttributeDef, Pack, normalize};
use crate::rules::RULES;

const SEPARATOR: &str = "[-_\\s]+";

/// A regular-expression fragment for one character, in either case.
fn any_case(c: char, out: &mut String) {
    let lower: Vec<char> = c.to_lowercase().collect();
    let upper: Vec<char> = c.to_uppercase().collect();
    if lower.len() == 1 && upper.len() == 1 && lower[0] != upper[0] {
        out.push('[');
        out.push(lower[0]);
        out.push(upper[0]);
        out.push(']');
    } else if c.is_ascii_alphanumeric() || !c.is_ascii() {
        out.push(c);
    } else {
        out.push('\\');
        out.push(c);
    }
}

/// A fragment matching every spelling of `name` that normalises like it.
fn spelling(name: &str) -> String {
    let key = normalize(name);
    let mut out = String::new();
    for (i, word) in key.split('-').enumerate() {
        if i > 0 {
            out.push_str(SEPARATOR);
        }
        for c in word.chars() {
            any_case(c, &mut out);
        }
    }
    out
}

/// A whole-string pattern for any of `names`, optionally with a vendor prefix.
fn names_pattern<'a>(names: impl IntoIterator<Item = &'a str>, vendor: bool) -> String {
    let mut alts: Vec<String> = names.into_iter().map(spelling).collect();
    alts.sort();
    alts.dedup();
    let prefix = if vendor {
        format!(
            "(?:(?:{}|{}){SEPARATOR})?",
            spelling("amazon"),
            spelling("aws")
        )
    } else {
        String::new()
    };
    format!("^[-_\\s]*{prefix}(?:{})[-_\\s]*$", alts.join("|"))
}

/// Every name a kind answers to in the pack.
fn kind_names(pack: &Pack, kind: crate::pack::KindId) -> Vec<&str> {
    let def = pack.service(kind);
    let mut names = vec![def.id.as_str(), def.name.as_str()];
    names.extend(def.aliases.iter().map(String::as_str));
    for r in &def.renamed_from {
        names.push(&r.name);
        names.extend(r.aliases.iter().map(String::as_str));
    }
    names
}

fn attribute(def: &AttributeDef) -> Value {
    let mut s = Map::new();
    s.insert("description".into(), json!(def.doc));
    match def.ty {
        AttrType::Integer => {
            s.insert("type".into(), json!("integer"));
        }
        AttrType::Number => {
            s.insert("type".into(), json!("number"));
        }
        AttrType::Boolean => {
            s.insert("type".into(), json!("boolean"));
        }
        AttrType::String => {
            s.insert("type".into(), json!("string"));
            s.insert("pattern".into(), json!("\\S"));
        }
        AttrType::Enum => {
            s.insert("type".into(), json!("string"));
            s.insert(
                "anyOf".into(),
                json!([
                    {"enum": def.values},
                    {"pattern": names_pattern(
                        def.values.iter().chain(def.aliases.keys()).map(String::as_str),
                        false
                    )},
                ]),
            );
        }
        AttrType::Duration => {
            s.insert("$ref".into(), json!("#/definitions/duration"));
        }
        AttrType::Table => {
            let fields: Map<String, Value> = def
                .fields
                .iter()
                .map(|f| (f.name.clone(), attribute(f)))
                .collect();
            s.insert("type".into(), json!("object"));
            s.insert("properties".into(), Value::Object(fields));
            s.insert("additionalProperties".into(), json!(false));
        }
    }
    if matches!(def.ty, AttrType::Integer | AttrType::Number) {
        if let Some(min) = def.min {
            s.insert("minimum".into(), json!(min));
        }
        if let Some(max) = def.max {
            s.insert("maximum".into(), json!(max));
        }
    }
    Value::Object(s)
}

/// The schema of an architecture file for `pack`.
pub fn architecture_schema(pack: &Pack) -> Value {
    let common = ["kind", "description", "allow"];
    let mut attributes = Map::new();
    for a in pack.attributes() {
        attributes.insert(a.name.clone(), attribute(a));
    }
    let mut service_props = attributes.clone();
    // One pattern per kind, shared by `kind` and the per-kind attribute lists.
    let mut kinds = Map::new();
    let mut kind_refs = vec![json!({
        "enum": pack.services().iter().map(|s| s.id.as_str()).collect::<Vec<_>>()
    })];
    for k in pack.kinds() {
        let id = &pack.service(k).id;
        kinds.insert(
            id.clone(),
            json!({"pattern": names_pattern(kind_names(pack, k), true)}),
        );
        kind_refs.push(json!({"$ref": format!("#/definitions/kinds/{id}")}));
    }
    service_props.insert(
        "kind".into(),
        json!({
            "description": "a catalog id or alias, any case (`pipelint services` lists them)",
            "type": "string",
            "anyOf": kind_refs,
        }),
    );
    service_props.insert(
        "description".into(),
        json!({"type": "string", "description": "what the service is for"}),
    );
    service_props.insert("allow".into(), json!({"$ref": "#/definitions/allow"}));

    let per_kind: Vec<Value> = pack
        .kinds()
        .map(|k| {
            let def = pack.service(k);
            let mut keys: Vec<&str> = common.to_vec();
            keys.extend(def.attributes.iter().map(String::as_str));
            json!({
                "if": {
                    "properties": {"kind": {"$ref": format!("#/definitions/kinds/{}", def.id)}},
                    "required": ["kind"],
                },
                "then": {"propertyNames": {"enum": keys}},
            })
        })
        .collect();

    let mut rule_names: Vec<&str> = RULES.iter().map(|r| r.meta().name).collect();
    rule_names.extend(RULES.iter().map(|r| r.meta().code));
    let codes: Vec<String> = RULES
        .iter()
        .map(|r| {
            let mut s = String::new();
            for c in r.meta().code.chars() {
                any_case(c, &mut s);
            }
            s
        })
        .collect();
    let rule = json!({
        "description": "a rule name or code (`pipelint rules` lists them)",
        "type": "string",
        "anyOf": [
            {"enum": rule_names},
            {"pattern": format!("^(?:{})$", codes.join("|"))},
        ],
    });

    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "pipelint architecture file",
        "description": "A data pipeline for pipelint to check: [pipeline], [services.ID] and [[flow]] tables. Generated by `pipelint schema` from the rule pack.",
        "type": "object",
        "properties": {
            "pipeline": {
                "description": "the pipeline as a whole",
                "type": "object",
                "properties": {
                    "name": {"type": "string", "description": "defaults to the file name"},
                    "region": {"type": "string", "description": "pricing region, e.g. us-east-1"},
                    "max_latency": {
                        "$ref": "#/definitions/duration",
                        "description": "end-to-end latency budget",
                    },
                    "flows": {"$ref": "#/definitions/flows"},
                    "allow": {"$ref": "#/definitions/allow"},
                    "description": {"type": "string"},
                },
                "additionalProperties": false,
            },
            "flows": {"$ref": "#/definitions/flows"},
            "services": {
                "description": "one [services.ID] table per service",
                "type": "object",
                "propertyNames": {
                    "minLength": 1,
                    "not": {"pattern": "->|→|[\\n\\r\\t]|^\\s|\\s$"},
                },
                "additionalProperties": {"$ref": "#/definitions/service"},
            },
            "flow": {
                "description": "flows with attributes, one [[flow]] table each",
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["from", "to"],
                    "properties": {
                        "from": {"type": "string", "description": "a service id or catalog kind"},
                        "to": {"type": "string", "description": "a service id or catalog kind"},
                        "kind": {
                            "description": "what the flow is (default: what the integration matrix has between the two): data moves, an event triggers, one service starts (controls) the next, or table definitions and schemas (metadata)",
                            "enum": ["data", "trigger", "control", "metadata"],
                        },
                        "label": {"type": "string"},
                        "via": {"type": "string"},
                        "description": {"type": "string"},
                        "max_latency": {"$ref": "#/definitions/duration"},
                        "allow": {"$ref": "#/definitions/allow"},
                    },
                    "additionalProperties": false,
                },
            },
        },
        "additionalProperties": false,
        "definitions": {
            "duration": {
                "description": "a duration: \"200ms\", \"90s\", \"5m\", \"1h 30m\"",
                "type": "string",
                "pattern": "^\\s*(?:[0-9]+\\s*[A-Za-zµ]+\\s*)+$",
            },
            "flows": {
                "description": "chains of service ids or catalog kinds: \"a -> b -> c\" (→ works too); an arrow may name its flow's kind: \"a -[control]-> b\"",
                "type": "array",
                "items": {"type": "string", "pattern": "->|→"},
            },
            "rule": rule,
            "kinds": kinds,
            "allow": {
                "description": "rules silenced here, each a name or { rule, reason }",
                "type": "array",
                "items": {
                    "anyOf": [
                        {"$ref": "#/definitions/rule"},
                        {
                            "type": "object",
                            "required": ["rule"],
                            "properties": {
                                "rule": {"$ref": "#/definitions/rule"},
                                "reason": {"type": "string", "description": "why the finding is accepted"},
                            },
                            "additionalProperties": false,
                        },
                    ],
                },
            },
            "service": {
                "type": "object",
                "required": ["kind"],
                "properties": service_props,
                "additionalProperties": false,
                "allOf": per_kind,
            },
        },
    })
}

/// The schema as the text `pipelint schema` prints.
pub fn architecture_schema_text(pack: &Pack) -> String {
    let mut text = serde_json::to_string_pretty(&architecture_schema(pack)).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_follow_normalize() {
        assert_eq!(
            spelling("Kinesis Data"),
            "[kK][iI][nN][eE][sS][iI][sS][-_\\s]+[dD][aA][tT][aA]"
        );
        assert_eq!(spelling("a.b"), "[aA]\\.[bB]");
    }
}
