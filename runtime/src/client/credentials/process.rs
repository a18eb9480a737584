//! `credential_process`: credentials printed by a command.
//!
//! As aws-config does, the command runs through `sh -c` on Unix and
//! `cmd.exe /C` on Windows (botocore splits it with `shlex` instead; the
//! Rust SDK's behaviour is the one users of a Rust client expect). Its
//! standard output must be the JSON document of version 1:
//! `{"Version": 1, "AccessKeyId": .., "SecretAccessKey": .., "SessionToken": .., "Expiration": ..}`
//! (`SessionToken` and `Expiration` optional). A non-zero exit status is an
//! error naming the status and showing the start of the command's standard
//! error (as aws-config does); the command text is shown in errors only up
//! to its first space (its arguments may carry secrets), and its standard
//! output never. The output is read up to 64 KiB.

use std::io::Read;
use std::process::{Command, Stdio};

use crate::client::boxed::BoxFuture;
use crate::client::credentials::json::{self, Format};
use crate::client::credentials::provider_config::MAX_RESPONSE_BYTES;
use crate::client::credentials::{Credentials, CredentialsError, ProvideCredentials};

/// How much of the command's standard error a failure shows.
const STDERR_SHOWN: usize = 1024;

/// Runs a command that prints credentials.
#[derive(Clone)]
pub struct ProcessCredentialsProvider {
    command: String,
}

impl ProcessCredentialsProvider {
    /// A provider running `command` (a shell command line).
    pub fn new(command: impl Into<String>) -> Self {
        ProcessCredentialsProvider {
            command: command.into(),
        }
    }

    /// The command's program, without its arguments (what errors show).
    fn shown(&self) -> &str {
        self.command.split_whitespace().next().unwrap_or("")
    }

    /// Runs the command and reads its answer.
    pub async fn load(&self) -> Result<Credentials, CredentialsError> {
        let command = self.command.clone();
        let shown = format!("credential_process `{} ...`", self.shown());
        let run = tokio::task::spawn_blocking(move || run(&command));
        let output = match run.await {
            Ok(result) => result.map_err(|e| e.prefixed(&shown))?,
            Err(e) => {
                return Err(CredentialsError::with_source(
                    format!("{shown} did not finish"),
                    e,
                ))
            }
        };
        json::parse(&output, Format::Process, &shown)
    }
}

/// What went wrong running the command: a message and maybe a cause.
struct RunError(String, Option<std::io::Error>);

impl RunError {
    fn prefixed(self, shown: &str) -> CredentialsError {
        let message = format!("{shown}: {}", self.0);
        match self.1 {
            Some(source) => CredentialsError::with_source(message, source),
            None => CredentialsError::new(message),
        }
    }
}

fn run(command: &str) -> Result<Vec<u8>, RunError> {
    // On Windows the command goes to `cmd.exe /C` verbatim (`raw_arg`, in
    // one more pair of quotes), as aws-config does, so a quoted program path
    // with spaces survives.
    #[cfg(windows)]
    let mut cmd = {
        use std::os::windows::process::CommandExt;
        let mut c = Command::new("cmd.exe");
        c.arg("/C").raw_arg(format!("\"{command}\""));
        c
    };
    #[cfg(not(windows))]
    let mut cmd = {
        let mut c = Command::new("sh");
        c.arg("-c").arg(command);
        c
    };
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .map_err(|e| RunError("cannot start the command".into(), Some(e)))?;
    // Standard error is read on its own thread (so neither pipe fills up
    // while the other is read); its start goes into the error when the
    // command fails, as aws-config does.
    let stderr = child.stderr.take().map(|stderr| {
        std::thread::spawn(move || {
            let mut stderr = stderr;
            let mut text = Vec::new();
            let _ = (&mut stderr)
                .take(STDERR_SHOWN as u64)
                .read_to_end(&mut text);
            // The rest is read and dropped, so a chatty command never blocks
            // on (or dies of) a closed pipe.
            let _ = std::io::copy(&mut stderr, &mut std::io::sink());
            String::from_utf8_lossy(&text).trim().to_owned()
        })
    });
    let mut output = Vec::new();
    if let Some(stdout) = child.stdout.take() {
        stdout
            .take(MAX_RESPONSE_BYTES as u64 + 1)
            .read_to_end(&mut output)
            .map_err(|e| RunError("cannot read its output".into(), Some(e)))?;
    }
    if output.len() > MAX_RESPONSE_BYTES {
        let _ = child.kill();
        let _ = child.wait();
        return Err(RunError(
            format!("its output is longer than {MAX_RESPONSE_BYTES} bytes"),
            None,
        ));
    }
    let status = child
        .wait()
        .map_err(|e| RunError("cannot wait for it".into(), Some(e)))?;
    let stderr = stderr.and_then(|t| t.join().ok()).filter(|t| !t.is_empty());
    if !status.success() {
        let message = match stderr {
            Some(text) => format!("the command failed ({status}); its standard error: {text}"),
            None => format!("the command failed ({status})"),
        };
        return Err(RunError(message, None));
    }
    Ok(output)
}

impl std::fmt::Debug for ProcessCredentialsProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProcessCredentialsProvider")
            .field(
                "command",
                &format!("{} ** arguments redacted **", self.shown()),
            )
            .finish()
    }
}

impl ProvideCredentials for ProcessCredentialsProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.load())
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[tokio::test]
    async fn runs_through_the_shell() {
        let p = ProcessCredentialsProvider::new(
            r#"printf '%s' '{"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "S", "SessionToken": "T", "Expiration": "2030-01-01T00:00:00Z"}'"#,
        );
        let c = p.load().await.unwrap();
        assert_eq!(
            (c.access_key_id(), c.session_token()),
            ("AKIDPROC", Some("T"))
        );
        assert!(c.expiry().is_some());
        assert!(!format!("{p:?}").contains("AKIDPROC"));

        let err = ProcessCredentialsProvider::new("echo TOPSECRET; exit 3")
            .load()
            .await
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "credential_process `echo ...`: the command failed (exit status: 3)"
        );
        // A command that writes much to standard error still succeeds.
        let ok = ProcessCredentialsProvider::new(
            r#"head -c 100000 /dev/zero >&2; echo '{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "S"}'"#,
        );
        assert_eq!(ok.load().await.unwrap().access_key_id(), "A");
        let err = ProcessCredentialsProvider::new("echo 'run aws sso login' >&2; exit 1")
            .load()
            .await
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "credential_process `echo ...`: the command failed (exit status: 1); \
             its standard error: run aws sso login"
        );
        let err = ProcessCredentialsProvider::new("echo '{\"Version\": 1}'")
            .load()
            .await
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "credential_process `echo ...`: `AccessKeyId` is missing"
        );
        let err = ProcessCredentialsProvider::new("head -c 70000 /dev/zero")
            .load()
            .await
            .unwrap_err();
        assert!(err.to_string().contains("longer than 65536 bytes"), "{err}");
    }
}
