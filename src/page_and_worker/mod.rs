//! Browser code linked into both binaries, the page and the Python worker: each makes its own
//! view of the session's shared region, both describe JS exceptions the same way, and both
//! load ES modules with `import()`.

pub mod dynamic_import;
pub mod js_error;
pub mod shared_region;
