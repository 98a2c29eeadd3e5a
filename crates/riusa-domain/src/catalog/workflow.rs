//! The editorial workflow of a practice: drafts, review, publication, archive.
//!
//! A practice has a public side (`Status`: what visitors see) and, while somebody works on it,
//! a draft side (`DraftState`). A published practice stays public, unchanged, while a new draft
//! of it is written and reviewed; publishing the draft replaces it. Each save of a draft and
//! each publication is a numbered revision; `head_revision` is the newest, and every action
//! names the head it was decided on, so that of two people saving the same draft the second
//! is refused instead of silently overwriting the first.
//!
//! Each function decides one action and returns the [`PracticeChange`] the store must write,
//! or a typed refusal. Nothing here reads a clock or a database.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{PracticeRecord, SectionKey, Status};
use crate::accounts::Principal;
use crate::error::{DomainError, FieldError, Refusal, Violation};
use crate::text::{char_len, normalize};

pub const COMMENT_MAX: usize = 5_000;

/// Where the newest unpublished revision of a practice stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DraftState {
    /// Nothing in progress: the public text is the newest.
    #[default]
    None,
    Editing,
    InReview,
    ChangesRequested,
}

impl DraftState {
    pub const ALL: [DraftState; 4] = [
        DraftState::None,
        DraftState::Editing,
        DraftState::InReview,
        DraftState::ChangesRequested,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DraftState::None => "none",
            DraftState::Editing => "editing",
            DraftState::InReview => "in_review",
            DraftState::ChangesRequested => "changes_requested",
        }
    }

    pub fn parse(value: &str) -> Option<DraftState> {
        DraftState::ALL.into_iter().find(|s| s.as_str() == value)
    }
}

/// What somebody asks of the workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Create,
    SaveDraft,
    Submit,
    RequestChanges,
    Publish,
    Archive,
    Restore,
    Purge,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::SaveDraft => "save_draft",
            Action::Submit => "submit",
            Action::RequestChanges => "request_changes",
            Action::Publish => "publish",
            Action::Archive => "archive",
            Action::Restore => "restore",
            Action::Purge => "purge",
        }
    }
}

/// Who is told when an action happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The editorial staff: a draft waits for them.
    Editors,
    /// The people who wrote the practice's drafts.
    Authors,
}

impl Action {
    /// Who hears about it (never the person who did it).
    pub fn audience(self) -> Option<Audience> {
        match self {
            Action::Submit => Some(Audience::Editors),
            Action::RequestChanges | Action::Publish => Some(Audience::Authors),
            _ => None,
        }
    }

    /// The notification kind the web layer words.
    pub fn notification_kind(self) -> Option<&'static str> {
        match self {
            Action::Submit => Some("practice.submitted"),
            Action::RequestChanges => Some("practice.changes_requested"),
            Action::Publish => Some("practice.published"),
            _ => None,
        }
    }
}

/// The workflow side of a practice as the store holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkflowState {
    pub status: Status,
    pub draft: DraftState,
    pub head_revision: u32,
    pub published_revision: Option<u32>,
    /// Administrations named as owners in the newest text: their people may work on it.
    pub owners: Vec<Uuid>,
}

impl WorkflowState {
    pub fn was_published(&self) -> bool {
        self.published_revision.is_some()
    }
}

/// An editor's remark on one section (or on the whole practice when `section` is `None`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionComment {
    pub section: Option<SectionKey>,
    pub body: String,
}

/// Everything the store writes for one decided action, in one transaction.
#[derive(Debug, Clone, PartialEq)]
pub struct PracticeChange {
    pub practice_id: Uuid,
    pub action: Action,
    /// The head revision the decision was taken on; `None` for a new practice.
    pub expected_head: Option<u32>,
    pub status: Status,
    pub draft: DraftState,
    pub head_revision: u32,
    pub published_revision: Option<u32>,
    /// The text of a new draft revision (create and save).
    pub content: Option<PracticeRecord>,
    pub comments: Vec<SectionComment>,
    /// What visitors see changes: the index and shared caches must follow.
    pub public_change: bool,
}

fn refused(refusal: Refusal) -> DomainError {
    DomainError::Refused(refusal)
}

fn invalid_transition(state: &WorkflowState, action: Action) -> DomainError {
    refused(Refusal::InvalidTransition {
        action: action.as_str(),
        status: state.status.as_str(),
        draft: state.draft.as_str(),
    })
}

fn check_head(state: &WorkflowState, expected: u32) -> Result<(), DomainError> {
    if state.head_revision == expected {
        Ok(())
    } else {
        Err(refused(Refusal::Stale {
            expected,
            current: state.head_revision,
        }))
    }
}

