//! The YAML document with positions (saphyr's `MarkedYaml`, YAML 1.2 core schema), and the
//! few questions the validator asks of a node.

use std::borrow::Cow;
use std::collections::HashSet;

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};
use saphyr_parser::{Event, Parser};

pub type Node<'a> = MarkedYaml<'a>;

/// A line and a column, both 1-based; `(0, 0)` is "nowhere in the file".
pub type Pos = (usize, usize);

pub const NOWHERE: Pos = (0, 0);

/// A syntax error: where the scanner stopped and why.
pub struct SyntaxError {
    pub line: usize,
    pub info: String,
}

/// The documents of the stream; an empty stream has none.
pub fn load(text: &str) -> Result<Vec<Node<'_>>, SyntaxError> {
    check_events(text)?;
    let docs = Node::load_from_str(text).map_err(|e| SyntaxError {
        line: e.marker().line(),
        info: e.info().to_owned(),
    })?;
    Ok(docs
        .into_iter()
        .filter(|doc| !matches!(doc.data, YamlData::BadValue))
        .collect())
}

/// More aliases than a publiccode.yml could want: the loader copies the anchored node for
/// each one, so a few lines of aliases of aliases would fill the memory.
const MAX_ALIASES: usize = 100;

/// A mapping being read: the keys seen, and whether the next node is a key.
struct MappingKeys<'t> {
    keys: HashSet<Cow<'t, str>>,
    expecting_key: bool,
}

/// What the loader would hide, found on the parser's events: a key written twice in one
/// mapping (the loader keeps the last; the reference refuses the file) and too many aliases.
fn check_events(text: &str) -> Result<(), SyntaxError> {
    // One entry a collection being read; `None` for a sequence.
    let mut stack: Vec<Option<MappingKeys<'_>>> = Vec::new();
    let mut aliases = 0;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| SyntaxError {
            line: e.marker().line(),
            info: e.info().to_owned(),
        })?;
        let key = match event {
            Event::MappingStart(..) => {
                stack.push(Some(MappingKeys {
                    keys: HashSet::new(),
                    expecting_key: true,
                }));
                continue;
            }
            Event::SequenceStart(..) => {
                stack.push(None);
                continue;
            }
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
                None
            }
            Event::Alias(_) => {
                aliases += 1;
                if aliases > MAX_ALIASES {
                    return Err(SyntaxError {
                        line: span.start.line(),
                        info: format!("più di {MAX_ALIASES} alias"),
                    });
                }
                None
            }
            Event::Scalar(value, ..) => Some(value),
            _ => continue,
        };
        // A node is complete: in a mapping it was a key or a value.
        if let Some(Some(mapping)) = stack.last_mut() {
            if mapping.expecting_key
                && let Some(key) = key
            {
                let line = span.start.line();
                if !mapping.keys.insert(key.clone()) {
                    return Err(SyntaxError {
                        line,
                        info: format!("la chiave \"{key}\" è già definita in questa mappa"),
                    });
                }
            }
            mapping.expecting_key = !mapping.expecting_key;
        }
    }
    Ok(())
}

pub fn pos(node: &Node<'_>) -> Pos {
    // saphyr counts columns from 0, the reference (and editors) from 1.
    (node.span.start.line(), node.span.start.col() + 1)
}

/// The node a tag wraps; riusa ignores tags, as the reference does.
pub fn untagged<'n, 'a>(node: &'n Node<'a>) -> &'n Node<'a> {
    match &node.data {
        YamlData::Tagged(_, inner) => untagged(inner),
        _ => node,
    }
}

pub fn is_null(node: &Node<'_>) -> bool {
    matches!(untagged(node).data, YamlData::Value(Scalar::Null))
}

/// The text of a scalar that can stand for a string: a string, or a number written plainly
/// (`softwareVersion: 1.0`), taken as written. Booleans, nulls and collections are not text.
pub fn text<'n>(node: &'n Node<'_>, source: &str) -> Option<Cow<'n, str>> {
    match &untagged(node).data {
        YamlData::Value(Scalar::String(s)) => Some(Cow::Borrowed(s.as_ref())),
        YamlData::Value(Scalar::Integer(_) | Scalar::FloatingPoint(_)) => {
            Some(Cow::Owned(written(node, source)))
        }
        _ => None,
    }
}

