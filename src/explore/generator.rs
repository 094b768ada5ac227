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

pub use super::sequence::{GenStep, Rng, Sequence};

/// Groups of calls, each with a weight (`--weight GROUP=W`).
pub const GROUPS: [&str; 12] = [
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
    /// Probability that a sequence starts from the online-instance setup (else from nothing).
    pub setup: f64,
}

impl Default for GenOptions {
    fn default() -> GenOptions {
        GenOptions {
            max_steps: 12,
            misuse: 0.2,
            weights: default_weights(),
            setup: 0.9,
        }
    }
}

/// The default weights: the calls that move a backup forward (Begin, Open, Read, Close,
/// GetLogInfo) are likelier than those that end or stop it, so that sequences reach the
/// file phases (spec 5.2) often; `--weight` changes any of them.
pub fn default_weights() -> BTreeMap<String, u32> {
    [
        ("begin", 3),
        ("open", 3),
        ("read", 3),
        ("close", 2),
        ("loginfo", 2),
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
    };
    let mut steps = Vec::new();
    if rng.chance(o.setup) {
        steps = setup();
        m.life = Life::Online;
        m.session = true;
    }
    let n = 1 + rng.below(o.max_steps.max(1));
    for _ in 0..n {
        let state = m.state();
        let step = if rng.chance(o.misuse) {
            misuse(&mut rng, &mut m, &state)
        } else {
            meaningful(&mut rng, &mut m, &state, o)
        };
        steps.push(step);
    }
    Sequence { steps }.without_dangling()
}

/// The online instance of the corpus's `online-instance` fixture (spec 13 "B"), inline so
/// that found scenarios stand alone: an instance with its own folders, initialized, one
/// session and one logged database `db.edb`.
pub fn setup() -> Vec<GenStep> {
    let st = "setup";
    let mut v = vec![
        GenStep::new("JetCreateInstance", st)
            .arg("szInstanceName", "\"bk\"")
            .bind("pinstance", "inst"),
        GenStep::new("JetSetSystemParameter", st)
            .arg("pinstance", "\"$inst\"")
            .arg("paramid", "\"JET_paramCreatePathIfNotExist\"")
            .arg("lParam", "1"),
    ];
    for (param, dir) in [
        ("JET_paramLogFilePath", "logs"),
        ("JET_paramSystemPath", "sys"),
        ("JET_paramTempPath", "tmp"),
    ] {
        v.push(
            GenStep::new("JetSetSystemParameter", st)
                .arg("pinstance", "\"$inst\"")
                .arg("paramid", format!("\"{param}\""))
                .arg(
                    "szParam",
                    format!("{{ path = \"{dir}\", trailing_separator = true }}"),
                ),
        );
    }
    v.extend([
        GenStep::new("JetInit", st)
            .arg("pinstance", "\"$inst\"")
            .bind("pinstance", "inst"),
        GenStep::new("JetBeginSession", st)
            .arg("instance", "\"$inst\"")
            .bind("psesid", "sesid"),
        GenStep::new("JetCreateDatabase", st)
            .arg("sesid", "\"$sesid\"")
            .arg("szFilename", "\"db.edb\"")
            .bind("pdbid", "dbid"),
        GenStep::new("log_traffic", st)
            .arg("sesid", "\"$sesid\"")
            .arg("dbid", "\"$dbid\"")
            .arg("commits", "10"),
    ]);
    for s in &mut v {
        s.setup = true;
    }
    v
}

const INST: &str = "\"$inst\"";
const BUFFERS: [&str; 4] = [
    "{ size = 65536 }",
    "{ size = 1048576 }",
    "{ size = 12288 }",
    "{ size = 4194304 }",
];

const ATTACH_FORMS: [&str; 3] = [
    "JetGetAttachInfoInstance",
    "JetGetAttachInfoInstanceA",
    "JetGetAttachInfoInstanceW",
];

fn attach_form(rng: &mut Rng) -> &'static str {
    ATTACH_FORMS[rng.below(ATTACH_FORMS.len())]
}
const LOGINFO_FORMS: [&str; 6] = [
    "JetGetLogInfoInstance",
    "JetGetLogInfoInstanceA",
    "JetGetLogInfoInstanceW",
    "JetGetLogInfoInstance2",
    "JetGetTruncateLogInfoInstance",
    "JetGetTruncateLogInfoInstanceW",
];

fn loginfo_form(rng: &mut Rng) -> &'static str {
    LOGINFO_FORMS[rng.below(LOGINFO_FORMS.len())]
}
const OPEN_FORMS: [&str; 3] = [
    "JetOpenFileInstance",
    "JetOpenFileInstanceA",
    "JetOpenFileInstanceW",
];

fn open_form(rng: &mut Rng) -> &'static str {
    OPEN_FORMS[rng.below(OPEN_FORMS.len())]
}

