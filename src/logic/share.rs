//! Share links: a file carried in the page address's fragment (compressed; a fragment never
//! reaches a server), or a teacher's link naming a file published beside the page.

use crate::logic::documents::is_file_name;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use flate2::Compression;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use std::io::{Read, Write};

/// The longest link the page hands out: every browser opens far longer addresses (Chromium
/// 2 MB), but chat apps, mail and school platforms cut or refuse links well before.
pub const MAX_LINK_CHARS: usize = 32_000;

/// The most bytes a link may unpack to (a link of 32 000 characters can hold a deflate bomb).
pub const MAX_SHARED_BYTES: u64 = 2_000_000;

/// The fragment key of a file carried in the link.
const INLINE_KEY: &str = "share=";
/// The fragment key of a teacher's link to a file published on the same site.
const PUBLISHED_KEY: &str = "open=";
/// The payload's first byte: its layout (then the name, a NUL, and the file's bytes).
const FORMAT_VERSION: u8 = 1;

/// What a shared link brings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SharedFile {
    /// A file carried in the link itself.
    Inline { name: String, bytes: Vec<u8> },
    /// A file published on the same site, at `path` (relative to the page's address).
    Published { path: String, name: String },
}

/// Why a link could not be made or opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShareError {
    #[error("this share link is damaged or cut short ({0}): ask for the whole link again")]
    Corrupt(String),
    #[error(
        "{name} is too big for a link ({chars} characters; links longer than {MAX_LINK_CHARS} \
         break in chat apps and mail): download the file and send it instead"
    )]
    TooLong { name: String, chars: usize },
    #[error(
        "the link names “{0}”, which is not a file this page can open (a path on this site, such as exercises/loops.py)"
    )]
    BadPath(String),
}

/// The fragment (without `#`) of a link that carries `name` and its `bytes`.
pub fn fragment_for(name: &str, bytes: &[u8]) -> Result<String, ShareError> {
    let mut payload = Vec::with_capacity(name.len() + 2 + bytes.len());
    payload.push(FORMAT_VERSION);
    payload.extend_from_slice(name.as_bytes());
    payload.push(0);
    payload.extend_from_slice(bytes);
    let mut encoder = DeflateEncoder::new(Vec::new(), Compression::best());
    // Writing to a Vec cannot fail.
    let compressed = encoder.write_all(&payload).and_then(|()| encoder.finish()).unwrap_or_default();
    let fragment = format!("{INLINE_KEY}{}", URL_SAFE_NO_PAD.encode(compressed));
    if fragment.len() > MAX_LINK_CHARS {
        return Err(ShareError::TooLong { name: name.to_owned(), chars: fragment.len() });
    }
    Ok(fragment)
}

/// What the fragment (without `#`) of the page's address shares, if it shares anything.
pub fn parse_fragment(fragment: &str) -> Option<Result<SharedFile, ShareError>> {
    let fragment = fragment.trim_start_matches('#');
    if let Some(encoded) = fragment.strip_prefix(INLINE_KEY) {
        return Some(parse_inline(encoded));
    }
    let path = fragment.strip_prefix(PUBLISHED_KEY)?;
    Some(parse_published(path))
}

fn parse_inline(encoded: &str) -> Result<SharedFile, ShareError> {
    let corrupt = |what: &str| ShareError::Corrupt(what.to_owned());
    let compressed = URL_SAFE_NO_PAD
        .decode(encoded.trim_end_matches('='))
        .map_err(|_| corrupt("it has characters a share link never has"))?;
    let mut payload = Vec::new();
    DeflateDecoder::new(compressed.as_slice())
        .take(MAX_SHARED_BYTES + 1)
        .read_to_end(&mut payload)
        .map_err(|_| corrupt("its data does not unpack"))?;
    if payload.len() as u64 > MAX_SHARED_BYTES {
        return Err(corrupt("it unpacks to more than a shared file may hold"));
    }
    let (&version, rest) = payload.split_first().ok_or_else(|| corrupt("it is empty"))?;
    if version != FORMAT_VERSION {
        return Err(corrupt("it was made by a newer version of this page"));
    }
    let end = rest.iter().position(|&b| b == 0).ok_or_else(|| corrupt("it has no file name"))?;
    let name = std::str::from_utf8(&rest[..end]).map_err(|_| corrupt("its file name is not text"))?;
    if !is_file_name(name) {
        return Err(corrupt("its file name is not usable"));
    }
    Ok(SharedFile::Inline { name: name.to_owned(), bytes: rest[end + 1..].to_vec() })
}

