//! Memory the library hands to its caller: the `JET_INSTANCE_INFO` arrays of
//! JetGetInstanceInfo[A|W], freed by JetFreeBuffer. Every allocation is owned here, keyed by
//! the address the caller received, so JetFreeBuffer frees exactly what was handed out.

use jetconform_mock::instance_info::InstanceInfo;
use std::collections::BTreeMap;
use std::sync::Mutex;

/// `JET_INSTANCE_INFO_A/W` (esent.h), pointers as addresses.
#[repr(C)]
struct JetInstanceInfo {
    h_instance_id: usize,
    sz_instance_name: usize,
    c_databases: usize,
    sz_database_file_name: usize,
    sz_database_display_name: usize,
    sz_database_slv_file_name_obsolete: usize,
}

/// One allocation: the array, the string-pointer arrays and the strings they point into.
#[derive(Default)]
struct Allocation {
    array: Vec<JetInstanceInfo>,
    pointer_arrays: Vec<Vec<usize>>,
    narrow: Vec<Vec<u8>>,
    wide: Vec<Vec<u16>>,
}

static BUFFERS: Mutex<BTreeMap<usize, Allocation>> = Mutex::new(BTreeMap::new());

impl Allocation {
    fn string(&mut self, s: &str, wide: bool) -> usize {
        if wide {
            let v: Vec<u16> = s.encode_utf16().chain(std::iter::once(0)).collect();
            self.wide.push(v);
            self.wide.last().map(|v| v.as_ptr() as usize).unwrap_or(0)
        } else {
            let v: Vec<u8> = s.bytes().chain(std::iter::once(0)).collect();
            self.narrow.push(v);
            self.narrow.last().map(|v| v.as_ptr() as usize).unwrap_or(0)
        }
    }
}

/// Builds the array for `list` and returns its address (0 for an empty list).
pub fn instance_info(list: &[InstanceInfo], wide: bool) -> usize {
    if list.is_empty() {
        return 0;
    }
    let mut a = Allocation::default();
    let mut rows = Vec::with_capacity(list.len());
    for i in list {
        let name = i.name.as_deref().map(|n| a.string(n, wide)).unwrap_or(0);
        let files: Vec<usize> = i.databases.iter().map(|d| a.string(d, wide)).collect();
        let display: Vec<usize> = i.databases.iter().map(|d| a.string(d, wide)).collect();
        a.pointer_arrays.push(files);
        let files = a
            .pointer_arrays
            .last()
            .map(|v| v.as_ptr() as usize)
            .unwrap_or(0);
        a.pointer_arrays.push(display);
        let display = a
            .pointer_arrays
            .last()
            .map(|v| v.as_ptr() as usize)
            .unwrap_or(0);
        rows.push(JetInstanceInfo {
            h_instance_id: i.handle as usize,
            sz_instance_name: name,
            c_databases: i.databases.len(),
            sz_database_file_name: files,
            sz_database_display_name: display,
            sz_database_slv_file_name_obsolete: 0,
        });
    }
    a.array = rows;
    let addr = a.array.as_ptr() as usize;
    BUFFERS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(addr, a);
    addr
}

/// Frees an allocation; false if `addr` is not one (ESENT would free it anyway: undefined).
pub fn free(addr: usize) -> bool {
    BUFFERS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .remove(&addr)
        .is_some()
}
