//! People who sign in, the administrations they belong to, and what each role may do.
//!
//! Roles (issue 11): the platform admin manages accounts; an editor (redazione) reviews and
//! publishes for the whole catalog; in each administration a coordinator invites and removes
//! its members and submits for it, a member writes drafts for it. Everybody else is a visitor.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{DomainError, FieldError, Violation};
use crate::text::{char_len, normalize};

pub const PASSWORD_MIN: usize = 12;
/// Argon2 hashes any length, but a megabyte "password" is an attack on the CPU.
pub const PASSWORD_MAX: usize = 256;
pub const NAME_MAX: usize = 120;
pub const EMAIL_MAX: usize = 254;
pub const TOKEN_LABEL_MAX: usize = 80;
/// zxcvbn's scale is 0 (guessed at once) to 4; 3 is "safely unguessable" for an online attack.
const PASSWORD_SCORE_MIN: u8 = 3;

/// A person's role inside one administration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgRole {
    Coordinator,
    Member,
}

impl OrgRole {
    pub const ALL: [OrgRole; 2] = [OrgRole::Coordinator, OrgRole::Member];

    pub fn as_str(self) -> &'static str {
        match self {
            OrgRole::Coordinator => "coordinator",
            OrgRole::Member => "member",
        }
    }

    pub fn parse(value: &str) -> Option<OrgRole> {
        OrgRole::ALL.into_iter().find(|r| r.as_str() == value)
    }
}

/// Membership of an account in an administration of the registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Membership {
    pub organization_id: Uuid,
    pub ipa_code: String,
    pub organization_name: String,
    pub role: OrgRole,
}

/// Who is acting, with everything authorisation needs and nothing more.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub account_id: Uuid,
    pub is_admin: bool,
    pub is_editor: bool,
    pub memberships: Vec<Membership>,
}

impl Principal {
    pub fn role_in(&self, organization_id: Uuid) -> Option<OrgRole> {
        self.memberships
            .iter()
            .find(|m| m.organization_id == organization_id)
            .map(|m| m.role)
    }

    /// Writes drafts for a practice owned by any of `owners` (members and coordinators).
    pub fn may_write_for(&self, owners: &[Uuid]) -> bool {
        self.is_editor || owners.iter().any(|o| self.role_in(*o).is_some())
    }

    /// Submits for review, archives and restores for `owners` (coordinators only).
    pub fn may_submit_for(&self, owners: &[Uuid]) -> bool {
        self.is_editor
            || owners
                .iter()
                .any(|o| self.role_in(*o) == Some(OrgRole::Coordinator))
    }

    /// Invites and removes the members of this administration.
    pub fn may_manage_members(&self, organization_id: Uuid) -> bool {
        self.is_admin || self.role_in(organization_id) == Some(OrgRole::Coordinator)
    }

    /// Any role beyond a visitor's: the account has something to do in the back office.
    pub fn is_staff(&self) -> bool {
        self.is_admin || self.is_editor || !self.memberships.is_empty()
    }
}

/// An email address as stored: trimmed, NFC, lower-case (addresses are compared as people
/// type them; no provider riusa serves treats the local part as case-sensitive).
pub fn normalize_email(raw: &str) -> Result<String, DomainError> {
    let email = normalize(raw).to_lowercase();
    let invalid = |violation| {
        Err(DomainError::Invalid(vec![FieldError::new(
            "email", violation,
        )]))
    };
    if email.is_empty() {
        return invalid(Violation::Required);
    }
    if char_len(&email) > EMAIL_MAX {
        return invalid(Violation::TooLong { max: EMAIL_MAX });
    }
    let valid = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && domain.contains('.')
                && !domain.contains("..")
                && !email.chars().any(|c| c.is_whitespace() || c.is_control())
                && !domain.contains('@')
        }
        None => false,
    };
    if valid {
        Ok(email)
    } else {
        invalid(Violation::InvalidEmail)
    }
}

/// A display name: NFC, trimmed, 1 to [`NAME_MAX`] characters.
pub fn normalize_name(raw: &str) -> Result<String, DomainError> {
    let name = normalize(raw);
    let violation = if name.is_empty() {
        Some(Violation::Required)
    } else if char_len(&name) > NAME_MAX {
        Some(Violation::TooLong { max: NAME_MAX })
    } else {
        None
    };
    match violation {
        Some(v) => Err(DomainError::Invalid(vec![FieldError::new("name", v)])),
        None => Ok(name),
    }
}

