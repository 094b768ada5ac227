//! The baseline fixture of spec 13 ("B") on the typed engine API.
#![allow(dead_code)]

use jetconform_interface::sysparams::ids;
use jetconform_interface::{ErrorCode, WinVersion};
use jetconform_mock::backup::lists::{ListArgs, ListCharset, ListOut};
use jetconform_mock::backup::stream::{OpenOut, ReadOut};
use jetconform_mock::{Engine, Target};

pub const OK: ErrorCode = ErrorCode::JET_errSuccess;

pub struct Fx {
    pub dir: tempfile::TempDir,
    pub e: Engine,
    pub inst: u64,
    pub sesid: u64,
    pub dbid: u32,
}

pub struct Opts {
    pub circular: bool,
    pub recovery: &'static str,
    pub traffic: u32,
}

impl Default for Opts {
    fn default() -> Self {
        Opts {
            circular: false,
            recovery: "on",
            traffic: 200,
        }
    }
}

pub fn set(e: &mut Engine, inst: u64, id: u32, l: u64, sz: Option<&str>) -> ErrorCode {
    e.set_system_parameter(Some(inst), 0, id, l, sz)
        .expect("modelled")
}

/// Created and configured, not initialized.
pub fn created(v: WinVersion, o: &Opts) -> Fx {
    let dir = tempfile::tempdir().unwrap();
    let mut e = Engine::new(v, dir.path());
    let mut inst = 0;
    // W2K has no JetCreateInstance: the parameters go to the process defaults and the
    // legacy JetInit creates the single instance (spec 4.1).
    let legacy = v == WinVersion::Win2000;
    if !legacy {
        assert_eq!(e.create_instance(Some(&mut inst), Some("bk"), None), OK);
    }
    if legacy {
        // JET_paramCreatePathIfNotExist is XP+ (esent.h guard 0x0501): W2K gets the folders.
        for d in ["logs", "sys", "tmp"] {
            std::fs::create_dir_all(dir.path().join(d)).unwrap();
        }
    } else {
        assert_eq!(
            set(&mut e, inst, ids::JET_paramCreatePathIfNotExist, 1, None),
            OK
        );
    }
    assert_eq!(
        set(&mut e, inst, ids::JET_paramLogFilePath, 0, Some("logs/")),
        OK
    );
    assert_eq!(
        set(&mut e, inst, ids::JET_paramSystemPath, 0, Some("sys/")),
        OK
    );
    assert_eq!(
        set(&mut e, inst, ids::JET_paramTempPath, 0, Some("tmp/")),
        OK
    );
    assert_eq!(
        set(
            &mut e,
            inst,
            ids::JET_paramCircularLog,
            o.circular as u64,
            None
        ),
        OK
    );
    assert_eq!(
        set(&mut e, inst, ids::JET_paramRecovery, 0, Some(o.recovery)),
        OK
    );
    assert_eq!(set(&mut e, inst, ids::JET_paramLogFileSize, 128, None), OK);
    Fx {
        dir,
        e,
        inst,
        sesid: 0,
        dbid: 0,
    }
}

/// "B": initialized, a session, `db.edb` created, some log traffic (rolls the log once).
pub fn online_with(v: WinVersion, o: Opts) -> Fx {
    let mut fx = created(v, &o);
    let mut out = None;
    if fx.inst == 0 {
        assert_eq!(
            fx.e.init(Some(jetconform_interface::INSTANCE_NIL), 0, &mut out),
            OK
        );
        fx.inst = out.unwrap();
    } else {
        assert_eq!(fx.e.init(Some(fx.inst), 0, &mut out), OK);
    }
    let mut s = 0;
    assert_eq!(fx.e.begin_session(fx.inst, Some(&mut s)), OK);
    fx.sesid = s;
    let mut dbid = 0;
    assert_eq!(
        fx.e.create_database(s, Some("db.edb"), Some(&mut dbid), 0),
        OK
    );
    fx.dbid = dbid;
    assert_eq!(fx.e.log_traffic(s, dbid, o.traffic), OK);
    fx
}

pub fn online(v: WinVersion) -> Fx {
    online_with(v, Opts::default())
}

