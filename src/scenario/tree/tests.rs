//! The tree built from events is the tree `toml` builds, spans included, on every file of the
//! corpus and of the bad-input tests that `build.rs` takes on.

use super::{build, convert, Node, Table, Value};
use std::path::Path;

/// Equal values with equal spans (toml's `Spanned` compares the values alone).
fn same_table(a: &Table<'_>, b: &Table<'_>) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b.iter())
            .all(|((ka, va), (kb, vb))| ka.span() == kb.span() && ka == kb && same(va, vb))
}

fn same(a: &Node<'_>, b: &Node<'_>) -> bool {
    a.span() == b.span()
        && match (a.get_ref(), b.get_ref()) {
            (Value::Array(x), Value::Array(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
            }
            (Value::Table(x), Value::Table(y)) => same_table(x, y),
            (x, y) => x == y,
        }
}

fn toml_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            toml_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "toml") {
            out.push(p);
        }
    }
}

#[test]
fn built_as_toml_builds_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for d in ["cases", "tests"] {
        toml_files(&root.join(d), &mut files);
    }
    let (mut built, mut left) = (0, 0);
    for f in &files {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        let ours = build::document(&text);
        let theirs = toml::de::DeTable::parse(&text).map(|d| convert::table(d.into_inner()));
        match (ours, theirs) {
            (Some(o), Ok(t)) => {
                assert!(same_table(&o, &t), "{} is built otherwise", f.display());
                built += 1;
            }
            (Some(_), Err(e)) => panic!("{} built, but toml rejects it: {e}", f.display()),
            (None, _) => left += 1,
        }
    }
    // Every scenario of the corpus is built here; what is left is bad input.
    assert!(built > 250, "built {built}, left {left}");
}

#[rstest::rstest]
#[case::dotted_key("a.b = 1\n")]
#[case::twice("a = 1\na = 2\n")]
#[case::table_twice("[t]\n[t]\n")]
#[case::implicit_parent("[a.b]\n")]
#[case::into_inline_array("step = [{}]\n[[step.do]]\n")]
#[case::date("d = 1979-05-27\n")]
#[case::bad_escape("s = \"\\q\"\n")]
#[case::inline_twice("t = { a = 1, a = 2 }\n")]
#[case::unclosed("t = [1, 2\n")]
fn what_it_leaves_to_toml(#[case] text: &str) {
    assert!(build::document(text).is_none());
}

#[rstest::rstest]
#[case("title = \"x\"\n[[step]]\ncall = \"J\"\n[[step.do]]\nn = 0x1F\n[[step.do]]\n[[step]]\nf = 1.5\n")]
#[case("a = [1, [2, { b = 'c' }], ]\nt = {}\n[params]\nk = true # c\n")]
#[case("s = \"\"\"\nmulti \\u00e9\"\"\"\nn = 1_000\n")]
fn what_it_builds_as_toml_does(#[case] text: &str) {
    let ours = build::document(text).expect("built");
    let theirs = convert::table(toml::de::DeTable::parse(text).unwrap().into_inner());
    assert!(same_table(&ours, &theirs), "{ours:?}\n{theirs:?}");
}

/// Lines that documents are made of at random: the forms `build.rs` takes on, the forms it
/// leaves to toml, and errors.
const LINES: &[&str] = &[
    "a = 1",
    "a = 2",
    "b = \"x\"",
    "c = 'lit'",
    "d = [1, 2,]",
    "d = 1",
    "e = { x = 1, y = [true] }",
    "e = {}",
    "e = { x.y = 1 }",
    "f = 1979-05-27",
    "f = 1979-13-99",
    "g = 1.5",
    "h = 0x1F",
    "i = 1_000",
    "n = -0",
    "q = +1",
    "w = inf",
    "v = nan",
    "a.b = 1",
    "[t]",
    "[t.u]",
    "[[s]]",
    "[[s.d]]",
    "[[s.d.e]]",
    "[s]",
    "[[t]]",
    "[s.d]",
    "[ s . d ]",
    "[\"s\"]",
    "[[ s ]]",
    "s = [{ }]",
    "# c",
    "",
    "k = \"\"\"\nmulti\"\"\"",
    "bad = \"\\q\"",
    "u = \"\\u00e9\"",
    "x = [",
    "]",
    "y = { a = 1, a = 2 }",
    "z = [[1], {a = 1}]",
    "\"quoted key\" = 1",
    "'lit key' = 2",
    "m = { a = 1,\n b = 2 }",
    "a = 1 # end",
];

proptest::proptest! {
    /// A document `build.rs` takes on is one toml accepts, and its tree is toml's.
    #[test]
    fn built_only_as_toml_builds_it(
        lines in proptest::collection::vec(proptest::sample::select(LINES), 0..14),
        noise in proptest::option::of((0usize..400, proptest::sample::select(&b"[]=\"\n .,{}#x'"[..]))),
    ) {
        let mut text = lines.join("\n");
        if let Some((at, c)) = noise {
            text.insert(at.min(text.len()), c as char);
        }
        let theirs = toml::de::DeTable::parse(&text);
        match (build::document(&text), theirs) {
            (Some(o), Ok(t)) => proptest::prop_assert!(
                same_table(&o, &convert::table(t.into_inner())),
                "built otherwise:\n{text}"
            ),
            (Some(_), Err(e)) => proptest::prop_assert!(false, "built, but toml says {e}:\n{text}"),
            (None, _) => {}
        }
    }
}
