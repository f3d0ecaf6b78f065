//! A Python REPL in a browser tab: shared logic of the page (`app`) and the worker.
//!
//! Pure modules (protocol, shared-memory layout, input parsing, line discipline, output
//! batching, compatibility mode's relayed state) build and test natively; everything that
//! touches the browser is in `web` and `components`, compiled for wasm32 only.

pub mod input_event;
pub mod line_discipline;
pub mod output_batch;
pub mod protocol;
pub mod relay_state;
pub mod shared_memory;

#[cfg(target_arch = "wasm32")]
pub mod components;
#[cfg(target_arch = "wasm32")]
pub mod web;
