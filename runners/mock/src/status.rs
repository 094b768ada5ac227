//! Status callbacks (`JET_PFNSTATUS`, spec 1.2) of JetBackup and the restores. The callback
//! gets the engine back, so it can make a call from inside an invocation (the way the corpus
//! provokes -506 during a restore, spec 13).

use crate::engine::Engine;

pub const SNP_RESTORE: u32 = 8;
pub const SNP_BACKUP: u32 = 9;
pub const SNT_PROGRESS: u32 = 0;
pub const SNT_FAIL: u32 = 3;
pub const SNT_BEGIN: u32 = 5;
pub const SNT_COMPLETE: u32 = 6;

/// One invocation: `snp`, `snt` and the `JET_SNPROG` counters when one is passed.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct StatusEvent {
    pub snp: u32,
    pub snt: u32,
    pub done: Option<u32>,
    pub total: Option<u32>,
}

/// The caller's callback (`None`: NULL).
pub type StatusFn<'a> = Option<&'a mut dyn FnMut(&mut Engine, StatusEvent)>;

impl Engine {
    pub(crate) fn notify(
        &mut self,
        cb: &mut StatusFn,
        snp: u32,
        snt: u32,
        prog: Option<(u32, u32)>,
    ) {
        if let Some(f) = cb.as_mut() {
            let ev = StatusEvent {
                snp,
                snt,
                done: prog.map(|p| p.0),
                total: prog.map(|p| p.1),
            };
            f(self, ev);
        }
    }
}