impl Fx {
    pub fn t(&self) -> Target {
        Target::Instance(self.inst)
    }
    pub fn path(&self, rel: &str) -> String {
        self.dir.path().join(rel).to_string_lossy().into_owned()
    }
    pub fn begin(&mut self, grbit: u32) -> ErrorCode {
        let t = self.t();
        self.e.begin_external_backup(t, grbit).expect("modelled")
    }
    pub fn end(&mut self, grbit: u32) -> ErrorCode {
        let t = self.t();
        self.e.end_external_backup(t, grbit)
    }
    pub fn open(&mut self, name: &str) -> (ErrorCode, OpenOut) {
        let t = self.t();
        let mut out = OpenOut::default();
        let p = if name.is_empty() {
            String::new()
        } else {
            self.path(name)
        };
        let err = self.e.open_file(t, Some(&p), 0, &mut out);
        (err, out)
    }
    pub fn open_raw(&mut self, name: &str) -> (ErrorCode, OpenOut) {
        let t = self.t();
        let mut out = OpenOut::default();
        let err = self.e.open_file(t, Some(name), 0, &mut out);
        (err, out)
    }
    pub fn read(&mut self, cb: usize) -> (ErrorCode, ReadOut, Vec<u8>) {
        let t = self.t();
        let mut buf = vec![0u8; cb];
        let mut out = ReadOut::default();
        let err = self.e.read_file(t, 0, &mut buf, true, &mut out);
        buf.truncate(out.cb_actual.unwrap_or(0) as usize);
        (err, out, buf)
    }
    /// Reads to the end; returns the bytes.
    pub fn read_all(&mut self, cb: usize) -> Result<Vec<u8>, ErrorCode> {
        let mut all = Vec::new();
        loop {
            let (err, _, b) = self.read(cb);
            if err != OK {
                return Err(err);
            }
            if b.is_empty() {
                return Ok(all);
            }
            all.extend_from_slice(&b);
        }
    }
    pub fn close(&mut self, hf: u64) -> ErrorCode {
        let t = self.t();
        self.e.close_file(t, hf)
    }
    fn list(&mut self, which: u8, charset: ListCharset) -> (ErrorCode, ListOut) {
        let t = self.t();
        let args = ListArgs {
            charset,
            buffer: true,
            cb_max: 65536,
        };
        let mut out = ListOut::default();
        let err = match which {
            0 => self.e.get_attach_info(t, args, &mut out),
            1 => self.e.get_log_info(t, args, Some(20), &mut out),
            _ => self.e.get_truncate_log_info(t, args, &mut out),
        };
        (err, out)
    }
    pub fn attach_info(&mut self) -> (ErrorCode, Vec<String>) {
        let (e, o) = self.list(0, ListCharset::W);
        (e, decode(o))
    }
    pub fn log_info(&mut self) -> (ErrorCode, Vec<String>) {
        let (e, o) = self.list(1, ListCharset::W);
        (e, decode(o))
    }
    pub fn log_info_out(&mut self) -> (ErrorCode, ListOut) {
        self.list(1, ListCharset::W)
    }
    pub fn truncate_info(&mut self) -> (ErrorCode, Vec<String>) {
        let (e, o) = self.list(2, ListCharset::W);
        (e, decode(o))
    }
    pub fn truncate(&mut self) -> ErrorCode {
        let t = self.t();
        self.e.truncate_log(t)
    }
    pub fn stop(&mut self) -> ErrorCode {
        let t = self.t();
        self.e.stop_backup(t)
    }
    pub fn state(&self) -> jetconform_mock::backup::state::State {
        self.e.instance(self.inst).unwrap().backup.state()
    }
    pub fn stopped(&self) -> bool {
        self.e.instance(self.inst).unwrap().backup.stop
    }
    /// Full sequence of spec 13 up to (not including) End; returns the DB stream.
    pub fn full_sequence(&mut self, truncate: bool) -> Vec<u8> {
        assert_eq!(self.begin(0), OK);
        let (err, dbs) = self.attach_info();
        assert_eq!(err, OK);
        let mut stream = Vec::new();
        for d in dbs {
            let (err, _) = self.open_raw(&d);
            assert_eq!(err, OK);
            stream = self.read_all(65536).unwrap();
            assert_eq!(self.close(0), OK);
        }
        let (err, logs) = self.log_info();
        assert_eq!(err, OK);
        for l in logs {
            assert_eq!(self.open_raw(&l).0, OK);
            self.read_all(65536).unwrap();
            assert_eq!(self.close(0), OK);
        }
        if truncate {
            assert_eq!(self.truncate(), OK);
        }
        stream
    }
}

pub fn decode(o: ListOut) -> Vec<String> {
    let Some(b) = o.written else { return vec![] };
    let units: Vec<u16> = b
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    units
        .split(|u| *u == 0)
        .filter(|s| !s.is_empty())
        .map(String::from_utf16_lossy)
        .collect()
}
