//! Limits on what a scenario may ask for: a buffer is allocated (and may be written) once per
//! call by every runner, so `pv = { size = 4294967295 }` would cost 4 GiB per trial and
//! worker. Larger buffers are refused at `check` unless the cap is raised.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

/// The default cap on a buffer's size plus offset: 256 MiB (the corpus's largest is 1 MiB).
pub const DEFAULT_MAX_BUFFER_SIZE: u64 = 256 << 20;

/// The environment variable that raises (or lowers) the cap, like `--max-buffer-size`.
pub const MAX_BUFFER_SIZE_ENV: &str = "JETCONFORM_MAX_BUFFER_SIZE";

/// Set by the command line; 0 until then.
static CHOSEN: AtomicU64 = AtomicU64::new(0);

/// Sets the cap for this process (`--max-buffer-size`).
pub fn set_max_buffer_size(bytes: u64) {
    CHOSEN.store(bytes.max(1), Ordering::Relaxed);
}

/// The cap in force: `--max-buffer-size`, else `JETCONFORM_MAX_BUFFER_SIZE`, else 256 MiB.
pub fn max_buffer_size() -> u64 {
    match CHOSEN.load(Ordering::Relaxed) {
        0 => {
            static FROM_ENV: OnceLock<u64> = OnceLock::new();
            *FROM_ENV.get_or_init(|| {
                std::env::var(MAX_BUFFER_SIZE_ENV)
                    .ok()
                    .and_then(|t| parse_size(&t).ok())
                    .unwrap_or(DEFAULT_MAX_BUFFER_SIZE)
            })
        }
        n => n,
    }
}

/// A number of bytes: `268435456`, `64KiB`, `256MiB`, `1GiB` (also `K`, `M`, `G`, `KB`...,
/// all powers of 1024), from 1 byte to 4 GiB - 1 (a buffer's size is 32 bits).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => {
            return Err(format!(
                "`{text}` is not a size (write e.g. 268435456, 64KiB, 256MiB or 1GiB)"
            ))
        }
    };
    let n: u64 = digits.parse().map_err(|_| {
        format!("`{text}` is not a size (write e.g. 268435456, 64KiB, 256MiB or 1GiB)")
    })?;
    match n.checked_mul(1 << shift) {
        Some(b) if (1..=u64::from(u32::MAX)).contains(&b) => Ok(b),
        _ => Err(format!(
            "`{text}` is out of range: a buffer cap is from 1 byte to 4294967295 bytes (4 GiB - 1)"
        )),
    }
}

/// `256 MiB`, `1.5 GiB`, `4096 bytes`: a cap as people read it.
pub fn human(bytes: u64) -> String {
    for (shift, unit) in [(30, "GiB"), (20, "MiB"), (10, "KiB")] {
        if bytes >= 1 << shift {
            let v = bytes as f64 / (1u64 << shift) as f64;
            return if bytes % (1 << shift) == 0 {
                format!("{} {unit}", bytes >> shift)
            } else {
                format!("{v:.1} {unit}")
            };
        }
    }
    format!("{bytes} bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_units() {
        assert_eq!(parse_size("268435456"), Ok(256 << 20));
        assert_eq!(parse_size("256MiB"), Ok(256 << 20));
        assert_eq!(parse_size("1 GiB"), Ok(1 << 30));
        assert_eq!(parse_size("64k"), Ok(64 << 10));
        assert!(parse_size("4GiB").is_err());
        assert!(parse_size("0").is_err());
        assert!(parse_size("lots").is_err());
        assert_eq!(human(256 << 20), "256 MiB");
        assert_eq!(human(100), "100 bytes");
    }
}
