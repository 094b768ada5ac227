//! The common entry layer (spec 4): legacy wrappers (4.2), handle validation (4.3),
//! `ErrFindPinst` + `INST::ErrAPIEnter` (4.4), in that order.

use crate::engine::Engine;
use crate::faults::ApiLock;
use crate::runmode::RunMode;
use jetconform_interface::functions::Form;
use jetconform_interface::{ErrorCode, INSTANCE_NIL};

/// How a call names its instance.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A legacy (non-Instance) wrapper: the single instance of OneInst mode.
    Legacy,
    /// An `…Instance` form with this handle.
    Instance(u64),
}

impl Target {
    /// The target of a call of `form`: an Instance form's `instance` argument (read by
    /// `instance`), the single instance for the others (spec 4.2).
    pub fn of<E>(form: Form, instance: impl FnOnce() -> Result<u64, E>) -> Result<Target, E> {
        Ok(match form {
            Form::Instance => Target::Instance(instance()?),
            _ => Target::Legacy,
        })
    }
}

pub(crate) type Entered = Result<usize, ErrorCode>;

/// What a call's steps return: `Err` when an entry check refused the call (through `?`),
/// `Ok` with the code its steps returned otherwise. The call returns the code either way
/// ([`answer`]).
pub(crate) type Answer = Result<ErrorCode, ErrorCode>;

/// The code a call returns, whether its steps ran or a check refused it.
pub(crate) fn answer(a: Answer) -> ErrorCode {
    a.unwrap_or_else(|refused| refused)
}

impl Engine {
    /// spec 4.2 `ErrRUNINSTCheckOneInstMode`: NoSet → -1003 (profile), MultiInst → -1081,
    /// OneInst → the handle of `g_rgpinst[0]`.
    pub(crate) fn legacy_check(&self) -> Result<u64, ErrorCode> {
        match self.mode {
            RunMode::NoSet => {
                self.knob(&self.profile.legacy_call_before_init);
                Err(self.profile.legacy_call_before_init.value)
            }
            RunMode::MultiInst => Err(ErrorCode::JET_errRunningInMultiInstanceMode),
            RunMode::OneInst => self
                .instances
                .first()
                .map(|i| i.handle)
                .ok_or(ErrorCode::JET_errInvalidParameter),
        }
    }

    /// spec 4.3: a handle that is neither 0 nor nil must be a live instance (VISTA+: -1115).
    pub(crate) fn validate_handle(&self, h: u64) -> Result<(), ErrorCode> {
        if h == 0 || h == INSTANCE_NIL {
            return Ok(());
        }
        if self.index_of(h).is_some() {
            return Ok(());
        }
        // Not a live instance: -1115 where the engine validates, else the lookup decides.
        self.knob(&self.profile.invalid_handle_error);
        match self.profile.invalid_handle_error.value {
            Some(err) => Err(err),
            None => {
                if self.profile.build.is_some() && self.was_issued(h) {
                    // spec 15.8: without validation a retail ese.dll may read the freed
                    // instance; the mock answers what the lookup of 4.4 would.
                    self.notes.borrow_mut().push(
                        "spec 15.8: a stale handle on an engine without instance validation \
                         may read freed memory; the mock answers the lookup's result"
                            .into(),
                    );
                }
                Ok(())
            }
        }
    }

    /// spec 4.4 `ErrFindPinst`: OneInst ignores the handle; MultiInst needs a live handle.
    pub(crate) fn find_pinst(&self, h: u64) -> Entered {
        match self.mode {
            RunMode::OneInst => {
                if self.instances.is_empty() {
                    Err(ErrorCode::JET_errInvalidParameter)
                } else {
                    Ok(0)
                }
            }
            // Handle 0 or nil gives -1003 like any handle not in the table: the mock never
            // issues either (engine.rs FIRST_HANDLE, HANDLE_STEP), so the lookup answers for
            // them (docs/corpus-strength.md: a separate test for them was dead logic).
            RunMode::MultiInst => self.index_of(h).ok_or(ErrorCode::JET_errInvalidParameter),
            RunMode::NoSet => Err(ErrorCode::JET_errInvalidParameter),
        }
    }

