//! `JetGetInstanceInfo[A|W]` and `JetFreeBuffer`: the running instances with their attached
//! databases, in an array the engine allocates and the caller frees.
//!
//! What is listed: every initialized instance (handle, name, attached databases), in creation
//! order; an instance created but not initialized is not running and is not listed, and with
//! none running the count is 0 (inferred from the documentation: "information about the
//! running instances"). NULL output pointers answer -1003 (inferred: ESENT checks its output
//! pointers before allocating). In process the array is a token; the C library hands out real
//! memory (JET_INSTANCE_INFO) and frees it in JetFreeBuffer.

use crate::engine::Engine;
use jetconform_interface::ErrorCode;

/// One `JET_INSTANCE_INFO`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstanceInfo {
    pub handle: u64,
    pub name: Option<String>,
    pub databases: Vec<String>,
}

impl Engine {
    /// The running instances (see the module docs).
    pub fn instance_info(&self) -> Vec<InstanceInfo> {
        self.instances
            .iter()
            .filter(|i| i.running())
            .map(|i| InstanceInfo {
                handle: i.handle,
                name: i.name.clone(),
                databases: i
                    .dbs
                    .iter()
                    .map(|d| d.path.to_string_lossy().into_owned())
                    .collect(),
            })
            .collect()
    }

    /// `JetGetInstanceInfo` in process: the count and a token for the array (0 when empty).
    pub fn get_instance_info(
        &mut self,
        count_present: bool,
        array_present: bool,
        out: &mut Option<(u32, u64)>,
    ) -> ErrorCode {
        if !count_present || !array_present {
            return ErrorCode::JET_errInvalidParameter;
        }
        let n = self.instance_info().len() as u32;
        let token = if n == 0 {
            0
        } else {
            self.next_buffer += 1;
            let t = 0xB0F0_0000_0000 + self.next_buffer;
            self.buffers.insert(t);
            t
        };
        *out = Some((n, token));
        ErrorCode::JET_errSuccess
    }

    /// `JetFreeBuffer` in process: NULL does nothing (documented); a buffer the engine handed
    /// out is freed. Anything else is undefined in ESENT (it frees what it is given): `None`.
    pub fn free_buffer(&mut self, buf: u64) -> Option<ErrorCode> {
        if buf == 0 || self.buffers.remove(&buf) {
            Some(ErrorCode::JET_errSuccess)
        } else {
            None
        }
    }
}
