//! The whole workspace as one `.zip` file, for download.

use crate::logic::workspace::WorkspaceFile;
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// Why the archive could not be made.
#[derive(Debug, thiserror::Error)]
#[error("the workspace could not be packed into a zip file ({0})")]
pub struct ArchiveError(String);

/// A zip archive holding `files` (deflated), each under its own name.
pub fn zip(files: &[WorkspaceFile]) -> Result<Vec<u8>, ArchiveError> {
    let error = |e: &dyn std::fmt::Display| ArchiveError(e.to_string());
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    // Large files need the 64-bit format's fields; the limit per file keeps most below it.
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .large_file(false)
        .unix_permissions(0o644);
    for file in files {
        writer.start_file(file.name.as_str(), options).map_err(|e| error(&e))?;
        writer.write_all(&file.bytes).map_err(|e| error(&e))?;
    }
    Ok(writer.finish().map_err(|e| error(&e))?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn every_file_comes_back_out_of_the_zip_unchanged() {
        let files = vec![
            WorkspaceFile { name: "main.py".into(), bytes: "print('élève')\n".into() },
            WorkspaceFile { name: "données.csv".into(), bytes: b"a,b\n1,2\n".repeat(1000) },
            WorkspaceFile { name: "image.bin".into(), bytes: (0..=255u8).collect() },
            WorkspaceFile { name: "empty.txt".into(), bytes: Vec::new() },
        ];
        let bytes = zip(&files).expect("zip");
        assert!(bytes.len() < 8000 + 256 + 600, "compressed: {}", bytes.len());
        let mut archive = ::zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip file");
        assert_eq!(archive.len(), files.len());
        for file in &files {
            let mut entry = archive.by_name(&file.name).expect("present");
            let mut read = Vec::new();
            entry.read_to_end(&mut read).expect("readable");
            assert_eq!(read, file.bytes, "{}", file.name);
        }
    }
}
