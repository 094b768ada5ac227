//! No input panics: every function of the catalogue, on several versions, with arguments
//! drawn from valid, NULL, garbage and extreme values, before and during a backup.

use jetconform_interface::functions::{ParamType, FUNCTIONS};
use jetconform_interface::{
    Arg, Buffer, Call, Callback, LogInfo, RstInfo, RstMapEntry, Runner, ScenarioStart,
    SysParamEntry, Text, WinVersion as V, INSTANCE_NIL,
};
use jetconform_mock::MockRunner;

struct Rng(u64);
impl Rng {
    fn pick(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

fn path(p: &str, pad: Option<u32>) -> Option<Text> {
    Some(Text::Path {
        path: p.into(),
        pad_to: pad,
        trailing_separator: false,
    })
}

fn arg(ty: ParamType, r: &mut Rng, inst: u64, sesid: u64) -> Arg {
    match ty {
        ParamType::Instance | ParamType::FileHandle | ParamType::ApiPtr => {
            Arg::Handle([0, INSTANCE_NIL, 1, inst, 0xDEAD][r.pick(5)])
        }
        ParamType::Sesid | ParamType::TableId => {
            Arg::Handle([0, INSTANCE_NIL, sesid, 7][r.pick(4)])
        }
        ParamType::ColumnDef => Arg::U32([0, 10, 12, 99][r.pick(4)]),
        ParamType::InstanceOut
        | ParamType::SesidOut
        | ParamType::TableIdOut
        | ParamType::DbidOut
        | ParamType::FileHandleOut
        | ParamType::OutULong
        | ParamType::OutApiPtr
        | ParamType::OutLong
        | ParamType::OutNames => Arg::Out(r.pick(4) != 0),
        ParamType::InstanceInOut => {
            Arg::InOut([None, Some(0), Some(INSTANCE_NIL), Some(inst)][r.pick(4)])
        }
        ParamType::Dbid | ParamType::ULong | ParamType::Grbit(_) | ParamType::ParamId => {
            Arg::U32([0, 1, 2, 4, 0x20, 0x100, 12288, 65536, 65537, u32::MAX][r.pick(10)])
        }
        ParamType::Long => Arg::I32([-1, 0, 1, 2, 15, i32::MAX, i32::MIN][r.pick(7)]),
        ParamType::U64 => Arg::U64([0, 100, 12288, u64::MAX][r.pick(4)]),
        ParamType::Str(_) => Arg::Str(
            [
                None,
                Some(Text::Plain(String::new())),
                path("db.edb", None),
                path("logs/edb00001.log", None),
                path("logs", Some(300)),
                path("logs", Some(u32::MAX)),
                Some(Text::Raw("zz/x".into())),
                Some(Text::Plain("off".into())),
            ][r.pick(8)]
            .clone(),
        ),
        ParamType::OutBuffer(_) => Arg::Buffer(
            [
                None,
                Some(Buffer {
                    size: 65536,
                    offset: 0,
                    save_to: None,
                }),
                Some(Buffer {
                    size: 12288,
                    offset: 512,
                    save_to: Some("saved/x".into()),
                }),
                Some(Buffer {
                    size: 1,
                    offset: 3,
                    save_to: None,
                }),
            ][r.pick(4)]
            .clone(),
        ),
        ParamType::LogInfo => Arg::LogInfo(
            [
                None,
                Some(LogInfo {
                    cb_size: 16,
                    gen_low: 1,
                    gen_high: 3,
                    base_name: "edb".into(),
                }),
                Some(LogInfo {
                    cb_size: 20,
                    gen_low: 0,
                    gen_high: u32::MAX,
                    base_name: "édb".into(),
                }),
            ][r.pick(3)]
            .clone(),
        ),
        ParamType::RstMap => Arg::RstMap(
            [
                None,
                Some(vec![RstMapEntry {
                    database_name: path("db.edb", None),
                    new_database_name: path("db.edb", None),
                }]),
            ][r.pick(2)]
            .clone(),
        ),
        ParamType::SetSysParams => Arg::SetSysParams(
            [
                None,
                Some(vec![SysParamEntry {
                    paramid: 64,
                    lparam: 8192,
                    sz: None,
                }]),
                Some(vec![]),
            ][r.pick(3)]
            .clone(),
        ),
        ParamType::RstInfo => Arg::RstInfo(
            [
                None,
                Some(RstInfo {
                    cb_struct: 48,
                    rstmap: vec![],
                    callback: None,
                }),
            ][r.pick(2)]
            .clone(),
        ),
        ParamType::Callback => Arg::Callback([None, Some(Callback::default())][r.pick(2)].clone()),
    }
}

fn setup(x: &mut Box<dyn jetconform_interface::Execution>, v: V) -> (u64, u64) {
    use jetconform_interface::Function as F;
    let c = |f: F, args: Vec<Arg>| Call { function: f, args };
    let o = x
        .call(&c(F::JetInit, vec![Arg::InOut(Some(INSTANCE_NIL))]))
        .unwrap();
    let inst = match o.outputs.get("pinstance") {
        Some(jetconform_interface::OutValue::Handle(h)) => *h,
        _ => 0,
    };
    let o = x
        .call(&c(
            F::JetBeginSession,
            vec![
                Arg::Handle(inst),
                Arg::Out(true),
                Arg::Str(None),
                Arg::Str(None),
            ],
        ))
        .unwrap();
    let sesid = match o.outputs.get("psesid") {
        Some(jetconform_interface::OutValue::Handle(h)) => *h,
        _ => 0,
    };
    let _ = x.call(&c(
        F::JetCreateDatabase,
        vec![
            Arg::Handle(sesid),
            path("db.edb", None).map_or(Arg::Str(None), |t| Arg::Str(Some(t))),
            Arg::Str(None),
            Arg::Out(true),
            Arg::U32(0),
        ],
    ));
    let _ = x.call(&c(
        F::log_traffic,
        vec![Arg::Handle(sesid), Arg::U32(1), Arg::U32(30)],
    ));
    let begin = if v >= V::Xp {
        F::JetBeginExternalBackupInstance
    } else {
        F::JetBeginExternalBackup
    };
    let args = if v >= V::Xp {
        vec![Arg::Handle(inst), Arg::U32(0)]
    } else {
        vec![Arg::U32(0)]
    };
    let _ = x.call(&c(begin, args));
    (inst, sesid)
}

#[test]
fn every_function_with_odd_arguments() {
    let runner = MockRunner::new();
    let mut r = Rng(42);
    for v in [V::Win2000, V::Xp, V::Win10] {
        for f in FUNCTIONS {
            for round in 0..2 {
                let mut x = runner
                    .start(&ScenarioStart {
                        scenario: "no-panic".into(),
                        version: v,
                    })
                    .unwrap();
                let (inst, sesid) = if round == 0 {
                    (0x1234, 0x5678)
                } else {
                    setup(&mut x, v)
                };
                for _ in 0..12 {
                    let args = f
                        .params
                        .iter()
                        .map(|p| arg(p.ty, &mut r, inst, sesid))
                        .collect();
                    let call = Call {
                        function: f.function,
                        args,
                    };
                    let _ = x.call(&call).unwrap();
                }
                x.finish().unwrap();
            }
        }
    }
}
