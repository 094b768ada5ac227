//! The sequence generator: call sequences built from a model of the backup state machine
//! (spec 5.2/5.3) and the instance life-cycle (spec 9). At each step it picks, most of the
//! time, a call that is meaningful in the model's state (Begin before Open, Read while a file
//! is open, End after the reads), and some of the time a deliberate misuse (a call out of
//! state, a bad handle, a refused grbit, NULL, a short or misaligned buffer, an odd path).
//!
//! The model tracks what the calls would do if they succeeded; it never sees the runners'
//! answers, so a sequence depends on the seed alone (the same seed gives the same sequences
//! whatever the runners are). Its state names the signature of a found difference.
//!
//! Arguments are written as scenario TOML values (docs/scenario-format.md), so a generated
//! sequence is loaded and validated exactly like a written scenario.

use std::collections::BTreeMap;

use super::forms::{attach_form, legacy_form, loginfo_form, open_form};
pub use super::sequence::{GenStep, Rng, Sequence};
pub use super::setups::setup;
use super::setups::{legacy_setup, page_size};

/// Groups of calls, each with a weight (`--weight GROUP=W`).
pub const GROUPS: [&str; 14] = [
    "backup",
    "restore",
    "begin",
    "attach",
    "open",
    "read",
    "close",
    "loginfo",
    "truncate",
    "end",
    "stop",
    "lifecycle",
    "term",
    "incremental",
];

/// How sequences are generated.
#[derive(Clone, Debug)]
pub struct GenOptions {
    /// Calls after the setup.
    pub max_steps: usize,
    /// Probability that a step is a deliberate misuse.
    pub misuse: f64,
    /// Weight per group of `GROUPS`; absent groups weigh 1 (`default_weights`).
    pub weights: BTreeMap<String, u32>,
    /// Probability that a sequence starts from a setup (else from nothing).
    pub setup: f64,
    /// Probability that the setup is the legacy single-instance one (spec 13 "L"), whose
    /// backup calls are then mostly the legacy forms without an instance (spec 4.2).
    pub legacy: f64,
    /// Probability that a sequence first sets JET_paramDatabasePageSize (spec 10.2).
    pub page_size: f64,
}

impl Default for GenOptions {
    fn default() -> GenOptions {
        GenOptions {
            max_steps: 12,
            misuse: 0.2,
            weights: default_weights(),
            setup: 0.9,
            legacy: 0.15,
            page_size: 0.15,
        }
    }
}

/// The default weights: the calls that move a backup forward (Begin, Open, Read, Close,
/// GetLogInfo) are likelier than those that end or stop it, so that sequences reach the
/// file phases (spec 5.2) often, and an incremental backup is likely once a truncating full
/// one made it meaningful (spec 6.1 step 12); `--weight` changes any of them.
pub fn default_weights() -> BTreeMap<String, u32> {
    [
        ("begin", 3),
        ("open", 3),
        ("read", 3),
        ("close", 2),
        ("loginfo", 2),
        ("incremental", 3),
    ]
    .into_iter()
    .map(|(g, w)| (g.to_string(), w))
    .collect()
}

