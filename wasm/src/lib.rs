//! WebAssembly bindings of `helpscout-query`, for the JavaScript package in
//! `js/` (which wraps them in plain functions and objects; use that).
//!
//! Every function takes strings and answers one JSON envelope (see
//! [`jobs`]): strings cross the boundary cheaply, and the wrapper parses the
//! answer once. The bindings are thin: how each job is done lives in
//! [`jobs`] only. The clock is never read here: `NOW` is what JavaScript
//! passes in.
//!
//! Two modules come from this crate, by feature: `validate` exports
//! [`format`], [`check`], [`fix`], [`explain`] and [`url`]; `customers`
//! exports [`customers`] and [`Dataset`], so that a page that only validates
//! never downloads the filtering code. Only the exports are gated: the
//! linker drops the jobs a module does not export.
#![deny(unsafe_code)]
#![warn(missing_docs)]

pub mod jobs;
pub mod position;

use wasm_bindgen::prelude::wasm_bindgen;

/// The canonical form (`hsq fmt`).
#[cfg(feature = "validate")]
#[wasm_bindgen]
pub fn format(query: &str) -> String {
    jobs::format(query)
}

/// The diagnostics against a schema, `customers` or `conversations` (`hsq check`).
#[cfg(feature = "validate")]
#[wasm_bindgen]
pub fn check(query: &str, schema: &str) -> String {
    jobs::check(query, schema)
}

/// The query repaired by the lenient parser (`hsq fmt --fix`).
#[cfg(feature = "validate")]
#[wasm_bindgen]
pub fn fix(query: &str) -> String {
    jobs::fix(query)
}

/// The tree as JSON (`hsq explain --json`), or as text (`hsq explain`).
#[cfg(feature = "validate")]
#[wasm_bindgen]
pub fn explain(query: &str, text: bool) -> String {
    jobs::explain(query, text)
}

/// The canonical request URL (`hsq url`); `base` empty for Help Scout's.
#[cfg(feature = "validate")]
#[wasm_bindgen]
pub fn url(params: &str, base: Option<String>) -> String {
    jobs::url(params, base.as_deref())
}

/// The HAL page over `records` (JSON text), `NOW` being `now_ms` (`hsq customers`).
#[cfg(feature = "customers")]
#[wasm_bindgen]
pub fn customers(params: &str, records: &str, now_ms: f64) -> String {
    jobs::customers(params, records, now_ms)
}

/// Customer records loaded once, answering many requests.
#[cfg(feature = "customers")]
#[wasm_bindgen]
pub struct Dataset(jobs::Dataset);

#[cfg(feature = "customers")]
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
