//! Two revisions of a practice compared field by field and section by section, word by word
//! (the `similar` crate). The pieces are plain text: templates escape them as any text.

use riusa_domain::catalog::{PracticeRecord, SectionKey};
use similar::{ChangeTag, TextDiff};

use crate::messages;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Same,
    Removed,
    Added,
}

pub struct Piece {
    pub change: Change,
    pub text: String,
}

impl Piece {
    pub fn is_removed(&self) -> bool {
        self.change == Change::Removed
    }

    pub fn is_added(&self) -> bool {
        self.change == Change::Added
    }
}

pub struct FieldDiff {
    pub label: String,
    pub pieces: Vec<Piece>,
    pub changed: bool,
}

/// `old` to `new` word by word; runs of one kind are merged.
pub fn words(old: &str, new: &str) -> Vec<Piece> {
    let diff = TextDiff::from_words(old, new);
    let mut pieces: Vec<Piece> = Vec::new();
    for change in diff.iter_all_changes() {
        let kind = match change.tag() {
            ChangeTag::Equal => Change::Same,
            ChangeTag::Delete => Change::Removed,
            ChangeTag::Insert => Change::Added,
        };
        match pieces.last_mut() {
            Some(last) if last.change == kind => last.text.push_str(change.value()),
            _ => pieces.push(Piece {
                change: kind,
                text: change.value().to_owned(),
            }),
        }
    }
    pieces
}

fn field(label: &str, old: String, new: String) -> FieldDiff {
    FieldDiff {
        label: label.to_owned(),
        changed: old != new,
        pieces: words(&old, &new),
    }
}

fn lines<T>(items: &[T], line: impl Fn(&T) -> String) -> String {
    items.iter().map(line).collect::<Vec<_>>().join("\n")
}

/// Every field of the practice sheet, `old` against `new`, in the sheet's order.
pub fn compare(old: &PracticeRecord, new: &PracticeRecord) -> Vec<FieldDiff> {
    let owners = |r: &PracticeRecord| {
        lines(&r.owners, |o| {
            format!(
                "{} ({})",
                o.ipa,
                if o.role.as_str() == "owner" {
                    "titolare"
                } else {
                    "partner"
                }
            )
        })
    };
    let period = |r: &PracticeRecord| {
        r.period
            .as_ref()
            .map(|p| messages::period(p.start, p.end))
            .unwrap_or_default()
    };
    let funding = |r: &PracticeRecord| {
        lines(&r.funding, |f| {
            let mut line = f.programme.clone();
            if let Some(axis) = &f.axis {
                line.push_str(&format!(", {axis}"));
            }
            if let Some(cents) = f.amount_cents {
                line.push_str(&format!(" — {}", messages::euros(cents)));
            }
            line
        })
    };
    let metrics = |r: &PracticeRecord| {
        lines(&r.metrics, |m| {
            format!(
                "{}: {} {}",
                m.label,
                messages::number(m.value),
                m.unit.clone().unwrap_or_default()
            )
        })
    };
    let links = |r: &PracticeRecord| lines(&r.links, |l| format!("{} — {}", l.title, l.url));
    let support = |r: &PracticeRecord| {
        lines(&r.support_offered, |s| {
            messages::support_label(*s).to_owned()
        })
    };
    let mut fields = vec![
        field("Titolo", old.title.clone(), new.title.clone()),
        field("Indirizzo (slug)", old.slug.clone(), new.slug.clone()),
        field("Sintesi", old.summary.clone(), new.summary.clone()),
        field("Temi", old.themes.join(", "), new.themes.join(", ")),
        field("Enti", owners(old), owners(new)),
        field("Periodo", period(old), period(new)),
        field("Finanziamenti", funding(old), funding(new)),
    ];
    for key in SectionKey::ALL {
        fields.push(field(
            messages::section_heading(key),
            old.sections.get(key).unwrap_or_default().to_owned(),
            new.sections.get(key).unwrap_or_default().to_owned(),
        ));
    }
    fields.extend([
        field("Supporto offerto", support(old), support(new)),
        field("Numeri chiave", metrics(old), metrics(new)),
        field("Comuni", old.places.join(", "), new.places.join(", ")),
        field("Collegamenti", links(old), links(new)),
        field("Licenza", old.license.clone(), new.license.clone()),
    ]);
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_words_are_marked_and_the_rest_kept() {
        let pieces = words(
            "Tre percorsi di formazione",
            "Quattro percorsi di formazione",
        );
        let removed: Vec<&str> = pieces
            .iter()
            .filter(|p| p.is_removed())
            .map(|p| p.text.as_str())
            .collect();
        let added: Vec<&str> = pieces
            .iter()
            .filter(|p| p.is_added())
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(removed, ["Tre"]);
        assert_eq!(added, ["Quattro"]);
        assert!(
            pieces
                .iter()
                .any(|p| p.change == Change::Same && p.text.contains("percorsi di formazione"))
        );
    }
}
