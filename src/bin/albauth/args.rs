//! Flag parsing shared by the `albauth` commands and the `albauth-check` example.
//!
//! One spelling per flag (`--flag VALUE`, no `--flag=VALUE`, no clustering), so that a usage
//! error is unambiguous. A usage error never repeats a value: values may be tokens.

/// The flags of one command, read front to back.
pub struct Flags<I> {
    it: I,
}

impl<I: Iterator<Item = String>> Flags<I> {
    /// Flags from `args` (the program name and the command already taken off).
    pub fn new(args: I) -> Self {
        Flags { it: args }
    }

    /// The next flag, `None` at the end.
    pub fn next_flag(&mut self) -> Option<String> {
        self.it.next()
    }

    /// The value that follows `flag`.
    pub fn value(&mut self, flag: &str) -> Result<String, String> {
        self.it
            .next()
            .ok_or_else(|| format!("{flag} needs a value"))
    }
}

/// The error for an argument no command knows. Names a flag, but only its name: for
/// `--header=x-amzn-oidc-data: TOKEN` or a stray positional token, the text after `=` (or the
/// whole positional argument) is never repeated.
pub fn unknown(arg: &str) -> String {
    if !arg.starts_with('-') {
        return "unexpected argument (not a flag; each value follows its flag, e.g. --config FILE)"
            .to_string();
    }
    let (name, attached) = match arg.split_once('=') {
        Some((name, _)) => (name, true),
        None => (arg, false),
    };
    let plain = name.len() <= 40
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    match (plain, attached) {
        (true, false) => format!("unknown flag `{name}`"),
        (true, true) => format!("unknown flag `{name}=...` (write `{name} VALUE`)"),
        (false, _) => "unknown flag (not shown: it does not look like a flag name)".to_string(),
    }
}

/// Why a file could not be read, in plain words (not Rust's `entity not found`).
pub fn why(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "no such file".to_string(),
        PermissionDenied => "permission denied".to_string(),
        IsADirectory => "it is a directory, not a file".to_string(),
        InvalidData => "it is not UTF-8 text".to_string(),
        FileTooLarge => "it is larger than 1 MiB".to_string(),
        _ => e.to_string(),
    }
}

/// The text of the file at `path` (at most 1 MiB), or `cannot read {flag} {path}: {why}`.
/// `-` is standard input.
pub fn read_text(flag: &str, path: &str) -> Result<String, String> {
    use std::io::Read;
    const MAX: u64 = 1 << 20;
    let read = |r: &mut dyn Read| -> std::io::Result<String> {
        let mut bytes = Vec::new();
        r.take(MAX + 1).read_to_end(&mut bytes)?;
        if bytes.len() as u64 > MAX {
            return Err(std::io::ErrorKind::FileTooLarge.into());
        }
        String::from_utf8(bytes).map_err(|_| std::io::ErrorKind::InvalidData.into())
    };
    let text = if path == "-" {
        read(&mut std::io::stdin().lock())
    } else {
        std::fs::File::open(path).and_then(|mut f| read(&mut f))
    };
    text.map_err(|e| format!("cannot read {flag} {path}: {}", why(&e)))
}
