//! Every file the tool writes (`--output`, reports, baselines, recorded scenarios, found
//! scenarios) is written to a temporary file in the same folder and renamed into place: a
//! reader, a crash or a signal never sees half a file, and the previous file stays whole
//! until the new one replaces it.

use std::io::{self, BufWriter, Write};
use std::path::Path;

/// Writes `path` through `fill`, atomically. An existing file keeps its permissions.
pub fn write_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut b = tempfile::Builder::new();
    b.prefix(".jetconform-").suffix(".tmp");
    let existing = std::fs::metadata(path).ok().map(|m| m.permissions());
    #[cfg(unix)]
    let default = {
        use std::os::unix::fs::PermissionsExt;
        // As a plain create would: 0666 less the umask (a temporary file is 0600).
        std::fs::Permissions::from_mode(0o666)
    };
    #[cfg(unix)]
    b.permissions(existing.unwrap_or(default));
    #[cfg(not(unix))]
    if let Some(p) = existing {
        b.permissions(p);
    }
    let mut tmp = b.tempfile_in(dir)?;
    {
        let mut w = BufWriter::new(tmp.as_file_mut());
        fill(&mut w)?;
        w.flush()?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Writes `bytes` to `path`, atomically.
pub fn write(path: &Path, bytes: impl AsRef<[u8]>) -> io::Result<()> {
    write_with(path, |w| w.write_all(bytes.as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("results.json");
        write(&p, "old").unwrap();
        let failed = write_with(&p, |w| {
            w.write_all(b"half")?;
            Err(io::Error::other("interrupted"))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "old");
        write(&p, "new").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(names.len(), 1, "no temporary file is left");
    }
}