fn change(state: &WorkflowState, id: Uuid, action: Action, expected: u32) -> PracticeChange {
    PracticeChange {
        practice_id: id,
        action,
        expected_head: Some(expected),
        status: state.status,
        draft: state.draft,
        head_revision: state.head_revision,
        published_revision: state.published_revision,
        content: None,
        comments: Vec::new(),
        public_change: false,
    }
}

/// A new practice: a first draft revision, visible to nobody outside its administrations.
pub fn create(
    id: Uuid,
    mut record: PracticeRecord,
    owners: &[Uuid],
    who: &Principal,
) -> Result<PracticeChange, DomainError> {
    if !who.may_write_for(owners) {
        return Err(refused(Refusal::Forbidden));
    }
    record.id = Some(id);
    record.status = Status::Draft;
    Ok(PracticeChange {
        practice_id: id,
        action: Action::Create,
        expected_head: None,
        status: Status::Draft,
        draft: DraftState::Editing,
        head_revision: 1,
        published_revision: None,
        content: Some(record),
        comments: Vec::new(),
        public_change: false,
    })
}

/// A new draft revision. Its authors keep working while changes are requested; during review
/// only editors touch the text, so that what is published is what was reviewed.
pub fn save_draft(
    state: &WorkflowState,
    id: Uuid,
    expected: u32,
    mut record: PracticeRecord,
    new_owners: &[Uuid],
    who: &Principal,
) -> Result<PracticeChange, DomainError> {
    // Writing for the practice's administrations, and not moving it to one the writer is not in.
    if !who.may_write_for(&state.owners) || !who.may_write_for(new_owners) {
        return Err(refused(Refusal::Forbidden));
    }
    let draft = match state.draft {
        _ if state.status == Status::Archived => {
            return Err(invalid_transition(state, Action::SaveDraft));
        }
        DraftState::InReview if !who.is_editor => {
            return Err(invalid_transition(state, Action::SaveDraft));
        }
        DraftState::None => DraftState::Editing,
        other => other,
    };
    check_head(state, expected)?;
    record.id = Some(id);
    record.status = Status::Draft;
    let mut next = change(state, id, Action::SaveDraft, expected);
    next.draft = draft;
    next.head_revision = state.head_revision + 1;
    next.content = Some(record);
    Ok(next)
}

/// Asks the editors to review the newest draft (a coordinator of the owner, or an editor).
pub fn submit(
    state: &WorkflowState,
    id: Uuid,
    expected: u32,
    who: &Principal,
) -> Result<PracticeChange, DomainError> {
    if !who.may_submit_for(&state.owners) {
        return Err(refused(Refusal::Forbidden));
    }
    if !matches!(
        state.draft,
        DraftState::Editing | DraftState::ChangesRequested
    ) || state.status == Status::Archived
    {
        return Err(invalid_transition(state, Action::Submit));
    }
    check_head(state, expected)?;
    let mut next = change(state, id, Action::Submit, expected);
    next.draft = DraftState::InReview;
    if !state.was_published() {
        next.status = Status::InReview;
    }
    Ok(next)
}

/// Sends the draft back to its authors with remarks per section (editors only).
pub fn request_changes(
    state: &WorkflowState,
    id: Uuid,
    expected: u32,
    comments: Vec<SectionComment>,
    who: &Principal,
) -> Result<PracticeChange, DomainError> {
    if !who.is_editor {
        return Err(refused(Refusal::Forbidden));
    }
    if state.draft != DraftState::InReview {
        return Err(invalid_transition(state, Action::RequestChanges));
    }
    check_head(state, expected)?;
    let comments = validated_comments(comments)?;
    let mut next = change(state, id, Action::RequestChanges, expected);
    next.draft = DraftState::ChangesRequested;
    if !state.was_published() {
        next.status = Status::Draft;
    }
    next.comments = comments;
    Ok(next)
}

fn validated_comments(comments: Vec<SectionComment>) -> Result<Vec<SectionComment>, DomainError> {
    let mut errors = Vec::new();
    let comments: Vec<SectionComment> = comments
        .into_iter()
        .map(|c| SectionComment {
            section: c.section,
            body: normalize(&c.body),
        })
        .filter(|c| !c.body.is_empty())
        .collect();
    if comments.is_empty() {
        errors.push(FieldError::new("comments", Violation::Required));
    }
    for (i, comment) in comments.iter().enumerate() {
        if char_len(&comment.body) > COMMENT_MAX {
            errors.push(FieldError::new(
                format!("comments[{i}].body"),
                Violation::TooLong { max: COMMENT_MAX },
            ));
        }
    }
    if errors.is_empty() {
        Ok(comments)
    } else {
        Err(DomainError::Invalid(errors))
    }
}

