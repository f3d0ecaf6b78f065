//! Which addresses Python may offer to open in a new tab (`webbrowser.open`): web pages only,
//! never script or data URLs, and only once the student clicks.

/// Why an address is not offered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    #[error("only web addresses (http:// or https://) can be opened, not “{0}”")]
    NotWeb(String),
}

/// The address to offer, trimmed, if it is a web page's.
pub fn web_address(url: &str) -> Result<String, AddressError> {
    let url = url.trim();
    let scheme_end = url.find("://").unwrap_or(0);
    let scheme = url[..scheme_end].to_ascii_lowercase();
    let has_host = url[scheme_end..].len() > 3;
    if (scheme == "http" || scheme == "https") && has_host && !url.chars().any(char::is_control) {
        Ok(url.to_owned())
    } else {
        Err(AddressError::NotWeb(url.chars().take(80).collect()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_pages_are_offered_and_nothing_else() {
        assert_eq!(web_address(" https://xkcd.com/353/ "), Ok("https://xkcd.com/353/".into()));
        assert_eq!(web_address("HTTP://example.org"), Ok("HTTP://example.org".into()));
        for refused in [
            "javascript:alert(1)",
            "data:text/html,<b>x</b>",
            "file:///etc/passwd",
            "https://",
            "xkcd.com",
            "https://a\nb",
        ] {
            assert!(web_address(refused).is_err(), "{refused}");
        }
    }
}
