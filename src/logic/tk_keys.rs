//! Tk's names for keys (keysyms) and the characters they type, from the browser's
//! `KeyboardEvent.key`, for turtle's `onkey`.

/// Tk's name for a key (its keysym), from the browser's `KeyboardEvent.key`.
pub fn keysym(key: &str) -> String {
    let named = match key {
        "ArrowUp" => "Up",
        "ArrowDown" => "Down",
        "ArrowLeft" => "Left",
        "ArrowRight" => "Right",
        "Enter" => "Return",
        "Backspace" => "BackSpace",
        "PageUp" => "Prior",
        "PageDown" => "Next",
        "Shift" => "Shift_L",
        "Control" => "Control_L",
        "Alt" => "Alt_L",
        "Meta" => "Meta_L",
        "CapsLock" => "Caps_Lock",
        " " => "space",
        "!" => "exclam",
        "\"" => "quotedbl",
        "#" => "numbersign",
        "$" => "dollar",
        "%" => "percent",
        "&" => "ampersand",
        "'" => "apostrophe",
        "(" => "parenleft",
        ")" => "parenright",
        "*" => "asterisk",
        "+" => "plus",
        "," => "comma",
        "-" => "minus",
        "." => "period",
        "/" => "slash",
        ":" => "colon",
        ";" => "semicolon",
        "<" => "less",
        "=" => "equal",
        ">" => "greater",
        "?" => "question",
        "@" => "at",
        "[" => "bracketleft",
        "\\" => "backslash",
        "]" => "bracketright",
        "^" => "asciicircum",
        "_" => "underscore",
        "`" => "grave",
        "{" => "braceleft",
        "|" => "bar",
        "}" => "braceright",
        "~" => "asciitilde",
        // Escape, Tab, Delete, Home, End, Insert, F1..F12, letters and digits: the same name.
        other => other,
    };
    named.to_owned()
}

/// The character a key types, as Tk's `event.char`: empty for keys that type none.
pub fn key_char(key: &str) -> String {
    match key {
        "Enter" => "\r".to_owned(),
        "Tab" => "\t".to_owned(),
        "Backspace" => "\u{8}".to_owned(),
        "Escape" => "\u{1b}".to_owned(),
        key if key.chars().count() == 1 => key.to_owned(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_keys_get_tk_s_names_and_characters() {
        for (key, sym) in [
            ("ArrowUp", "Up"),
            (" ", "space"),
            ("a", "a"),
            ("A", "A"),
            ("Enter", "Return"),
            ("+", "plus"),
            ("F5", "F5"),
            ("Escape", "Escape"),
        ] {
            assert_eq!(keysym(key), sym, "{key}");
        }
        assert_eq!(key_char("a"), "a");
        assert_eq!(key_char("é"), "é");
        assert_eq!(key_char("Enter"), "\r");
        assert_eq!(key_char("ArrowUp"), "");
    }
}
