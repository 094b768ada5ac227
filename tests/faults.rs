//! Faults and leftovers: runners and libraries that misbehave (built in the tests from
//! tests/fakes/faulty.c or written as shell scripts), each run under a file-size limit and a
//! deadline, and what jetconform must make of them: a step failure or a trial outcome with
//! the reason, a run that ends, and nothing left behind (processes, sandboxes, half files).

mod common;

#[path = "faults/support.rs"]
mod support;

#[path = "faults/runaway.rs"]
mod runaway;

#[path = "faults/sandboxes.rs"]
mod sandboxes;

#[path = "faults/caps.rs"]
mod caps;

#[path = "faults/overrun.rs"]
mod overrun;

#[path = "faults/interrupt.rs"]
mod interrupt;
