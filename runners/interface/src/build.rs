//! Engine builds other than Microsoft's `esent.dll` that a runner can say it runs, so the
//! harness judges them against what is known of that build (spec 15.8).

use crate::version::WinVersion;

/// A build of the engine whose expectations differ from `esent.dll`'s.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum EngineBuild {
    /// Microsoft's open-source ESE (`ese.dll`, `libese.so`) built in retail: the engine the
    /// spec's source reading describes, without the ESENT-only parts. Instance handles are not
    /// validated (`JET_VALIDATE_INSTANCE` is compiled only under `DEBUG || ESENT`, spec 15.8),
    /// and its default of `JET_paramLegacyFileNames` is not ESENT's 0x3 (spec 9 gives only
    /// ESENT's): which log and checkpoint names it uses by default is unknown.
    EseOss,
}

impl EngineBuild {
    pub const ALL: [EngineBuild; 1] = [EngineBuild::EseOss];

    /// The profile name (`--profile ese-oss`).
    pub fn name(self) -> &'static str {
        match self {
            EngineBuild::EseOss => "ese-oss",
        }
    }

    pub fn parse(text: &str) -> Option<EngineBuild> {
        EngineBuild::ALL.into_iter().find(|b| b.name() == text)
    }

    /// The build a library's file name says it is: `ese.dll` / `libese.so` (any case, any
    /// folder) is the open-source engine.
    pub fn from_library_path(path: &str) -> Option<EngineBuild> {
        let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
        let file = file.to_ascii_lowercase();
        matches!(file.as_str(), "ese.dll" | "libese.so").then_some(EngineBuild::EseOss)
    }

    /// The release whose expectations this build is judged by: the open-source engine is the
    /// modern code base the spec's source reading describes (Windows 10/11).
    pub fn judged_as(self) -> WinVersion {
        match self {
            EngineBuild::EseOss => WinVersion::Win11,
        }
    }

    /// One line for reports and `--help`.
    pub fn description(self) -> &'static str {
        match self {
            EngineBuild::EseOss => {
                "the open-source ese.dll in retail: judged as win11, without instance-handle \
                 validation (-1115 never expected, spec 15.8), and with its default log file \
                 names unknown (scenarios that name log or checkpoint files are not judged)"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_library_files() {
        assert_eq!(EngineBuild::parse("ese-oss"), Some(EngineBuild::EseOss));
        assert_eq!(EngineBuild::parse("esent"), None);
        for p in ["ese.dll", "C:\\build\\ESE.DLL", "/opt/ese/lib/libese.so"] {
            assert_eq!(
                EngineBuild::from_library_path(p),
                Some(EngineBuild::EseOss),
                "{p}"
            );
        }
        for p in [
            "esent.dll",
            "target/release/libesent.so",
            "libese.so.1",
            "myese.dll",
        ] {
            assert_eq!(EngineBuild::from_library_path(p), None, "{p}");
        }
    }
}
