//! The layout of CPython's file system and environment before it starts, as
//! `src/worker/python/layout.json` gives it (the worker and `python-dist/node-loader.mjs`
//! both read that file, so every host runs the same interpreter).

use serde::Deserialize;
use std::collections::BTreeMap;

/// Directories, files, devices and environment variables of a fresh interpreter.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PythonLayout {
    /// Made first, with their parents.
    pub directories: Vec<String>,
    /// Where the core standard library zip is written.
    pub core_zip: String,
    /// Where the rest of the standard library goes once fetched.
    pub extra_zip: String,
    /// Small files written before Python starts.
    pub files: Vec<LayoutFile>,
    /// Major number of our character devices (one Emscripten does not use).
    pub device_major: u32,
    /// Character devices served by the host.
    pub devices: Vec<LayoutDevice>,
    /// Environment variables.
    pub environment: BTreeMap<String, String>,
    /// Python's working directory, where a program's file is written.
    pub working_directory: String,
}

/// A file of the layout: its text inline, or the name of a file beside `layout.json`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct LayoutFile {
    pub path: String,
    #[serde(flatten)]
    pub content: FileContent,
}

/// Where a layout file's text comes from.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileContent {
    Text(String),
    Source(String),
}

/// A character device and what it serves.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct LayoutDevice {
    pub path: String,
    pub minor: u32,
    pub serves: DeviceRole,
}

/// What a device does for Python (see `sitecustomize.py` and the stdlib's extra hook).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeviceRole {
    /// Reading gives "COLUMNS ROWS" of the page's terminal.
    TerminalSize,
    /// Writing a number of seconds blocks that long, or until Ctrl+C (EINTR).
    Sleep,
    /// Reading installs the rest of the standard library and answers "ok" or why not.
    StdlibExtra,
    /// Writing "repl-started" tells the page the interactive prompt begins.
    Session,
    /// Turtle graphics: writing sends drawing to the page, waits for its events or measures
    /// text; reading takes the events (or the measure). See `canvas_protocol`.
    Canvas,
}

impl PythonLayout {
    /// The device number of `device`, as `FS.registerDevice` and `FS.mkdev` take it.
    pub fn device_number(&self, device: &LayoutDevice) -> u32 {
        (self.device_major << 8) | device.minor
    }

    /// The path of the device serving `role`, if the layout has one.
    pub fn device_path(&self, role: DeviceRole) -> Option<&str> {
        self.devices.iter().find(|d| d.serves == role).map(|d| d.path.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAYOUT: &str = include_str!("../worker/python/layout.json");

    fn layout() -> PythonLayout {
        serde_json::from_str(LAYOUT).expect("layout.json matches PythonLayout")
    }

    #[test]
    fn every_role_has_one_device_with_its_own_number() {
        let layout = layout();
        for role in [
            DeviceRole::TerminalSize,
            DeviceRole::Sleep,
            DeviceRole::StdlibExtra,
            DeviceRole::Session,
            DeviceRole::Canvas,
        ] {
            assert_eq!(layout.devices.iter().filter(|d| d.serves == role).count(), 1, "{role:?}");
        }
        let mut numbers: Vec<u32> = layout.devices.iter().map(|d| layout.device_number(d)).collect();
        numbers.dedup();
        assert_eq!(numbers.len(), layout.devices.len());
        assert_eq!(layout.device_path(DeviceRole::Sleep), Some("/dev/sleep"));
    }

    #[test]
    fn every_source_file_exists_beside_the_layout() {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/worker/python");
        for file in layout().files {
            if let FileContent::Source(name) = &file.content {
                assert!(folder.join(name).is_file(), "{name} named by layout.json");
            }
        }
    }

    #[test]
    fn python_finds_its_landmark_and_the_site_packages_directory() {
        let layout = layout();
        assert!(layout.files.iter().any(|f| f.path == "/lib/python3.13/os.py"));
        assert!(layout.directories.iter().any(|d| d == "/lib/python3.13/site-packages"));
        assert!(layout.core_zip.ends_with("python313.zip"));
    }
}
