//! `JET_LOGINFO_A/W` (spec 1.2): 16 bytes A, 20 bytes W. The caller's `cbSize` is passed as
//! given (deliberately wrong sizes are how scenarios provoke -1003, spec 6.6 and 8.3); the
//! struct itself is always allocated at its real size so a write never overruns.

use crate::abi::{JetLogInfoA, JetLogInfoW};
use jetconform_interface::LogInfo;

pub enum LogInfoSlot {
    A(Box<JetLogInfoA>),
    W(Box<JetLogInfoW>),
}

impl LogInfoSlot {
    pub fn new(li: &LogInfo, wide: bool) -> LogInfoSlot {
        if wide {
            let mut name = [0u16; 4];
            for (d, s) in name.iter_mut().zip(li.base_name.encode_utf16().take(3)) {
                *d = s;
            }
            LogInfoSlot::W(Box::new(JetLogInfoW {
                cb_size: li.cb_size,
                ul_gen_low: li.gen_low,
                ul_gen_high: li.gen_high,
                sz_base_name: name,
            }))
        } else {
            let mut name = [0u8; 4];
            for (d, s) in name.iter_mut().zip(li.base_name.bytes().take(3)) {
                *d = s;
            }
            LogInfoSlot::A(Box::new(JetLogInfoA {
                cb_size: li.cb_size,
                ul_gen_low: li.gen_low,
                ul_gen_high: li.gen_high,
                sz_base_name: name,
            }))
        }
    }

    pub fn as_mut_ptr(&mut self) -> *mut std::ffi::c_void {
        match self {
            LogInfoSlot::A(b) => (&mut **b as *mut JetLogInfoA).cast(),
            LogInfoSlot::W(b) => (&mut **b as *mut JetLogInfoW).cast(),
        }
    }

    /// The struct's current contents.
    pub fn read(&self) -> LogInfo {
        let (cb_size, gen_low, gen_high, base_name) = match self {
            LogInfoSlot::A(b) => {
                let end = b.sz_base_name.iter().position(|c| *c == 0).unwrap_or(4);
                let name: String = b.sz_base_name[..end].iter().map(|c| *c as char).collect();
                (b.cb_size, b.ul_gen_low, b.ul_gen_high, name)
            }
            LogInfoSlot::W(b) => {
                let end = b.sz_base_name.iter().position(|c| *c == 0).unwrap_or(4);
                let name = String::from_utf16_lossy(&b.sz_base_name[..end]);
                (b.cb_size, b.ul_gen_low, b.ul_gen_high, name)
            }
        };
        LogInfo {
            cb_size,
            gen_low,
            gen_high,
            base_name,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_callers_cbsize() {
        let li = LogInfo {
            cb_size: 20,
            gen_low: 1,
            gen_high: 2,
            base_name: "edb".into(),
        };
        let a = LogInfoSlot::new(&li, false);
        assert_eq!(a.read(), li);
        let w = LogInfoSlot::new(&li, true);
        assert_eq!(w.read(), li);
    }
}
