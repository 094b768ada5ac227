//! One call through the library: marshal, call the export by its exact signature, read the
//! outputs back. Shared by the execution and by callbacks that make a nested call.

use crate::callbacks::Guard;
use crate::exports::{self, Exports};
use crate::marshal::Frame;
use crate::verbs::Verbs;
use jetconform_interface::{Args, Call, Observation, Text};
use std::sync::{Arc, Mutex};

pub struct Caller {
    pub exports: Arc<Exports>,
    /// The sandbox, absolute, in the library's own world.
    pub root: String,
    pub verbs: Mutex<Verbs>,
}

impl Caller {
    pub fn text(&self, t: &Text) -> String {
        crate::paths::text_to_string(&self.root, t)
    }

    pub fn call(self: &Arc<Self>, call: &Call) -> Observation {
        let verb = call.function.info().is_verb();
        // The prologue every runner shares: exported (a verb is the harness's own, always
        // there), then one argument per parameter.
        let symbol = (!verb)
            .then(|| self.exports.symbol(call.function))
            .flatten();
        if let Err(o) = Args::enter_call(call, verb || symbol.is_some()) {
            return o;
        }
        if verb {
            return match self.verbs.lock() {
                Ok(mut v) => v.run(self, call),
                Err(_) => Observation::not_modelled("verb state poisoned by an earlier panic"),
            };
        }
        let Some(addr) = symbol else {
            return Observation::not_exported();
        };
        let text = |t: &Text| self.text(t);
        let mut frame = match Frame::build(call, &text) {
            Ok(f) => f,
            Err(why) => return Observation::not_modelled(why),
        };
        let guard = frame
            .callback
            .take()
            .map(|nested| Guard::begin(nested, Arc::clone(self)));
        // SAFETY: `addr` is the library's export of `call.function` (resolved by name), and
        // every pointer word points into `frame`, which lives until after the call and holds
        // each argument in its C layout (marshal/).
        let code = unsafe { exports::invoke(call.function, addr, &frame.words) };
        let recorded = guard.map(Guard::finish);
        let Some(code) = code else {
            return Observation::not_modelled(format!(
                "{}: the arguments do not fit its signature",
                call.function
            ));
        };
        let mut notes = Vec::new();
        let mut o = frame.observe(code, recorded, &self.root, &mut notes);
        o.notes.extend(notes);
        o
    }
}
