//! What a crash of the interpreter means, in plain words: the engine's and Emscripten's own
//! messages ("Aborted(). Build with -sASSERTIONS for more info.", "memory access out of
//! bounds") say nothing to a student.

/// The student's words for `detail`, what the worker caught when the interpreter died.
pub fn crash_words(detail: &str) -> String {
    let lower = detail.to_lowercase();
    let cause = if detail.starts_with("Aborted(") {
        "the interpreter aborted on a fatal error inside it (as faulthandler._sigsegv() or os.abort() cause)"
    } else if lower.contains("call stack") || lower.contains("too much recursion") {
        "the interpreter ran out of stack (C code nested too deeply)"
    } else if lower.contains("out of memory")
        || lower.contains("enlarge memory")
        || lower.contains("allocation failed")
    {
        "the interpreter ran out of memory"
    } else if lower.contains("out of bounds")
        || lower.contains("unreachable")
        || lower.contains("null function")
    {
        "the interpreter hit an internal fault"
    } else {
        return format!("Python stopped abruptly: {detail}");
    };
    format!(
        "Python stopped abruptly: {cause} ({detail})",
        detail = detail.split(". Build with").next().unwrap_or(detail)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_messages_become_plain_words() {
        assert_eq!(
            crash_words("Aborted(). Build with -sASSERTIONS for more info."),
            "Python stopped abruptly: the interpreter aborted on a fatal error inside it (as \
             faulthandler._sigsegv() or os.abort() cause) (Aborted())"
        );
        assert!(crash_words("Maximum call stack size exceeded").contains("ran out of stack"));
        assert!(crash_words("too much recursion").contains("ran out of stack"), "Firefox's words");
        assert!(crash_words("memory access out of bounds").contains("internal fault"));
        assert!(crash_words("Out of memory: Cannot enlarge memory").contains("ran out of memory"));
        assert_eq!(crash_words("something new"), "Python stopped abruptly: something new");
    }
}