impl GenOptions {
    fn weight(&self, group: &str) -> u32 {
        self.weights.get(group).copied().unwrap_or(1)
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Life {
    None,
    Created,
    Online,
    Termed,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Phase {
    S0,
    /// Database phase (full backup).
    Sd,
    /// Log phase.
    Sl,
}

/// What the calls so far would have done, had they succeeded (spec 5.2).
struct Model {
    life: Life,
    phase: Phase,
    /// The binding of the open file's handle, and whether it is the database.
    file: Option<(String, bool)>,
    stop: bool,
    handles: u32,
    session: bool,
    /// The sequence started from the legacy setup: backup calls take their legacy forms.
    legacy: bool,
    /// The instance argument: `$inst`, or 0 in single-instance mode (spec 4.4).
    inst: &'static str,
    /// The backup in progress is a full one, and TruncateLog was called in it.
    full: bool,
    truncated: bool,
    /// A truncating full backup was completed (streamed with TruncateLog and a normal End,
    /// or JetBackup): an incremental Begin is now meaningful (spec 6.1 step 12, spec 10.4).
    full_done: bool,
}

impl Model {
    fn state(&self) -> String {
        match self.life {
            Life::None => "no-instance".into(),
            Life::Created => "created".into(),
            Life::Termed => "terminated".into(),
            Life::Online => {
                let mut s = match self.phase {
                    Phase::S0 => "online/S0".to_string(),
                    Phase::Sd => "online/SD".to_string(),
                    Phase::Sl => "online/SL".to_string(),
                };
                if self.file.is_some() {
                    s.push('f');
                }
                if self.stop && self.phase != Phase::S0 {
                    s.push_str("+stop");
                }
                s
            }
        }
    }
    fn end_backup(&mut self) {
        self.phase = Phase::S0;
        self.file = None;
        self.stop = false;
        self.full = false;
        self.truncated = false;
    }
}

/// Generates sequence number `index` of the run with seed `seed`.
pub fn generate(seed: u64, index: u64, o: &GenOptions) -> Sequence {
    let mut rng = Rng::new(seed.wrapping_mul(0x100_0000_01B3).wrapping_add(index));
    let mut m = Model {
        life: Life::None,
        phase: Phase::S0,
        file: None,
        stop: false,
        handles: 0,
        session: false,
        legacy: false,
        inst: INST,
        full: false,
        truncated: false,
        full_done: false,
    };
    let mut steps = Vec::new();
    if rng.chance(o.page_size) {
        let mut s = page_size(&mut rng, &m.state());
        s.setup = true;
        steps.push(s);
    }
    if rng.chance(o.setup) {
        m.legacy = rng.chance(o.legacy);
        if m.legacy {
            steps.extend(legacy_setup());
            m.inst = "0";
        } else {
            steps.extend(setup());
        }
        m.life = Life::Online;
        m.session = true;
    }
    let n = 1 + rng.below(o.max_steps.max(1));
    for _ in 0..n {
        let state = m.state();
        let (step, legacy) = if rng.chance(o.misuse) {
            // A legacy call in a multi-instance process is a misuse too (-1081, spec 4.2).
            let legacy = rng.chance(if m.legacy { 0.8 } else { 0.1 });
            (misuse(&mut rng, &mut m, &state), legacy)
        } else {
            let legacy = m.legacy && rng.chance(0.8);
            (meaningful(&mut rng, &mut m, &state, o), legacy)
        };
        steps.push(if legacy { legacy_form(step) } else { step });
    }
    Sequence { steps }.without_dangling()
}

const INST: &str = "\"$inst\"";
const BUFFERS: [&str; 4] = [
    "{ size = 65536 }",
    "{ size = 1048576 }",
    "{ size = 12288 }",
    "{ size = 4194304 }",
];

/// A call that makes sense in the model's state, chosen by the groups' weights.
fn meaningful(rng: &mut Rng, m: &mut Model, state: &str, o: &GenOptions) -> GenStep {
    let mut options: Vec<&str> = Vec::new();
    match m.life {
        Life::None => options.push("lifecycle"),
        Life::Created => options.extend(["lifecycle", "restore"]),
        Life::Termed => options.extend(["lifecycle", "begin", "end"]),
        Life::Online => match (m.phase, &m.file) {
            (Phase::S0, _) => {
                options.extend(["begin", "stop", "lifecycle", "backup"]);
                if m.full_done {
                    options.push("incremental");
                }
            }
            (_, Some(_)) => options.extend(["read", "close", "end", "stop", "term"]),
            (Phase::Sd, None) => {
                options.extend(["attach", "open", "loginfo", "end", "stop", "term"]);
            }
            (Phase::Sl, None) => {
                options.extend(["open", "loginfo", "truncate", "end", "attach", "term"]);
            }
        },
    }
    let total: u32 = options.iter().map(|g| o.weight(g)).sum();
    let group = if total == 0 {
        *rng.pick(&options)
    } else {
        let mut at = rng.below(total as usize) as u32;
        let mut chosen = options[0];
        for g in &options {
            let w = o.weight(g);
            if at < w {
                chosen = g;
                break;
            }
            at -= w;
        }
        chosen
    };
    match group {
        "lifecycle" => lifecycle(rng, m, state),
        "term" => term_during_backup(rng, m, state),
        "begin" | "incremental" => {
            let incremental = group == "incremental" || rng.chance(0.2);
            if m.life == Life::Online {
                m.phase = if incremental { Phase::Sl } else { Phase::Sd };
                m.stop = false;
                m.full = !incremental;
                m.truncated = false;
            }
            GenStep::new("JetBeginExternalBackupInstance", state)
                .arg("instance", m.inst)
                .arg(
                    "grbit",
                    if incremental {
                        "[\"JET_bitBackupIncremental\"]"
                    } else {
                        "0"
                    },
                )
        }
        "attach" => GenStep::new(attach_form(rng), state).arg("instance", m.inst),
        "open" => {
            let db = m.phase == Phase::Sd;
            m.handles += 1;
            let h = format!("h{}", m.handles);
            m.file = Some((h.clone(), db));
            let name = if db {
                "\"db.edb\""
            } else {
                rng.pick(&["\"logs/edb00001.log\"", "\"logs/edb00002.log\""])
            };
            GenStep::new(open_form(rng), state)
                .arg("instance", m.inst)
                .arg("szFileName", name)
                .bind("phfFile", &h)
        }
        "read" => {
            let h = m.file.as_ref().map(|(h, _)| h.clone()).unwrap_or_default();
            GenStep::new("JetReadFileInstance", state)
                .arg("instance", m.inst)
                .arg("hfFile", format!("\"${h}\""))
                .arg("pv", *rng.pick(&BUFFERS))
        }
        "close" => {
            let h = m.file.take().map(|(h, _)| h).unwrap_or_default();
            GenStep::new("JetCloseFileInstance", state)
                .arg("instance", m.inst)
                .arg("hfFile", format!("\"${h}\""))
        }
        "loginfo" => {
            if m.phase == Phase::Sd {
                m.phase = Phase::Sl;
            }
            GenStep::new(loginfo_form(rng), state).arg("instance", m.inst)
        }
        "truncate" => {
            m.truncated = m.full;
            GenStep::new("JetTruncateLogInstance", state).arg("instance", m.inst)
        }
        // The engine-driven backup to a folder (spec 7.1), and its restore into a created,
        // not yet initialized instance (spec 7.2).
        "backup" => {
            let grbit = rng.pick(&["0", "[\"JET_bitBackupAtomic\"]"]);
            // A plain JetBackup is a full backup that truncates the logs (spec 7.1, spec 13).
            m.full_done |= *grbit == "0";
            let mut s = GenStep::new("JetBackupInstance", state)
                .arg("instance", m.inst)
                .arg("szBackupPath", "\"bk\"")
                .arg("grbit", *grbit);
            if rng.chance(0.5) {
                s = s.arg("pfnStatus", "\"record\"");
            }
            s
        }
        "restore" => {
            m.life = Life::Termed;
            let mut s = GenStep::new("JetRestoreInstance", state)
                .arg("instance", m.inst)
                .arg("sz", "\"bk\"");
            if rng.chance(0.5) {
                s = s.arg("szDest", "\"restored\"");
            }
            s
        }
        "end" => {
            // A normal End of a full backup that truncated records it as a normal full
            // backup in the headers (spec 10.4).
            let complete = m.full && m.truncated;
            m.end_backup();
            if rng.chance(0.25) {
                m.full_done |= complete;
                GenStep::new("JetEndExternalBackupInstance", state).arg("instance", m.inst)
            } else {
                let bit = rng.pick(&["JET_bitBackupEndNormal", "JET_bitBackupEndAbort"]);
                m.full_done |= complete && *bit == "JET_bitBackupEndNormal";
                GenStep::new("JetEndExternalBackupInstance2", state)
                    .arg("instance", m.inst)
                    .arg("grbit", format!("[\"{bit}\"]"))
            }
        }
        _ => {
            if m.phase != Phase::S0 {
                m.stop = true;
            }
            GenStep::new("JetStopBackupInstance", state).arg("instance", m.inst)
        }
    }
}

/// Life-cycle calls (spec 9): create, configure, init, terminate.
fn lifecycle(rng: &mut Rng, m: &mut Model, state: &str) -> GenStep {
    match m.life {
        Life::None => {
            m.life = Life::Created;
            m.inst = INST;
            GenStep::new("JetCreateInstance", state)
                .arg("szInstanceName", "\"bk\"")
                .bind("pinstance", "inst")
        }
        Life::Created => {
            if rng.chance(0.2) {
                GenStep::new("JetSetSystemParameter", state)
                    .arg("pinstance", m.inst)
                    .arg("paramid", "\"JET_paramCircularLog\"")
                    .arg("lParam", rng.pick(&["0", "1"]).to_string())
            } else if rng.chance(0.2) {
                // Page sizes differ by release (spec 11.4).
                GenStep::new("JetSetSystemParameter", state)
                    .arg("pinstance", m.inst)
                    .arg("paramid", "\"JET_paramDatabasePageSize\"")
                    .arg(
                        "lParam",
                        rng.pick(&["2048", "4096", "8192", "16384", "32768"])
                            .to_string(),
                    )
            } else {
                m.life = Life::Online;
                GenStep::new("JetInit", state)
                    .arg("pinstance", m.inst)
                    .bind("pinstance", "inst")
            }
        }
        Life::Online => {
            if rng.chance(0.1) {
                // Stopping the service (spec 6.11; the Instance2 form is W8+) ends no
                // backup in the model: what it refuses afterwards is what gets compared.
                GenStep::new("JetStopServiceInstance2", state)
                    .arg("instance", m.inst)
                    .arg("grbit", "0")
            } else if m.session && rng.chance(0.6) {
                GenStep::new("log_traffic", state)
                    .arg("sesid", "\"$sesid\"")
                    .arg("dbid", "\"$dbid\"")
                    .arg("commits", "5")
            } else {
                m.life = Life::Termed;
                m.session = false;
                m.end_backup();
                match rng.below(3) {
                    0 => GenStep::new("JetTerm", state).arg("instance", m.inst),
                    _ => {
                        // JET_bitTermDirty is W7+ (spec 2.3), a number elsewhere.
                        let grbit = rng.pick(&[
                            "[\"JET_bitTermAbrupt\"]",
                            "[\"JET_bitTermComplete\"]",
                            "[\"JET_bitTermStopBackup\"]",
                            "0x8",
                        ]);
                        GenStep::new("JetTerm2", state)
                            .arg("instance", m.inst)
                            .arg("grbit", *grbit)
                    }
                }
            }
        }
        Life::Termed => {
            if rng.chance(0.5) {
                // A new instance, under the same binding, for a restore (spec 9).
                m.life = Life::Created;
                m.inst = INST;
                GenStep::new("JetCreateInstance", state)
                    .arg("szInstanceName", "\"rs\"")
                    .bind("pinstance", "inst")
            } else {
                GenStep::new("JetStopServiceInstance", state).arg("instance", m.inst)
            }
        }
    }
}

/// JetTerm while a backup is in progress (spec 9, spec 5.7): plain JetTerm is an abrupt
/// term (spec 12 item 11), and Abrupt or StopBackup end the backup (reason -801) and the
/// instance; Complete or 0 fail with -505 and leave the instance up with its backup; Dirty
/// (W7+, a number elsewhere) skips the backup check.
fn term_during_backup(rng: &mut Rng, m: &mut Model, state: &str) -> GenStep {
    let grbit = *rng.pick(&[
        "",
        "[\"JET_bitTermAbrupt\"]",
        "[\"JET_bitTermStopBackup\"]",
        "[\"JET_bitTermComplete\"]",
        "0",
        "0x8",
    ]);
    if !matches!(grbit, "[\"JET_bitTermComplete\"]" | "0") {
        m.life = Life::Termed;
        m.session = false;
        m.end_backup();
    }
    match grbit {
        "" => GenStep::new("JetTerm", state).arg("instance", m.inst),
        _ => GenStep::new("JetTerm2", state)
            .arg("instance", m.inst)
            .arg("grbit", grbit),
    }
}

/// A deliberate misuse: any backup call, whatever the state, with a bad argument some of
/// the time. The model moves as a success would have moved it, so later calls keep exploring.
fn misuse(rng: &mut Rng, m: &mut Model, state: &str) -> GenStep {
    let bad_instance = ["\"nil\"", "0", "12345"];
    let instance = if rng.chance(0.3) {
        rng.pick(&bad_instance).to_string()
    } else {
        m.inst.to_string()
    };
    let handle = match &m.file {
        Some((h, _)) if rng.chance(0.5) => format!("\"${h}\""),
        _ => rng.pick(&["0", "1", "7"]).to_string(),
    };
    match rng.below(9) {
        0 => {
            let grbit = rng.pick(&["0x2", "0x4", "0x10", "0x8000", "0x5", "0"]);
            if m.life == Life::Online && m.phase == Phase::S0 && *grbit == "0" {
                m.phase = Phase::Sd;
            }
            GenStep::new("JetBeginExternalBackupInstance", state)
                .arg("instance", instance)
                .arg("grbit", *grbit)
        }
        1 => {
            let grbit = rng.pick(&["0", "0x3", "0x100", "[\"JET_bitBackupEndNormal\"]"]);
            if *grbit == "[\"JET_bitBackupEndNormal\"]" {
                m.end_backup();
            }
            GenStep::new("JetEndExternalBackupInstance2", state)
                .arg("instance", instance)
                .arg("grbit", *grbit)
        }
        2 => {
            let pv = rng.pick(&[
                "{ size = 4096 }",
                "{ size = 65536, offset = 512 }",
                "\"null\"",
                "{ size = 65536 }",
                "{ size = 1048576 }",
            ]);
            let mut s = GenStep::new("JetReadFileInstance", state)
                .arg("instance", instance)
                .arg("hfFile", handle)
                .arg("pv", *pv);
            if *pv == "{ size = 65536 }" && rng.chance(0.5) {
                s = s.arg("cb", *rng.pick(&["1000", "0", "8192"]));
            }
            s
        }
        3 => {
            let name = rng.pick(&[
                "\"missing.edb\"",
                "\"null\"",
                "\"\"",
                "\"logs/edb00009.log\"",
                "\"db.edb\"",
                "\"logs/edb00001.log\"",
                "{ path = \"deep\", pad_to = 300 }",
            ]);
            m.handles += 1;
            let h = format!("h{}", m.handles);
            if m.file.is_none() && m.phase != Phase::S0 {
                m.file = Some((h.clone(), m.phase == Phase::Sd));
            }
            GenStep::new(open_form(rng), state)
                .arg("instance", instance)
                .arg("szFileName", *name)
                .bind("phfFile", &h)
        }
        4 => {
            if m.file.is_some() && handle.starts_with("\"$") {
                m.file = None;
            }
            GenStep::new("JetCloseFileInstance", state)
                .arg("instance", instance)
                .arg("hfFile", handle)
        }
        5 => {
            let mut s = GenStep::new(attach_form(rng), state).arg("instance", instance);
            if rng.chance(0.5) {
                s = s.arg(
                    "szz",
                    *rng.pick(&["{ size = 8 }", "\"null\"", "{ size = 16 }"]),
                );
            }
            s
        }
        6 => {
            let mut s = GenStep::new(loginfo_form(rng), state).arg("instance", instance);
            if rng.chance(0.5) {
                s = s.arg(
                    "szz",
                    *rng.pick(&["{ size = 8 }", "\"null\"", "{ size = 24 }"]),
                );
            }
            s
        }
        7 => GenStep::new("JetTruncateLogInstance", state).arg("instance", instance),
        _ => GenStep::new("JetStopBackupInstance", state).arg("instance", instance),
    }
}

#[cfg(test)]
#[path = "generator_tests.rs"]
mod tests;
