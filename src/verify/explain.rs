//! The `--explain` trace: each check in order, with pass/fail and why.

use crate::error::Result;

/// One check of a verification, as shown to an admin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The check's name, e.g. `"signer"`.
    pub check: &'static str,
    /// Whether it passed.
    pub passed: bool,
    /// Why (never a token or personal data).
    pub detail: String,
}

/// Every check a verification ran, plus warnings for checks the config disabled.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Explanation {
    /// The checks in the order they ran; the last failed one decided a rejection.
    pub steps: Vec<Step>,
    /// Disabled checks and other configuration warnings.
    pub warnings: Vec<String>,
    /// `"authenticated"`, `"anonymous"` or `"rejected"` (see [`Outcome::name`](super::Outcome::name)).
    pub outcome: &'static str,
}

impl Explanation {
    /// The report as an admin reads it (the check tool's `--explain` and the C
    /// `albauth_verify_explained` print exactly this): warnings, then one line per check in
    /// order, then the outcome. Never a token or personal data.
    ///
    /// ```text
    /// WARNING  client check disabled (`client_id: null`): ...
    /// pass     header_size      every x-amzn-oidc-* header is at most 16384 bytes
    /// FAIL     signer           signer is not one of trusted_albs ...
    /// outcome  rejected
    /// ```
    pub fn render(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        for w in &self.warnings {
            let _ = writeln!(out, "WARNING  {w}");
        }
        for s in &self.steps {
            let mark = if s.passed { "pass" } else { "FAIL" };
            let _ = writeln!(out, "{mark:<8} {:<16} {}", s.check, s.detail);
        }
        let _ = write!(out, "outcome  {}", self.outcome);
        out
    }
}

/// Records steps only when an explanation was asked for; free otherwise.
pub(crate) struct Trace<'a>(pub(crate) Option<&'a mut Explanation>);

impl Trace<'_> {
    /// Runs nothing: records the result of one check as its step, once, pass (with the detail
    /// `pass` makes from the value, only when recording) or fail (with the error's detail),
    /// and hands the result back for `?`.
    pub(crate) fn step<T>(
        &mut self,
        check: &'static str,
        result: Result<T>,
        pass: impl FnOnce(&T) -> String,
    ) -> Result<T> {
        if let Some(e) = self.0.as_mut() {
            let (passed, detail) = match &result {
                Ok(v) => (true, pass(v)),
                Err(err) => (false, err.detail().to_string()),
            };
            e.steps.push(Step {
                check,
                passed,
                detail,
            });
        }
        result
    }

    /// Whether an explanation is being recorded (then the verified-token cache is skipped).
    pub(crate) fn is_recording(&self) -> bool {
        self.0.is_some()
    }
}