/// A call that makes sense in the model's state, chosen by the groups' weights.
fn meaningful(rng: &mut Rng, m: &mut Model, state: &str, o: &GenOptions) -> GenStep {
    let mut options: Vec<&str> = Vec::new();
    match m.life {
        Life::None => options.push("lifecycle"),
        Life::Created => options.extend(["lifecycle", "restore"]),
        Life::Termed => options.extend(["lifecycle", "begin", "end"]),
        Life::Online => match (m.phase, &m.file) {
            (Phase::S0, _) => options.extend(["begin", "stop", "lifecycle", "backup"]),
            (_, Some(_)) => options.extend(["read", "close", "end", "stop"]),
            (Phase::Sd, None) => {
                options.extend(["attach", "open", "loginfo", "end", "stop"]);
            }
            (Phase::Sl, None) => {
                options.extend(["open", "loginfo", "truncate", "end", "attach"]);
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
        "begin" => {
            let incremental = rng.chance(0.2);
            if m.life == Life::Online {
                m.phase = if incremental { Phase::Sl } else { Phase::Sd };
                m.stop = false;
            }
            GenStep::new("JetBeginExternalBackupInstance", state)
                .arg("instance", INST)
                .arg(
                    "grbit",
                    if incremental {
                        "[\"JET_bitBackupIncremental\"]"
                    } else {
                        "0"
                    },
                )
        }
        "attach" => GenStep::new(attach_form(rng), state).arg("instance", INST),
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
                .arg("instance", INST)
                .arg("szFileName", name)
                .bind("phfFile", &h)
        }
        "read" => {
            let h = m.file.as_ref().map(|(h, _)| h.clone()).unwrap_or_default();
            GenStep::new("JetReadFileInstance", state)
                .arg("instance", INST)
                .arg("hfFile", format!("\"${h}\""))
                .arg("pv", *rng.pick(&BUFFERS))
        }
        "close" => {
            let h = m.file.take().map(|(h, _)| h).unwrap_or_default();
            GenStep::new("JetCloseFileInstance", state)
                .arg("instance", INST)
                .arg("hfFile", format!("\"${h}\""))
        }
        "loginfo" => {
            if m.phase == Phase::Sd {
                m.phase = Phase::Sl;
            }
            GenStep::new(loginfo_form(rng), state).arg("instance", INST)
        }
        "truncate" => GenStep::new("JetTruncateLogInstance", state).arg("instance", INST),
        // The engine-driven backup to a folder (spec 7.1), and its restore into a created,
        // not yet initialized instance (spec 7.2).
        "backup" => {
            let grbit = rng.pick(&["0", "[\"JET_bitBackupAtomic\"]"]);
            let mut s = GenStep::new("JetBackupInstance", state)
                .arg("instance", INST)
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
                .arg("instance", INST)
                .arg("sz", "\"bk\"");
            if rng.chance(0.5) {
                s = s.arg("szDest", "\"restored\"");
            }
            s
        }
        "end" => {
            m.end_backup();
            if rng.chance(0.25) {
                GenStep::new("JetEndExternalBackupInstance", state).arg("instance", INST)
            } else {
                let bit = rng.pick(&["JET_bitBackupEndNormal", "JET_bitBackupEndAbort"]);
                GenStep::new("JetEndExternalBackupInstance2", state)
                    .arg("instance", INST)
                    .arg("grbit", format!("[\"{bit}\"]"))
            }
        }
        _ => {
            if m.phase != Phase::S0 {
                m.stop = true;
            }
            GenStep::new("JetStopBackupInstance", state).arg("instance", INST)
        }
    }
}

/// Life-cycle calls (spec 9): create, configure, init, terminate.
fn lifecycle(rng: &mut Rng, m: &mut Model, state: &str) -> GenStep {
    match m.life {
        Life::None => {
            m.life = Life::Created;
            GenStep::new("JetCreateInstance", state)
                .arg("szInstanceName", "\"bk\"")
                .bind("pinstance", "inst")
        }
        Life::Created => {
            if rng.chance(0.2) {
                GenStep::new("JetSetSystemParameter", state)
                    .arg("pinstance", INST)
                    .arg("paramid", "\"JET_paramCircularLog\"")
                    .arg("lParam", rng.pick(&["0", "1"]).to_string())
            } else if rng.chance(0.2) {
                // Page sizes differ by release (spec 11.4).
                GenStep::new("JetSetSystemParameter", state)
                    .arg("pinstance", INST)
                    .arg("paramid", "\"JET_paramDatabasePageSize\"")
                    .arg(
                        "lParam",
                        rng.pick(&["2048", "4096", "8192", "16384", "32768"])
                            .to_string(),
                    )
            } else {
                m.life = Life::Online;
                GenStep::new("JetInit", state)
                    .arg("pinstance", INST)
                    .bind("pinstance", "inst")
            }
        }
        Life::Online => {
            if rng.chance(0.1) {
                // Stopping the service (spec 6.11; the Instance2 form is W8+) ends no
                // backup in the model: what it refuses afterwards is what gets compared.
                GenStep::new("JetStopServiceInstance2", state)
                    .arg("instance", INST)
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
                    0 => GenStep::new("JetTerm", state).arg("instance", INST),
                    _ => {
                        // JET_bitTermDirty is W7+ (spec 2.3), a number elsewhere.
                        let grbit = rng.pick(&[
                            "[\"JET_bitTermAbrupt\"]",
                            "[\"JET_bitTermComplete\"]",
                            "[\"JET_bitTermStopBackup\"]",
                            "0x8",
                        ]);
                        GenStep::new("JetTerm2", state)
                            .arg("instance", INST)
                            .arg("grbit", *grbit)
                    }
                }
            }
        }
        Life::Termed => {
            if rng.chance(0.5) {
                // A new instance, under the same binding, for a restore (spec 9).
                m.life = Life::Created;
                GenStep::new("JetCreateInstance", state)
                    .arg("szInstanceName", "\"rs\"")
                    .bind("pinstance", "inst")
            } else {
                GenStep::new("JetStopServiceInstance", state).arg("instance", INST)
            }
        }
    }
}

/// A deliberate misuse: any backup call, whatever the state, with a bad argument some of
/// the time. The model moves as a success would have moved it, so later calls keep exploring.
fn misuse(rng: &mut Rng, m: &mut Model, state: &str) -> GenStep {
    let bad_instance = ["\"nil\"", "0", "12345"];
    let instance = if rng.chance(0.3) {
        rng.pick(&bad_instance).to_string()
    } else {
        INST.to_string()
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