/// A string scalar only (`publiccodeYmlVersion: 0.2` is a number, so the wrong type).
pub fn string<'n>(node: &'n Node<'_>) -> Option<&'n str> {
    match &untagged(node).data {
        YamlData::Value(Scalar::String(s)) => Some(s.as_ref()),
        _ => None,
    }
}

pub fn boolean(node: &Node<'_>) -> Option<bool> {
    match untagged(node).data {
        YamlData::Value(Scalar::Boolean(b)) => Some(b),
        _ => None,
    }
}

pub fn sequence<'n, 'a>(node: &'n Node<'a>) -> Option<&'n [Node<'a>]> {
    match &untagged(node).data {
        YamlData::Sequence(items) => Some(items),
        _ => None,
    }
}

/// A mapping's entries in the file's order, keys as text.
pub fn mapping<'n, 'a>(node: &'n Node<'a>, source: &str) -> Option<Vec<Entry<'n, 'a>>> {
    match &untagged(node).data {
        YamlData::Mapping(map) => Some(
            map.iter()
                .map(|(key, value)| Entry {
                    name: text(key, source)
                        .map(Cow::into_owned)
                        .unwrap_or_else(|| written(key, source)),
                    key,
                    value,
                })
                .collect(),
        ),
        _ => None,
    }
}

/// One `key: value` of a mapping.
pub struct Entry<'n, 'a> {
    pub name: String,
    pub key: &'n Node<'a>,
    pub value: &'n Node<'a>,
}

/// The node's text as written in the source (the span counts characters).
fn written(node: &Node<'_>, source: &str) -> String {
    let start = node.span.start.index();
    let end = node.span.end.index().max(start);
    source.chars().skip(start).take(end - start).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_point_at_keys() {
        let source = "a: 1\nb:\n  c: \"x\"\n  d:\n    - 2.0\n";
        let docs = load(source).unwrap_or_default();
        let root = &docs[0];
        let entries = mapping(root, source).unwrap_or_default();
        assert_eq!(pos(root), (1, 1));
        assert_eq!(entries[1].name, "b");
        assert_eq!(pos(entries[1].key), (2, 1));
        let inner = mapping(entries[1].value, source).unwrap_or_default();
        assert_eq!(
            pos(entries[1].value),
            (3, 3),
            "a block mapping starts at its first key"
        );
        assert_eq!(pos(inner[0].value), (3, 6));
        let items = sequence(inner[1].value).unwrap_or_default();
        assert_eq!(pos(&items[0]), (5, 7));
        assert_eq!(text(&items[0], source).as_deref(), Some("2.0"));
        assert!(string(&items[0]).is_none());
    }

    #[test]
    fn a_key_written_twice_is_a_syntax_error_on_its_second_line() {
        let error = load("a: 1\nb:\n  c: 1\n  d: [1, {c: 2, c: 3}]\n  c: 2\n").err();
        let error = error.map(|e| (e.line, e.info));
        assert_eq!(
            error,
            Some((
                4,
                "la chiave \"c\" è già definita in questa mappa".to_owned()
            ))
        );
        assert!(load("a: {b: 1}\nb: [b, b]\nc:\n  b: 1\n").is_ok());
    }

    #[test]
    fn aliases_of_aliases_are_refused_before_they_are_copied() {
        let mut bomb = "a: &a [x, x]\n".to_owned();
        for i in 0..20 {
            let previous = if i == 0 {
                "a".to_owned()
            } else {
                format!("l{}", i - 1)
            };
            bomb.push_str(&format!("l{i}: &l{i} [*{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}]\n"));
        }
        let error = load(&bomb).err().map(|e| e.info);
        assert_eq!(error.as_deref(), Some("più di 100 alias"));
    }

    #[test]
    fn a_flow_mapping_starts_at_its_brace() {
        let source = "legal: {}\n";
        let docs = load(source).unwrap_or_default();
        let entries = mapping(&docs[0], source).unwrap_or_default();
        assert_eq!(pos(entries[0].value), (1, 8));
    }
}
