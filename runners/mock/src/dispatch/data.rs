//! The table and record calls, from a `Call` to the typed engine (`tables.rs`,
//! `records.rs`) and back to an `Observation`.

use super::args::Args;
use crate::engine::Engine;
use crate::tables::ColumnDef;
use crate::NotModelled;
use jetconform_interface::{ErrorCode, Observation, Op, OutValue, Text};

type E = ErrorCode;

fn handle_out(o: Observation, name: &str, present: bool, v: Option<u64>) -> Observation {
    if !present {
        return o;
    }
    o.with_output(name, v.map(OutValue::Handle).unwrap_or(OutValue::Unwritten))
}

fn u32_out(o: Observation, name: &str, present: bool, v: Option<u32>) -> Observation {
    if !present {
        return o;
    }
    o.with_output(name, v.map(OutValue::U32).unwrap_or(OutValue::Unwritten))
}

/// A structure pointer the mock does not model must be NULL.
fn null_only(a: &Args, i: usize) -> Result<(), NotModelled> {
    if a.handle(i)? != 0 {
        return Err(NotModelled(format!(
            "{} other than NULL is not modelled",
            a.name(i)
        )));
    }
    Ok(())
}

impl Engine {
    /// The bytes of a data argument (`StrKind::Data`), cut to the size passed with it.
    fn data_arg(&self, t: Option<&Text>, cb: u32) -> Option<Vec<u8>> {
        t.map(|t| {
            let mut b = match t {
                Text::Plain(s) | Text::Raw(s) => s.as_bytes().to_vec(),
                other => self.text_to_string(other).into_bytes(),
            };
            b.truncate(cb as usize);
            b
        })
    }

    pub(super) fn dispatch_data(&mut self, a: &Args, op: Op) -> Result<Observation, NotModelled> {
        let sesid = a.handle(0)?;
        let ret = |c: ErrorCode| Ok(Observation::returned(c));
        match op {
            Op::CreateTable | Op::OpenTable => {
                let name = a.text(2)?.map(|t| self.text_to_string(t));
                let (present, r) = if op == Op::CreateTable {
                    (
                        a.out(5)?,
                        self.create_table(sesid, a.u32(1)?, name.as_deref()),
                    )
                } else {
                    null_only(a, 3)?;
                    (
                        a.out(6)?,
                        self.open_table(sesid, a.u32(1)?, name.as_deref()),
                    )
                };
                let o = Observation::returned(r.err().unwrap_or(E::JET_errSuccess));
                Ok(handle_out(o, "ptableid", present, r.ok()))
            }
            Op::CloseTable => ret(self.close_table(sesid, a.handle(1)?)),
            Op::Delete => ret(self.delete_record(sesid, a.handle(1)?)),
            Op::AddColumn => {
                if a.text(4)?.is_some() {
                    return Err(NotModelled("JetAddColumn with a default value".into()));
                }
                let name = a.text(2)?.map(|t| self.text_to_string(t));
                let def = ColumnDef {
                    coltyp: a.u32(3)?,
                    cb_max: 0,
                    grbit: 0,
                };
                let r = self.add_column(sesid, a.handle(1)?, name.as_deref(), Some(&def));
                let o = Observation::returned(r.err().unwrap_or(E::JET_errSuccess));
                Ok(u32_out(o, "pcolumnid", a.out(6)?, r.ok()))
            }
            Op::PrepareUpdate => ret(self.prepare_update(sesid, a.handle(1)?, a.u32(2)?)),
            Op::SetColumn => {
                null_only(a, 6)?;
                let data = self.data_arg(a.text(3)?, a.u32(4)?);
                ret(self.set_column(sesid, a.handle(1)?, a.u32(2)?, data.as_deref(), a.u32(5)?))
            }
            Op::Update => {
                let r = self.update(sesid, a.handle(1)?);
                let o = Observation::returned(r.err().unwrap_or(E::JET_errSuccess));
                let size = r.ok().filter(|_| a.buffer(2).ok().flatten().is_some());
                Ok(u32_out(o, "pcbActual", a.out(4)?, size))
            }
            Op::RetrieveColumn => {
                null_only(a, 7)?;
                let buf = a.buffer(3)?;
                let cb = if buf.is_some() { a.u32(4)? } else { 0 };
                let (pcb, grbit) = (a.out(5)?, a.u32(6)?);
                let (code, got) =
                    match self.retrieve_column(sesid, a.handle(1)?, a.u32(2)?, cb, grbit) {
                        Ok(x) => x,
                        Err(e) => return ret(e),
                    };
                let mut o = Observation::returned(code);
                if buf.is_some() {
                    let text = String::from_utf8_lossy(&got.data).into_owned();
                    let written = !got.data.is_empty();
                    o = o.with_output(
                        "pvData",
                        if written {
                            OutValue::Strings {
                                items: vec![text],
                                terminated: true,
                            }
                        } else {
                            OutValue::Unwritten
                        },
                    );
                }
                Ok(u32_out(o, "pcbActual", pcb, Some(got.actual)))
            }
            Op::Move => ret(self.move_cursor(sesid, a.handle(1)?, a.i32(2)?)),
            _ => Err(NotModelled(format!("{op:?} is not a table call"))),
        }
    }
}
