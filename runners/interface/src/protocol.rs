//! The wire protocol between jetconform and a runner in another process (`process:COMMAND`):
//! JSON lines over the runner's stdin and stdout. `docs/protocol.md` describes it with
//! example sessions; `docs/protocol.schema.json` is generated from these types.
//!
//! In short: the runner speaks first with a [`Hello`]; then jetconform sends [`Request`]s,
//! one at a time, and the runner answers each with exactly one [`Response`] carrying the
//! request's `id`. Every message is one line of JSON (no newline inside; UTF-8).
//!
//! The types live in the interface crate so that a runner written in Rust needs nothing
//! else; a runner in another language needs only the documentation or the schema.

use crate::call::Call;
use crate::observation::Observation;
use crate::runner::{RunnerError, RunnerInfo, ScenarioStart};
use serde::{Deserialize, Serialize};

/// The version of this protocol. A runner announces the one it speaks in its [`Hello`];
/// jetconform refuses any other (changes that old runners would misread bump it).
pub const PROTOCOL_VERSION: u32 = 1;

/// The first line a runner writes, before reading anything.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Hello {
    /// Always `"hello"`.
    #[serde(rename = "type")]
    pub kind: HelloKind,
    /// The protocol version the runner speaks ([`PROTOCOL_VERSION`]).
    pub protocol: u32,
    /// Who the runner is: its name, the Windows versions it runs or models, the machine
    /// (Windows and `esent.dll` versions when real), the harness verbs it implements.
    pub runner: RunnerInfo,
    /// The functions it exports or implements, by catalogue name (`JetBeginExternalBackupInstance`,
    /// `JetOpenFileInstanceW`, ...). Informational: a runner still answers calls to others
    /// (with `not_exported` or `not_modelled`). Names jetconform does not know are ignored.
    #[serde(default)]
    pub functions: Vec<String>,
    /// Whether the runner keeps state across scenarios in its process (a real ESENT does:
    /// its run mode is process-global, spec 4.1). jetconform then starts a fresh process for
    /// every scenario unless told otherwise (`--isolate`). Absent means `true`.
    #[serde(default = "default_true")]
    pub process_global_state: bool,
}

fn default_true() -> bool {
    true
}

/// The tag of a [`Hello`].
#[derive(
    Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum HelloKind {
    #[default]
    Hello,
}

impl Hello {
    pub fn new(runner: RunnerInfo, functions: Vec<String>, process_global_state: bool) -> Hello {
        Hello {
            kind: HelloKind::Hello,
            protocol: PROTOCOL_VERSION,
            runner,
            functions,
            process_global_state,
        }
    }
}

/// A request from jetconform. Ids are chosen by jetconform (increasing, unique for the life
/// of the process); the runner echoes them and otherwise does not interpret them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Request {
    pub id: u64,
    #[serde(flatten)]
    pub body: RequestBody,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RequestBody {
    /// Start a scenario: make a fresh sandbox directory and fresh engine state, behave as (or
    /// be judged against) `version`. Answered by `started` with the sandbox's path.
    Start(ScenarioStart),
    /// Make one call in the current scenario. Answered by `observation`.
    Call { call: Call },
    /// End the current scenario: tear its sandbox down. Answered by `ended`.
    End,
    /// Answer `bye`, then exit with status 0. (End of input means the same, without the answer.)
    Shutdown,
}

/// A runner's answer to the request with the same `id`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Response {
    /// The id of the request answered; `null` only in an `error` answering a line that was
    /// not a request at all (no id could be read from it).
    pub id: Option<u64>,
    #[serde(flatten)]
    pub body: ResponseBody,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ResponseBody {
    /// Answers `start`: the sandbox root in the runner's own world (paths of calls are
    /// relative to it; paths the runner returns are shown relative to it).
    Started { sandbox: String },
    /// Answers `call`.
    Observation { observation: Observation },
    /// Answers `end`.
    Ended,
    /// Answers `shutdown`.
    Bye,
    /// Answers any request the runner could not carry out: a malformed request (`protocol`),
    /// a scenario that could not start (`start`), an exception it caught and after which it
    /// exits (`crashed`), anything else (`other`).
    Error { error: RunnerError },
}

impl Response {
    pub fn new(id: Option<u64>, body: ResponseBody) -> Response {
        Response { id, body }
    }
    pub fn error(id: Option<u64>, error: RunnerError) -> Response {
        Response {
            id,
            body: ResponseBody::Error { error },
        }
    }
}

impl ResponseBody {
    /// The `type` tag, for messages about unexpected answers.
    pub fn kind(&self) -> &'static str {
        match self {
            ResponseBody::Started { .. } => "started",
            ResponseBody::Observation { .. } => "observation",
            ResponseBody::Ended => "ended",
            ResponseBody::Bye => "bye",
            ResponseBody::Error { .. } => "error",
        }
    }
}

impl RequestBody {
    /// The `type` tag, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            RequestBody::Start(_) => "start",
            RequestBody::Call { .. } => "call",
            RequestBody::End => "end",
            RequestBody::Shutdown => "shutdown",
        }
    }
}

/// Any line of the protocol, for the JSON Schema: the runner's first line is a `Hello`,
/// jetconform's lines are `Request`s, the runner's other lines are `Response`s.
#[derive(schemars::JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum Message {
    Hello(Hello),
    Request(Request),
    Response(Response),
}

/// The JSON Schema of every protocol line (`docs/protocol.schema.json`).
pub fn json_schema() -> schemars::Schema {
    let mut schema = schemars::schema_for!(Message);
    schema.insert(
        "title".into(),
        format!("jetconform runner protocol, version {PROTOCOL_VERSION}").into(),
    );
    schema.insert(
        "description".into(),
        "One line of the protocol between jetconform and an out-of-process runner: the runner's \
         first line is a Hello, jetconform's lines are Requests, the runner's other lines are \
         Responses. See docs/protocol.md."
            .into(),
    );
    schema
}
