//! Browser code linked into both binaries, the page and the Python worker: each makes its own
//! view of the session's shared region, and both describe JS exceptions the same way.

pub mod js_error;
pub mod shared_region;