/// Publishes the reviewed draft as a new revision that replaces the public text (editors only).
pub fn publish(
    state: &WorkflowState,
    id: Uuid,
    expected: u32,
    who: &Principal,
) -> Result<PracticeChange, DomainError> {
    if !who.is_editor {
        return Err(refused(Refusal::Forbidden));
    }
    if state.draft != DraftState::InReview {
        return Err(invalid_transition(state, Action::Publish));
    }
    check_head(state, expected)?;
    let mut next = change(state, id, Action::Publish, expected);
    next.status = Status::Published;
    next.draft = DraftState::None;
    next.head_revision = state.head_revision + 1;
    next.published_revision = Some(next.head_revision);
    next.public_change = true;
    Ok(next)
}

/// Withdraws a practice from the public catalog; nothing is deleted.
pub fn archive(
    state: &WorkflowState,
    id: Uuid,
    expected: u32,
    who: &Principal,
) -> Result<PracticeChange, DomainError> {
    if !who.may_submit_for(&state.owners) {
        return Err(refused(Refusal::Forbidden));
    }
    if state.status == Status::Archived {
        return Err(invalid_transition(state, Action::Archive));
    }
    check_head(state, expected)?;
    let mut next = change(state, id, Action::Archive, expected);
    next.status = Status::Archived;
    next.public_change = state.status == Status::Published;
    Ok(next)
}

/// Brings an archived practice back: public again if it was ever published, a draft otherwise.
pub fn restore(
    state: &WorkflowState,
    id: Uuid,
    expected: u32,
    who: &Principal,
) -> Result<PracticeChange, DomainError> {
    if !who.may_submit_for(&state.owners) {
        return Err(refused(Refusal::Forbidden));
    }
    if state.status != Status::Archived {
        return Err(invalid_transition(state, Action::Restore));
    }
    check_head(state, expected)?;
    let mut next = change(state, id, Action::Restore, expected);
    if state.was_published() {
        next.status = Status::Published;
        next.public_change = true;
    } else {
        next.status = Status::Draft;
        if next.draft == DraftState::InReview {
            next.draft = DraftState::Editing;
        }
    }
    Ok(next)
}