/// At least [`PASSWORD_MIN`] characters, and not one an attacker guesses early: common
/// passwords (zxcvbn's lists of the most used ones), keyboard walks, repeats, and the
/// person's own email or name.
pub fn check_password(password: &str, personal: &[&str]) -> Result<(), DomainError> {
    let refuse = |v| Err(DomainError::Invalid(vec![FieldError::new("password", v)]));
    let length = char_len(password);
    if length < PASSWORD_MIN {
        return refuse(Violation::TooShort { min: PASSWORD_MIN });
    }
    if length > PASSWORD_MAX {
        return refuse(Violation::TooLong { max: PASSWORD_MAX });
    }
    let mut inputs: Vec<&str> = personal.to_vec();
    inputs.extend(["riusa", "pubblica", "amministrazione", "comune", "regione"]);
    let score = u8::from(zxcvbn::zxcvbn(password, &inputs).score());
    if score < PASSWORD_SCORE_MIN {
        return refuse(Violation::CommonPassword);
    }
    Ok(())
}

/// A label for a personal access token.
pub fn normalize_token_label(raw: &str) -> Result<String, DomainError> {
    let label = normalize(raw);
    let violation = if label.is_empty() {
        Some(Violation::Required)
    } else if char_len(&label) > TOKEN_LABEL_MAX {
        Some(Violation::TooLong {
            max: TOKEN_LABEL_MAX,
        })
    } else {
        None
    };
    match violation {
        Some(v) => Err(DomainError::Invalid(vec![FieldError::new("label", v)])),
        None => Ok(label),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn violation(result: Result<impl std::fmt::Debug, DomainError>) -> Violation {
        match result {
            Err(DomainError::Invalid(errors)) => errors[0].violation.clone(),
            other => panic!("expected a violation, got {other:?}"),
        }
    }

    #[test]
    fn emails_are_compared_as_typed_and_malformed_ones_refused() {
        assert_eq!(
            normalize_email("  Mario.Rossi@Comune.Orvieto.TR.it ").unwrap(),
            "mario.rossi@comune.orvieto.tr.it"
        );
        for bad in [
            "mario",
            "mario@",
            "@comune.it",
            "mario@comune",
            "a b@c.it",
            "m@.it",
        ] {
            assert_eq!(
                violation(normalize_email(bad)),
                Violation::InvalidEmail,
                "{bad}"
            );
        }
        assert_eq!(violation(normalize_email(" ")), Violation::Required);
    }

    #[test]
    fn short_and_common_passwords_are_refused() {
        assert_eq!(
            violation(check_password("corto", &[])),
            Violation::TooShort { min: 12 }
        );
        for common in [
            "password1234",
            "qwertyuiop12",
            "123456789012",
            "aaaaaaaaaaaa",
        ] {
            assert_eq!(
                violation(check_password(common, &[])),
                Violation::CommonPassword,
                "{common}"
            );
        }
        assert_eq!(
            violation(check_password(
                "mario.rossi@comune.it",
                &["mario.rossi@comune.it"]
            )),
            Violation::CommonPassword
        );
        check_password("lampione-girasole-trattore-42", &[]).unwrap();
    }

    #[test]
    fn roles_grant_what_the_issue_lists() {
        let orvieto = Uuid::now_v7();
        let umbria = Uuid::now_v7();
        let member = |role| Principal {
            account_id: Uuid::now_v7(),
            is_admin: false,
            is_editor: false,
            memberships: vec![Membership {
                organization_id: orvieto,
                ipa_code: "c_g148".into(),
                organization_name: "Comune di Orvieto".into(),
                role,
            }],
        };
        let writer = member(OrgRole::Member);
        assert!(writer.may_write_for(&[umbria, orvieto]));
        assert!(!writer.may_write_for(&[umbria]));
        assert!(!writer.may_submit_for(&[orvieto]));
        assert!(!writer.may_manage_members(orvieto));
        let coordinator = member(OrgRole::Coordinator);
        assert!(coordinator.may_submit_for(&[orvieto]));
        assert!(coordinator.may_manage_members(orvieto));
        assert!(!coordinator.may_manage_members(umbria));
        let editor = Principal {
            is_editor: true,
            memberships: Vec::new(),
            ..writer
        };
        assert!(editor.may_write_for(&[umbria]) && editor.may_submit_for(&[umbria]));
        assert!(!editor.may_manage_members(umbria));
    }
}
