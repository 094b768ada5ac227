//! Reading a results file: the format and version are checked before anything else, so a
//! file of another kind or a newer layout gets a clear message instead of a field error.

use super::{ResultsFile, FORMAT, VERSION};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} is not JSON: {source}", path.display())]
    Json {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("{} is not a jetconform results file (its `format` is {found}, expected \"{FORMAT}\"; write one with `jetconform run --output FILE`)", path.display())]
    Format { path: PathBuf, found: String },
    #[error("{} is a results file of version {found}; this jetconform reads version {VERSION}", path.display())]
    Version { path: PathBuf, found: String },
    #[error("{} is not a valid results file: {source}", path.display())]
    Shape {
        path: PathBuf,
        source: serde_json::Error,
    },
}

pub fn load(path: &Path) -> Result<ResultsFile, LoadError> {
    let text = std::fs::read_to_string(path).map_err(|source| LoadError::Read {
        path: path.into(),
        source,
    })?;
    parse(&text, path)
}

pub fn parse(text: &str, path: &Path) -> Result<ResultsFile, LoadError> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|source| LoadError::Json {
            path: path.into(),
            source,
        })?;
    let format = value.get("format");
    if format.and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(LoadError::Format {
            path: path.into(),
            found: format
                .map(|f| f.to_string())
                .unwrap_or_else(|| "missing".into()),
        });
    }
    let version = value.get("version");
    if version.and_then(|v| v.as_u64()) != Some(VERSION as u64) {
        return Err(LoadError::Version {
            path: path.into(),
            found: version
                .map(|v| v.to_string())
                .unwrap_or_else(|| "missing".into()),
        });
    }
    serde_json::from_value(value).map_err(|source| LoadError::Shape {
        path: path.into(),
        source,
    })
}