    /// spec 4.4 `INST::ErrAPIEnter(fTerminating=false)`, steps 1-4 in order.
    pub(crate) fn api_enter(&self, idx: usize) -> Result<(), ErrorCode> {
        let inst = &self.instances[idx];
        // step 1
        if inst.stop_service {
            return Err(ErrorCode::JET_errClientRequestToStopJetService);
        }
        // step 2
        if let Some(err) = inst.faults.unavailable {
            return Err(err);
        }
        // step 3
        match inst.faults.lock {
            Some(ApiLock::Term) => return Err(ErrorCode::JET_errTermInProgress),
            Some(ApiLock::Restore) => return Err(ErrorCode::JET_errRestoreInProgress),
            Some(ApiLock::Init) => return Err(ErrorCode::JET_errNotInitialized),
            None => {}
        }
        // step 4
        if !inst.running() {
            return Err(ErrorCode::JET_errNotInitialized);
        }
        Ok(())
    }

    /// Legacy check (if any), validation, find, enter: the "Entry" of spec 6.
    pub(crate) fn enter(&self, target: Target) -> Entered {
        let h = self.resolve_target(target)?;
        let idx = self.find_pinst(h)?;
        self.api_enter(idx)?;
        Ok(idx)
    }

    /// The entry of the streaming backup calls: [`Engine::enter`], then a backup must be in
    /// progress (`JET_errNoBackup`, spec 6 steps 1-2 of every call after Begin).
    pub(crate) fn backup_entry(&self, target: Target) -> Entered {
        let idx = self.enter(target)?;
        if !self.instances[idx].backup.in_progress {
            return Err(ErrorCode::JET_errNoBackup);
        }
        Ok(idx)
    }

    /// Legacy check and validation only (calls that skip `ErrAPIEnter`, spec 4.4 last list).
    pub(crate) fn find_only(&self, target: Target) -> Entered {
        let h = self.resolve_target(target)?;
        self.find_pinst(h)
    }

    fn resolve_target(&self, target: Target) -> Result<u64, ErrorCode> {
        match target {
            Target::Legacy => self.legacy_check(),
            Target::Instance(h) => {
                self.validate_handle(h)?;
                Ok(h)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jetconform_interface::WinVersion;
    use rstest::rstest;

    fn engine(v: WinVersion) -> (tempfile::TempDir, Engine) {
        let d = tempfile::tempdir().unwrap();
        let e = Engine::new(v, d.path());
        (d, e)
    }

    #[rstest]
    #[case(WinVersion::Win10, ErrorCode::JET_errInvalidParameter)]
    #[case(WinVersion::Xp, ErrorCode::JET_errNotInitialized)]
    fn legacy_in_noset(#[case] v: WinVersion, #[case] err: ErrorCode) {
        let (_d, e) = engine(v);
        assert_eq!(e.enter(Target::Legacy), Err(err));
    }

    #[test]
    fn legacy_in_multi_is_1081() {
        let (_d, mut e) = engine(WinVersion::Win10);
        let mut h = 0;
        assert_eq!(
            e.create_instance(Some(&mut h), Some("a"), None),
            ErrorCode::JET_errSuccess
        );
        assert_eq!(
            e.enter(Target::Legacy),
            Err(ErrorCode::JET_errRunningInMultiInstanceMode)
        );
        assert_eq!(
            e.enter(Target::Instance(h)),
            Err(ErrorCode::JET_errNotInitialized)
        );
        assert_eq!(
            e.enter(Target::Instance(0)),
            Err(ErrorCode::JET_errInvalidParameter)
        );
        assert_eq!(
            e.enter(Target::Instance(INSTANCE_NIL)),
            Err(ErrorCode::JET_errInvalidParameter)
        );
        assert_eq!(
            e.enter(Target::Instance(12345)),
            Err(ErrorCode::JET_errInvalidInstance)
        );
    }

    #[rstest]
    #[case(WinVersion::Server2003, ErrorCode::JET_errInvalidParameter)]
    #[case(WinVersion::Vista, ErrorCode::JET_errInvalidInstance)]
    #[case(WinVersion::Win11, ErrorCode::JET_errInvalidInstance)]
    fn stale_handle_by_version(#[case] v: WinVersion, #[case] err: ErrorCode) {
        let (_d, mut e) = engine(v);
        let mut h = 0;
        assert_eq!(
            e.create_instance(Some(&mut h), Some("a"), None),
            ErrorCode::JET_errSuccess
        );
        let mut h2 = 0;
        assert_eq!(
            e.create_instance(Some(&mut h2), Some("b"), None),
            ErrorCode::JET_errSuccess
        );
        assert_eq!(e.term(h, 0), ErrorCode::JET_errSuccess);
        assert_eq!(e.enter(Target::Instance(h)), Err(err));
    }
}