/// Removes a practice that was never published (an operator's command; the web never deletes).
pub fn purge(state: &WorkflowState, id: Uuid) -> Result<PracticeChange, DomainError> {
    if state.was_published() || state.status == Status::Published {
        return Err(refused(Refusal::PublishedBefore));
    }
    let mut next = change(state, id, Action::Purge, state.head_revision);
    next.public_change = false;
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::{Membership, OrgRole};

    fn person(org: Uuid, role: Option<OrgRole>, editor: bool) -> Principal {
        Principal {
            account_id: Uuid::now_v7(),
            is_admin: false,
            is_editor: editor,
            memberships: role
                .map(|role| Membership {
                    organization_id: org,
                    ipa_code: "c_g148".into(),
                    organization_name: "Comune di Orvieto".into(),
                    role,
                })
                .into_iter()
                .collect(),
        }
    }

    fn record() -> PracticeRecord {
        serde_json::from_value(serde_json::json!({
            "slug": "sportello-unico",
            "title": "Sportello unico",
            "summary": "Un solo sportello.",
            "themes": ["formazione"],
            "owners": [{"ipa": "c_g148", "role": "owner"}]
        }))
        .unwrap()
    }

    fn refusal(result: Result<PracticeChange, DomainError>) -> Refusal {
        match result {
            Err(DomainError::Refused(r)) => r,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn a_draft_goes_through_review_to_publication() {
        let org = Uuid::now_v7();
        let id = Uuid::now_v7();
        let member = person(org, Some(OrgRole::Member), false);
        let coordinator = person(org, Some(OrgRole::Coordinator), false);
        let editor = person(org, None, true);

        let created = create(id, record(), &[org], &member).unwrap();
        let mut state = WorkflowState {
            status: created.status,
            draft: created.draft,
            head_revision: created.head_revision,
            published_revision: None,
            owners: vec![org],
        };
        assert_eq!(
            (state.status, state.draft),
            (Status::Draft, DraftState::Editing)
        );

        assert_eq!(refusal(submit(&state, id, 1, &member)), Refusal::Forbidden);
        let submitted = submit(&state, id, 1, &coordinator).unwrap();
        state.status = submitted.status;
        state.draft = submitted.draft;
        assert_eq!(state.status, Status::InReview);
        assert!(matches!(
            refusal(save_draft(&state, id, 1, record(), &[org], &member)),
            Refusal::InvalidTransition {
                action: "save_draft",
                ..
            }
        ));

        let comments = vec![SectionComment {
            section: Some(SectionKey::Motivation),
            body: "Indicare il numero di comuni coinvolti.".into(),
        }];
        assert_eq!(
            refusal(request_changes(
                &state,
                id,
                1,
                comments.clone(),
                &coordinator
            )),
            Refusal::Forbidden
        );
        let back = request_changes(&state, id, 1, comments, &editor).unwrap();
        assert_eq!(back.draft, DraftState::ChangesRequested);
        state.draft = back.draft;
        state.status = back.status;

        let saved = save_draft(&state, id, 1, record(), &[org], &member).unwrap();
        assert_eq!(saved.head_revision, 2);
        assert_eq!(
            saved.draft,
            DraftState::ChangesRequested,
            "comments stay visible"
        );
        state.head_revision = 2;
        state.draft = submit(&state, id, 2, &coordinator).unwrap().draft;

        let published = publish(&state, id, 2, &editor).unwrap();
        assert_eq!(published.status, Status::Published);
        assert_eq!(published.published_revision, Some(3));
        assert!(published.public_change);
    }

    #[test]
    fn the_second_of_two_saves_on_the_same_revision_is_refused() {
        let org = Uuid::now_v7();
        let id = Uuid::now_v7();
        let member = person(org, Some(OrgRole::Member), false);
        let state = WorkflowState {
            status: Status::Published,
            draft: DraftState::None,
            head_revision: 4,
            published_revision: Some(4),
            owners: vec![org],
        };
        let first = save_draft(&state, id, 4, record(), &[org], &member).unwrap();
        assert!(!first.public_change, "a draft leaves the public text alone");
        assert_eq!(first.status, Status::Published);
        let after = WorkflowState {
            head_revision: first.head_revision,
            draft: first.draft,
            ..state
        };
        assert_eq!(
            refusal(save_draft(&after, id, 4, record(), &[org], &member)),
            Refusal::Stale {
                expected: 4,
                current: 5
            }
        );
    }

    #[test]
    fn people_outside_the_owner_cannot_write_or_move_a_practice() {
        let org = Uuid::now_v7();
        let other = Uuid::now_v7();
        let outsider = person(other, Some(OrgRole::Coordinator), false);
        let member = person(org, Some(OrgRole::Member), false);
        let state = WorkflowState {
            status: Status::Draft,
            draft: DraftState::Editing,
            head_revision: 1,
            published_revision: None,
            owners: vec![org],
        };
        let id = Uuid::now_v7();
        assert_eq!(
            refusal(save_draft(&state, id, 1, record(), &[org], &outsider)),
            Refusal::Forbidden
        );
        assert_eq!(
            refusal(save_draft(&state, id, 1, record(), &[other], &member)),
            Refusal::Forbidden
        );
        assert_eq!(refusal(archive(&state, id, 1, &member)), Refusal::Forbidden);
    }

    #[test]
    fn archive_and_restore_and_purge() {
        let org = Uuid::now_v7();
        let id = Uuid::now_v7();
        let coordinator = person(org, Some(OrgRole::Coordinator), false);
        let published = WorkflowState {
            status: Status::Published,
            draft: DraftState::None,
            head_revision: 2,
            published_revision: Some(2),
            owners: vec![org],
        };
        let archived = archive(&published, id, 2, &coordinator).unwrap();
        assert!(archived.public_change);
        assert_eq!(archived.status, Status::Archived);
        let state = WorkflowState {
            status: Status::Archived,
            ..published.clone()
        };
        let restored = restore(&state, id, 2, &coordinator).unwrap();
        assert_eq!(restored.status, Status::Published);
        assert_eq!(refusal(purge(&published, id)), Refusal::PublishedBefore);
        let never = WorkflowState {
            status: Status::Draft,
            published_revision: None,
            ..published
        };
        assert_eq!(purge(&never, id).unwrap().action, Action::Purge);
    }

    #[test]
    fn changes_need_a_remark() {
        let org = Uuid::now_v7();
        let editor = person(org, None, true);
        let state = WorkflowState {
            status: Status::InReview,
            draft: DraftState::InReview,
            head_revision: 1,
            published_revision: None,
            owners: vec![org],
        };
        let blank = vec![SectionComment {
            section: None,
            body: "   ".into(),
        }];
        assert!(matches!(
            request_changes(&state, Uuid::now_v7(), 1, blank, &editor),
            Err(DomainError::Invalid(_))
        ));
    }
}
