//! WebAssembly bindings of `helpscout-query`, for the JavaScript package in
//! `js/` (which wraps them in plain functions and objects; use that).
//!
//! Every function takes strings and answers one JSON envelope (see
//! [`jobs`]): strings cross the boundary cheaply, and the wrapper parses the
//! answer once. The bindings are thin: how each job is done lives in
//! [`jobs`] only. The clock is never read here: `NOW` is what JavaScript
//! passes in.
#![deny(unsafe_code)]
#![warn(missing_docs)]

pub mod jobs;
pub mod position;

use wasm_bindgen::prelude::wasm_bindgen;

/// The canonical form (`hsq fmt`).
#[wasm_bindgen]
pub fn format(query: &str) -> String {
    jobs::format(query)
}

/// The diagnostics against a schema, `customers` or `conversations` (`hsq check`).
#[wasm_bindgen]
pub fn check(query: &str, schema: &str) -> String {
    jobs::check(query, schema)
}

/// The query repaired by the lenient parser (`hsq fmt --fix`).
#[wasm_bindgen]
pub fn fix(query: &str) -> String {
    jobs::fix(query)
}

/// The tree as JSON (`hsq explain --json`), or as text (`hsq explain`).
#[wasm_bindgen]
pub fn explain(query: &str, text: bool) -> String {
    jobs::explain(query, text)
}

/// The canonical request URL (`hsq url`); `base` empty for Help Scout's.
#[wasm_bindgen]
pub fn url(params: &str, base: Option<String>) -> String {
    jobs::url(params, base.as_deref())
}

/// The HAL page over `records` (JSON text), `NOW` being `now_ms` (`hsq customers`).
#[wasm_bindgen]
pub fn customers(params: &str, records: &str, now_ms: f64) -> String {
    jobs::customers(params, records, now_ms)
}

/// Customer records loaded once, answering many requests.
#[wasm_bindgen]
pub struct Dataset(jobs::Dataset);

#[wasm_bindgen]
impl Dataset {
    /// Loads a JSON array, a HAL page or NDJSON; throws on bad data.
    #[wasm_bindgen(constructor)]
    pub fn new(records: &str) -> Result<Dataset, wasm_bindgen::JsError> {
        jobs::Dataset::load(records)
            .map(Dataset)
            .map_err(|message| wasm_bindgen::JsError::new(&message))
    }

    /// How many records it holds.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.0.len()
    }

    /// The HAL page for `params` over these records (`hsq customers`).
    pub fn answer(&self, params: &str, now_ms: f64) -> String {
        self.0.answer(params, now_ms)
    }
}
