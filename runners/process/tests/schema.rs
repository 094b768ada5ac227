//! `docs/protocol.schema.json` is generated from the protocol's types; this fails when it is
//! stale. `JETCONFORM_BLESS=1 cargo test -p jetconform-process --test schema` rewrites it.

use std::path::PathBuf;

#[test]
fn committed_schema_is_current() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/protocol.schema.json");
    let schema = jetconform_interface::protocol::json_schema();
    let fresh = serde_json::to_string_pretty(&schema).expect("a schema serializes") + "\n";
    if std::env::var_os("JETCONFORM_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&path, &fresh).expect("docs/protocol.schema.json is writable");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "docs/protocol.schema.json is stale or missing; rewrite it with \
         JETCONFORM_BLESS=1 cargo test -p jetconform-process --test schema"
    );
}
