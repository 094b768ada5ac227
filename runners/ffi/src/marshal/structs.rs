//! The array and struct arguments: `JET_RSTMAP_A/W[]` (spec 1.2, 8.1), `JET_SETSYSPARAM_A/W[]`
//! (spec 1.2, JetEnableMultiInstance) and `JET_RSTINFO_A/W` (spec 1.2, JetInit3).
//!
//! A count larger than the list (a deliberate lie the scenario format allows) makes ESENT
//! read past the array: the array is padded with zeroed entries up to the count so that the
//! read stays in memory this runner owns.

use super::strings::CString;
use crate::abi::{JetRstInfo, JetRstMap, JetSetSysParam};
use jetconform_interface::{RstMapEntry, SysParamEntry, Text};
use std::ffi::c_void;

/// Owned strings and the array pointing at them.
pub struct RstMapArray {
    _strings: Vec<CString>,
    pub entries: Vec<JetRstMap>,
}

fn opt_string(
    strings: &mut Vec<CString>,
    t: Option<&Text>,
    text: &dyn Fn(&Text) -> String,
    wide: bool,
) -> *const c_void {
    match t {
        None => std::ptr::null(),
        Some(t) => {
            let s = CString::new(&text(t), wide);
            let p = s.as_ptr();
            strings.push(s);
            p
        }
    }
}

impl RstMapArray {
    pub fn new(
        list: &[RstMapEntry],
        count: usize,
        text: &dyn Fn(&Text) -> String,
        wide: bool,
    ) -> RstMapArray {
        let mut strings = Vec::new();
        let mut entries: Vec<JetRstMap> = list
            .iter()
            .map(|e| JetRstMap {
                database_name: opt_string(&mut strings, e.database_name.as_ref(), text, wide),
                new_database_name: opt_string(
                    &mut strings,
                    e.new_database_name.as_ref(),
                    text,
                    wide,
                ),
            })
            .collect();
        while entries.len() < count.min(1 << 16) {
            entries.push(JetRstMap {
                database_name: std::ptr::null(),
                new_database_name: std::ptr::null(),
            });
        }
        RstMapArray {
            _strings: strings,
            entries,
        }
    }

    pub fn as_ptr(&self) -> *const JetRstMap {
        self.entries.as_ptr()
    }
}

pub struct SysParamArray {
    _strings: Vec<CString>,
    pub entries: Vec<JetSetSysParam>,
}

impl SysParamArray {
    pub fn new(
        list: &[SysParamEntry],
        count: usize,
        text: &dyn Fn(&Text) -> String,
        wide: bool,
    ) -> SysParamArray {
        let mut strings = Vec::new();
        let mut entries: Vec<JetSetSysParam> = list
            .iter()
            .map(|e| JetSetSysParam {
                paramid: e.paramid,
                lparam: e.lparam as usize,
                sz: opt_string(&mut strings, e.sz.as_ref(), text, wide),
                err: 0,
            })
            .collect();
        while entries.len() < count.min(1 << 16) {
            entries.push(JetSetSysParam {
                paramid: 0,
                lparam: 0,
                sz: std::ptr::null(),
                err: 0,
            });
        }
        SysParamArray {
            _strings: strings,
            entries,
        }
    }

    pub fn as_mut_ptr(&mut self) -> *mut JetSetSysParam {
        self.entries.as_mut_ptr()
    }
}

pub struct RstInfoBox {
    _map: RstMapArray,
    pub info: Box<JetRstInfo>,
}

impl RstInfoBox {
    pub fn new(
        cb_struct: u32,
        map: &[RstMapEntry],
        callback: bool,
        text: &dyn Fn(&Text) -> String,
        wide: bool,
    ) -> RstInfoBox {
        let map = RstMapArray::new(map, map.len(), text, wide);
        let info = Box::new(JetRstInfo {
            cb_struct,
            rgrstmap: if map.entries.is_empty() {
                std::ptr::null()
            } else {
                map.as_ptr()
            },
            crstmap: map.entries.len() as i32,
            lgpos_stop: Default::default(),
            logtime_stop: [0; 8],
            pfn_status: if callback {
                Some(crate::callbacks::trampoline)
            } else {
                None
            },
        });
        RstInfoBox { _map: map, info }
    }
}
