//! Whether a node's index may answer searches yet. A new node listens at once and builds its
//! index in the background: until the index has caught up with the change feed, searches would
//! miss practices (or find none), so the web layer answers 503 and `/readyz` says why.

use std::sync::atomic::{AtomicI64, AtomicU8, Ordering};

use serde::Serialize;

/// Where the index stands against the change feed. It only moves forward.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Readiness {
    /// Opened, not yet compared with the feed.
    CatchingUp,
    /// Rebuilt from the database (a new or outdated index).
    Rebuilding,
    /// Its applied position reached the feed's last position, read after the node started.
    Ready,
}

/// The index's [`Readiness`] and feed position, shared by the follower (which moves them) and
/// the web layer.
#[derive(Debug, Default)]
pub struct IndexStatus {
    state: AtomicU8,
    applied: AtomicI64,
}

impl IndexStatus {
    /// The feed position the follower has applied: the index's last commit or later, since
    /// entries that change no document are not committed.
    pub fn applied_seq(&self) -> i64 {
        self.applied.load(Ordering::Acquire)
    }

    pub(crate) fn set_applied(&self, seq: i64) {
        self.applied.store(seq, Ordering::Release);
    }

    pub fn readiness(&self) -> Readiness {
        match self.state.load(Ordering::Acquire) {
            0 => Readiness::CatchingUp,
            1 => Readiness::Rebuilding,
            _ => Readiness::Ready,
        }
    }

    pub fn is_ready(&self) -> bool {
        self.readiness() == Readiness::Ready
    }

    /// Moves forward only: a rebuild of a ready index (searches still see its last commit)
    /// leaves it ready.
    pub(crate) fn advance(&self, to: Readiness) {
        let value = match to {
            Readiness::CatchingUp => 0,
            Readiness::Rebuilding => 1,
            Readiness::Ready => 2,
        };
        self.state.fetch_max(value, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readiness_never_goes_back() {
        let status = IndexStatus::default();
        assert_eq!(status.readiness(), Readiness::CatchingUp);
        status.advance(Readiness::Rebuilding);
        assert_eq!(status.readiness(), Readiness::Rebuilding);
        status.advance(Readiness::Ready);
        status.advance(Readiness::Rebuilding);
        assert!(status.is_ready());
    }
}
