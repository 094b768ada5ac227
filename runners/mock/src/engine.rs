//! The engine object: everything ESENT keeps per process (run mode, instance table, global
//! parameters, sessions) lives here, one per execution, never in a static.

use crate::instance::{GlobalParams, Instance, InstanceParams};
use crate::profile::Profile;
use crate::runmode::RunMode;
use jetconform_interface::WinVersion;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// First instance handle; later ones step by `HANDLE_STEP` (never reused, spec 4.3).
const FIRST_HANDLE: u64 = 0x0000_7E57_0000_1000;
const HANDLE_STEP: u64 = 0x100;
const FIRST_SESID: u64 = 0x0000_5E55_0000_0010;

/// A model of one process's `esent.dll` for one Windows version.
#[derive(Debug)]
pub struct Engine {
    pub profile: Profile,
    pub(crate) root: PathBuf,
    pub(crate) mode: RunMode,
    /// Live instances, in creation order (`g_rgpinst`).
    pub(crate) instances: Vec<Instance>,
    next_handle: u64,
    pub(crate) globals: GlobalParams,
    /// Process defaults copied into new instances (JetSetSystemParameter without instance).
    pub(crate) defaults: InstanceParams,
    /// Sessions: sesid -> instance handle.
    pub(crate) sessions: BTreeMap<u64, u64>,
    /// Open transaction levels by session (absent: 0).
    pub(crate) trx_levels: BTreeMap<u64, u32>,
    /// Open cursors (`JET_TABLEID`s).
    pub(crate) cursors: BTreeMap<u64, crate::tables::Cursor>,
    pub(crate) next_tableid: u64,
    /// Changes of open transactions, by session (redo.rs).
    pub(crate) trx_changes: BTreeMap<u64, Vec<crate::redo::Change>>,
    /// Arrays handed out by JetGetInstanceInfo and not yet freed (tokens).
    pub(crate) buffers: BTreeSet<u64>,
    pub(crate) next_buffer: u64,
    next_sesid: u64,
    /// Logical clock for marks and log stamps.
    clock: u64,
    /// Files held by `lock_file` (ESENT's opens fail with -1032).
    pub(crate) locks: BTreeSet<PathBuf>,
    /// Log stream signatures handed out (distinct per stream).
    signature_seed: u64,
    /// The buffer ReadFile (through `dispatch`) and JetBackup's copy loop read into (flat
    /// memory while streaming; reused by the next engine on the thread, `scratch.rs`).
    pub(crate) scratch: crate::scratch::Scratch,
    /// Remarks of the current call: profile knobs that are not SRC facts and decided the
    /// result (drained into `Observation::notes`).
    pub(crate) notes: std::cell::RefCell<Vec<String>>,
}

impl Engine {
    /// A fresh engine for `version`, resolving relative paths against `root`.
    pub fn new(version: WinVersion, root: &Path) -> Engine {
        Engine::with_profile(Profile::for_version(version), root)
    }

    pub fn with_profile(profile: Profile, root: &Path) -> Engine {
        // Log and database signatures must differ between streams, as ESENT's (random plus
        // time) do: seeded from the sandbox path (unique per execution) and the clock.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        let path_hash =
            crate::files::checksum::checksum(0, root.as_os_str().to_string_lossy().as_bytes());
        let seed = path_hash ^ nanos ^ (profile.version as u64) << 40;
        let defaults = InstanceParams {
            legacy_file_names: profile.legacy_file_names_default.value,
            ..InstanceParams::default()
        };
        Engine {
            profile,
            root: crate::paths::normalise(root),
            mode: RunMode::NoSet,
            instances: Vec::new(),
            next_handle: FIRST_HANDLE,
            globals: GlobalParams::default(),
            defaults,
            sessions: BTreeMap::new(),
            trx_levels: BTreeMap::new(),
            cursors: BTreeMap::new(),
            next_tableid: crate::tables::FIRST_TABLEID,
            trx_changes: BTreeMap::new(),
            buffers: BTreeSet::new(),
            next_buffer: 0,
            next_sesid: FIRST_SESID,
            clock: 1,
            locks: BTreeSet::new(),
            signature_seed: 0x51C0_0000_0000_0000 ^ seed,
            scratch: Default::default(),
            notes: Default::default(),
        }
    }

    /// Records that `knob` decided the current call's result, unless it is an SRC fact.
    pub(crate) fn knob<T: std::fmt::Debug>(&self, knob: &crate::profile::Knob<T>) {
        if knob.provenance != jetconform_interface::Provenance::Source {
            self.notes.borrow_mut().push(format!(
                "profile {}: {} = {:?} ({}; {})",
                self.profile.version, knob.name, knob.value, knob.provenance, knob.why
            ));
        }
    }

    /// The remarks gathered since the last call (see `knob`).
    pub fn take_notes(&mut self) -> Vec<String> {
        std::mem::take(self.notes.get_mut())
    }

    pub fn root(&self) -> &Path {
        &self.root
    }
    pub fn run_mode(&self) -> RunMode {
        self.mode
    }
    /// Handles of the live instances.
    pub fn instance_handles(&self) -> Vec<u64> {
        self.instances.iter().map(|i| i.handle).collect()
    }
    pub fn instance(&self, handle: u64) -> Option<&Instance> {
        self.instances.iter().find(|i| i.handle == handle)
    }

    pub(crate) fn tick(&mut self) -> u64 {
        self.clock += 1;
        self.clock
    }
    pub(crate) fn new_signature(&mut self) -> u64 {
        self.signature_seed = self.signature_seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        self.signature_seed
    }
    /// A handle this engine handed out once (live or stale).
    pub(crate) fn was_issued(&self, h: u64) -> bool {
        (FIRST_HANDLE..self.next_handle).contains(&h) && (h - FIRST_HANDLE) % HANDLE_STEP == 0
    }

    pub(crate) fn alloc_handle(&mut self) -> u64 {
        let h = self.next_handle;
        self.next_handle += HANDLE_STEP;
        h
    }
    pub(crate) fn alloc_sesid(&mut self) -> u64 {
        let s = self.next_sesid;
        self.next_sesid += 0x10;
        s
    }
    pub(crate) fn index_of(&self, handle: u64) -> Option<usize> {
        self.instances.iter().position(|i| i.handle == handle)
    }

    /// `FreePinst` (spec 4.1): removes the instance, its sessions, and resets the run mode when
    /// the last instance goes.
    pub(crate) fn free_instance(&mut self, idx: usize) {
        let inst = self.instances.remove(idx);
        self.sessions.retain(|_, h| *h != inst.handle);
        if self.instances.is_empty() {
            self.mode = RunMode::NoSet;
        }
    }

    pub(crate) fn resolve(&self, text: &str) -> PathBuf {
        crate::paths::resolve(&self.root, text)
    }

    pub(crate) fn is_locked(&self, p: &Path) -> bool {
        self.locks.iter().any(|l| crate::paths::same(l, p))
    }
}