/// A teacher's link: a relative path on this site, in plain segments (letters, digits,
/// `-`, `_`, `.`; no `..`, no scheme, no host), so it can only name a file beside the page.
fn parse_published(path: &str) -> Result<SharedFile, ShareError> {
    let bad = || ShareError::BadPath(path.chars().take(80).collect());
    let plain_segment = |s: &str| {
        !s.is_empty()
            && !s.starts_with('.')
            && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    if path.len() > 200 || !path.split('/').all(plain_segment) {
        return Err(bad());
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    if !is_file_name(name) {
        return Err(bad());
    }
    Ok(SharedFile::Published { path: path.to_owned(), name: name.to_owned() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inline(fragment: &str) -> Result<SharedFile, ShareError> {
        parse_fragment(fragment).expect("a share fragment")
    }

    #[test]
    fn a_file_goes_through_a_link_unchanged() {
        for (name, bytes) in [
            ("main.py", "print('élève 学生 🐍')\n".as_bytes().to_vec()),
            ("data.bin", (0..=255u8).collect::<Vec<_>>()),
            ("empty.txt", Vec::new()),
        ] {
            let fragment = fragment_for(name, &bytes).expect("small enough");
            assert!(fragment.chars().all(|c| c.is_ascii_alphanumeric() || "=-_".contains(c)), "{fragment}");
            assert_eq!(inline(&format!("#{fragment}")), Ok(SharedFile::Inline { name: name.into(), bytes }));
        }
    }

    #[test]
    fn a_program_is_compressed() {
        let program = "for i in range(10):\n    print(i * i)\n".repeat(50);
        let fragment = fragment_for("main.py", program.as_bytes()).expect("small enough");
        assert!(fragment.len() < program.len() / 10, "{} for {}", fragment.len(), program.len());
    }

    #[test]
    fn a_file_too_big_for_a_link_says_so() {
        // Bytes that do not compress.
        let mut state = 1u32;
        let noise: Vec<u8> = (0..40_000)
            .map(|_| {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
                (state >> 16) as u8
            })
            .collect();
        let error = fragment_for("noise.bin", &noise).expect_err("too long");
        assert!(matches!(error, ShareError::TooLong { chars, .. } if chars > MAX_LINK_CHARS));
        assert!(error.to_string().contains("download"));
    }

    #[test]
    fn a_cut_or_damaged_link_is_refused_with_a_reason() {
        let fragment = fragment_for("main.py", "print('hello, world')\n".repeat(20).as_bytes()).expect("ok");
        for broken in [
            fragment[..fragment.len() / 2].to_owned(),
            format!("{fragment}!!"),
            INLINE_KEY.to_owned(),
            format!("{INLINE_KEY}AAAA"),
        ] {
            assert!(matches!(inline(&broken), Err(ShareError::Corrupt(_))), "{broken}");
        }
    }

    #[test]
    fn a_link_cannot_name_a_folder_or_a_bad_file() {
        let mut payload = vec![FORMAT_VERSION];
        payload.extend_from_slice(b"../etc/passwd\0x");
        let mut encoder = DeflateEncoder::new(Vec::new(), Compression::best());
        encoder.write_all(&payload).expect("vec");
        let fragment = format!("{INLINE_KEY}{}", URL_SAFE_NO_PAD.encode(encoder.finish().expect("vec")));
        assert!(matches!(inline(&fragment), Err(ShareError::Corrupt(_))));
    }

    #[test]
    fn a_deflate_bomb_is_refused() {
        let mut payload = vec![FORMAT_VERSION];
        payload.extend_from_slice(b"bomb.txt\0");
        payload.resize(payload.len() + MAX_SHARED_BYTES as usize + 10, b'a');
        let mut encoder = DeflateEncoder::new(Vec::new(), Compression::best());
        encoder.write_all(&payload).expect("vec");
        let fragment = format!("{INLINE_KEY}{}", URL_SAFE_NO_PAD.encode(encoder.finish().expect("vec")));
        assert!(fragment.len() < MAX_LINK_CHARS);
        assert!(matches!(inline(&fragment), Err(ShareError::Corrupt(_))));
    }

    #[test]
    fn a_teachers_link_names_a_file_on_the_same_site() {
        assert_eq!(
            inline("open=exercises/week-1/loops.py"),
            Ok(SharedFile::Published { path: "exercises/week-1/loops.py".into(), name: "loops.py".into() })
        );
        for bad in [
            "open=../secret.py",
            "open=/etc/passwd",
            "open=https://example.org/x.py",
            "open=//example.org/x.py",
            "open=a/%2e%2e/x.py",
            "open=",
            "open=folder/",
        ] {
            assert!(matches!(inline(bad), Err(ShareError::BadPath(_))), "{bad}");
        }
    }

    #[test]
    fn other_fragments_share_nothing() {
        assert_eq!(parse_fragment(""), None);
        assert_eq!(parse_fragment("#section-2"), None);
    }
}
