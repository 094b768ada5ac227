//! Names bound from outputs (`bind = { phfFile = "$h" }`) and why a name may be missing.

use crate::scenario::model::Value;
use std::collections::HashMap;

#[derive(Default)]
pub struct Bindings {
    values: HashMap<String, Value>,
    /// Why a name that a step should have bound is not there (the step failed, the output
    /// was not written), so later steps can say so instead of "unbound".
    missing: HashMap<String, String>,
}

impl Bindings {
    pub fn get(&self, name: &str) -> Result<&Value, String> {
        self.values
            .get(name)
            .ok_or_else(|| match self.missing.get(name) {
                Some(why) => format!("${name} was never bound: {why}"),
                None => format!("${name} is not bound"),
            })
    }
    pub fn set(&mut self, name: &str, value: Value) {
        self.missing.remove(name);
        self.values.insert(name.to_string(), value);
    }
    pub fn set_missing(&mut self, name: &str, why: String) {
        self.values.remove(name);
        self.missing.insert(name.to_string(), why);
    }
}

impl crate::verdict::BindingLookup for Bindings {
    fn number(&self, name: &str) -> Result<i64, String> {
        match self.get(name)? {
            Value::Handle(h) => Ok(*h as i64),
            Value::U32(v) => Ok(*v as i64),
            Value::I32(v) => Ok(*v as i64),
            other => Err(format!("${name} holds {other:?}, not a number")),
        }
    }
}
