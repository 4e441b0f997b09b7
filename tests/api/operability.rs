//! The built binary as an operator meets it: configuration and startup mistakes refuse to start
//! with one line that names the thing, logs fit a file, SIGTERM drains in-flight requests.
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const BINARY: &str = env!("CARGO_BIN_EXE_expansion-api");

/// A fresh working directory (so no `expansion.toml` or `./data` is shared).
fn workdir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("exp_cli_{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("workdir");
    dir
}

/// The binary in `dir` with a clean environment of settings, port 0, and `envs` added.
fn command(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Command {
    let mut command = Command::new(BINARY);
    command.current_dir(dir).args(args);
    for (key, _) in std::env::vars() {
        if key.starts_with("EXPANSION_") || key == "DATABASE_URL" || key == "RUST_LOG" {
            command.env_remove(key);
        }
    }
    // Any free port unless a test says otherwise: 8080 may be taken on a shared machine.
    command.env("EXPANSION_PORT", "0").envs(envs.iter().copied());
    command
}

/// Runs to completion; returns (exit code, stderr).
fn refused(args: &[&str], envs: &[(&str, &str)]) -> (i32, String) {
    let dir = workdir();
    refused_in(&dir, args, envs)
}

fn refused_in(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> (i32, String) {
    let Output { status, stderr, .. } = command(dir, args, envs).output().expect("binary runs");
    (
        status.code().unwrap_or(-1),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

/// The last line of stderr, where the refusal is said.
fn last_line(stderr: &str) -> &str {
    stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or_default()
}

#[test]
fn a_missing_config_file_is_named() {
    let (code, stderr) = refused(&["--config", "nowhere.toml", "serve"], &[]);
    assert_eq!(code, 1);
    assert!(
        last_line(&stderr).contains("nowhere.toml") && stderr.contains("does not exist"),
        "{stderr}"
    );
}

#[test]
fn an_unknown_key_in_the_file_suggests_the_nearest_valid_key() {
    let dir = workdir();
    std::fs::write(dir.join("expansion.toml"), "prot = 8081\n").expect("write");
    let (code, stderr) = refused_in(&dir, &["serve"], &[]);
    assert_eq!(code, 1);
    let line = last_line(&stderr);
    assert!(
        line.contains("unknown setting `prot`") && line.contains("did you mean `port`"),
        "{stderr}"
    );
    assert!(line.contains("expansion.toml"), "names the file: {stderr}");
}

#[test]
fn an_unknown_environment_variable_suggests_the_nearest_one() {
    let (code, stderr) = refused(&["serve"], &[("EXPANSION_LIMITS__MAX_DEPHT", "3")]);
    assert_eq!(code, 1);
    let line = last_line(&stderr);
    assert!(line.contains("EXPANSION_LIMITS__MAX_DEPHT"), "{stderr}");
    assert!(
        line.contains("did you mean `limits.max_depth` (EXPANSION_LIMITS__MAX_DEPTH)"),
        "{stderr}"
    );
}

#[test]
fn a_value_of_the_wrong_type_names_the_allowed_range() {
    let (code, stderr) = refused(&["serve"], &[("EXPANSION_PORT", "70000")]);
    assert_eq!(code, 1);
    let line = last_line(&stderr);
    assert!(line.contains("`port`") && line.contains("EXPANSION_PORT"), "{stderr}");
    assert!(line.contains("70000") && line.contains("0–65535"), "{stderr}");
}

#[test]
fn a_value_out_of_its_range_names_the_range() {
    let (code, stderr) = refused(&["serve"], &[("EXPANSION_MAX_CONNECTIONS", "0")]);
    assert_eq!(code, 1);
    assert!(
        last_line(&stderr).contains("`max_connections` = 0 is out of range: allowed 1–1000"),
        "{stderr}"
    );
}

#[test]
fn an_unknown_log_format_is_refused_with_the_choices() {
    let (code, stderr) = refused(&["--log-format", "xml", "serve"], &[]);
    assert_eq!(code, 2, "clap's usage error");
    assert!(stderr.contains("'xml'") && stderr.contains("human, json"), "{stderr}");
    let (code, stderr) = refused(&["serve"], &[("EXPANSION_LOG_FORMAT", "xml")]);
    assert_eq!(code, 1);
    assert!(
        last_line(&stderr).contains("`xml` is not one of: human, json"),
        "{stderr}"
    );
}

#[test]
fn a_port_in_use_names_the_address_and_port() {
    let taken = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port().to_string();
    let (code, stderr) = refused(&["serve", "--port", &port], &[]);
    assert_eq!(code, 1);
    let line = last_line(&stderr);
    assert!(line.contains(&format!("cannot listen on 127.0.0.1:{port}")), "{stderr}");
    assert!(line.contains("choose another --port"), "{stderr}");
}

#[test]
fn a_refused_database_connection_names_the_host_and_masks_the_password() {
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    let url = "postgres://app:s3cret@127.0.0.1:1/book";
    let (code, stderr) = refused(&["serve"], &[("DATABASE_URL", url)]);
    assert_eq!(code, 1);
    let line = last_line(&stderr);
    assert!(
        line.contains("PostgreSQL at 127.0.0.1:1") && line.contains("app:***@"),
        "{stderr}"
    );
    assert!(!stderr.contains("s3cret"), "password printed: {stderr}");
}

#[test]
fn a_silent_database_fails_within_the_connect_timeout() {
    // Accepts the TCP connection and never answers, like a firewalled or hung server.
    let silent = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!(
        "postgres://app:s3cret@127.0.0.1:{}/book",
        silent.local_addr().expect("addr").port()
    );
    let started = Instant::now();
    let (code, stderr) = refused(
        &["serve"],
        &[
            ("DATABASE_URL", &url),
            ("EXPANSION_DATABASE__CONNECT_TIMEOUT_SECS", "1"),
        ],
    );
    assert_eq!(code, 1);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    assert!(
        last_line(&stderr).contains("no answer within 1 s (database.connect_timeout_secs)"),
        "{stderr}"
    );
}

#[test]
fn an_unwritable_data_directory_is_named() {
    let dir = workdir();
    // A file where the data directory should be: refused even for root.
    std::fs::write(dir.join("occupied"), "").expect("write");
    let (code, stderr) = refused_in(
        &dir,
        &["serve"],
        &[("DATABASE_URL", "sqlite://./occupied/data/x.db?mode=rwc")],
    );
    assert_eq!(code, 1);
    assert!(
        last_line(&stderr).contains("cannot create the data directory ./occupied/data"),
        "{stderr}"
    );
}

#[test]
fn serve_help_lists_every_setting_with_its_environment_variable() {
    let dir = workdir();
    let output = command(&dir, &["serve", "--help"], &[]).output().expect("runs");
    let help = String::from_utf8_lossy(&output.stdout);
    for (key, _) in expansion_api::config_errors::settings() {
        let env = expansion_api::config_errors::env_name(&key);
        assert!(
            help.contains(&key) && help.contains(&env),
            "{key} / {env} missing from:\n{help}"
        );
    }
    assert!(help.contains("DATABASE_URL"));
}

/// A server process on a fresh SQLite file and a free port, its stderr collected.
struct Server {
    child: Child,
    port: u16,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Server {
    fn start(args: &[&str], envs: &[(&str, &str)]) -> Server {
        let dir = workdir();
        let url = format!("sqlite://{}?mode=rwc", dir.join("book.db").display());
        let mut all_envs = vec![("DATABASE_URL", url.as_str())];
        all_envs.extend_from_slice(envs);
        let mut child = command(&dir, args, &all_envs)
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("server starts");
        let stderr = child.stderr.take().expect("stderr");
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = sender.send(line);
            }
        });
        let mut server = Server {
            child,
            port: 0,
            lines,
            seen: Vec::new(),
        };
        let line = server.wait_for("listening on http://127.0.0.1:");
        let after = line.split("http://127.0.0.1:").nth(1).expect("address");
        server.port = after.split('/').next().and_then(|p| p.parse().ok()).expect("port");
        server
    }

    /// Waits (30 s at most) for a stderr line containing `text`.
    fn wait_for(&mut self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.contains(text) {
                        return line;
                    }
                }
                Err(_) => break,
            }
        }
        panic!("no line with {text:?} in:\n{}", self.seen.join("\n"));
    }

    fn post(&self, body: &str) -> String {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        write!(
            stream,
            "POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .expect("write");
        let mut answer = String::new();
        stream.read_to_string(&mut answer).expect("read");
        answer
    }

    fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn request_logs_name_method_path_status_duration_operation_and_token_without_colour_codes() {
    let mut server = Server::start(&["serve"], &[]);
    let answer = server.post(r#"{"query":"query LogProbe { __typename }"}"#);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let line = server.wait_for("served");
    for part in [
        "method=POST",
        "path=/graphql",
        "operation=LogProbe",
        "token=anonymous",
        "status=200",
        "duration_ms=",
    ] {
        assert!(line.contains(part), "{part} missing from {line:?}");
    }
    assert!(
        server.seen.iter().all(|l| !l.contains('\u{1b}')),
        "ANSI codes in a pipe: {:?}",
        server.seen
    );
}

#[test]
fn json_logs_are_one_object_per_line() {
    let mut server = Server::start(&["--log-format", "json", "serve"], &[]);
    server.post(r#"{"query":"{ __typename }"}"#);
    let line = server.wait_for("served");
    let object: serde_json::Value = serde_json::from_str(&line).expect("a JSON line");
    assert_eq!(object["fields"]["status"], 200, "{line}");
    assert!(
        server
            .seen
            .iter()
            .all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok()),
        "{:?}",
        server.seen
    );
}

#[test]
fn sigterm_finishes_a_slow_request_in_flight_then_exits_0() {
    let mut server = Server::start(&["serve"], &[("EXPANSION_SHUTDOWN__GRACE_SECS", "10")]);
    // A request whose body is still arriving when the signal comes.
    let body = r#"{"query":"query InFlight { __typename }"}"#;
    let (head, tail) = body.split_at(10);
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    write!(
        stream,
        "POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{head}",
        body.len()
    )
    .expect("write");
    stream.flush().expect("flush");
    std::thread::sleep(Duration::from_millis(300));
    server.terminate();
    server.wait_for("shutting down");
    std::thread::sleep(Duration::from_millis(700));
    assert!(
        TcpStream::connect(("127.0.0.1", server.port)).is_err(),
        "still accepting after SIGTERM"
    );
    stream.write_all(tail.as_bytes()).expect("rest of the body");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("__typename"), "{answer}");
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = server.child.try_wait().expect("wait") {
            break status;
        }
        assert!(Instant::now() < deadline, "still running after the request finished");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0));
}

/// A one-route OTLP/HTTP collector on a free port: every POST body it receives, answered 200.
fn fake_collector() -> (String, mpsc::Receiver<Vec<u8>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("collector port");
    let url = format!("http://{}/v1/traces", listener.local_addr().expect("address"));
    let (sender, bodies) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            let mut reader = BufReader::new(stream);
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            if reader.read_exact(&mut body).is_ok() {
                let _ = sender.send(body);
            }
            let _ = reader
                .get_mut()
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
    });
    (url, bodies)
}

#[test]
fn with_otel_endpoint_set_a_request_span_and_its_sql_are_exported_over_otlp() {
    let (endpoint, bodies) = fake_collector();
    let server = Server::start(
        &["serve"],
        &[
            ("EXPANSION_OTEL__ENDPOINT", &endpoint),
            ("OTEL_BSP_SCHEDULE_DELAY", "200"),
        ],
    );
    let answer = server.post(r#"{"query":"query TracedProbe { products { id name } }"}"#);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    // Protobuf keeps strings as UTF-8 bytes: look for the span's attributes and the statement.
    let contains = |body: &[u8], text: &str| body.windows(text.len()).any(|w| w == text.as_bytes());
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut exported = Vec::new();
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match bodies.recv_timeout(left) {
            Ok(body) => exported.extend(body),
            Err(_) => break,
        }
        if contains(&exported, "TracedProbe") && contains(&exported, "FROM \"product\"") {
            break;
        }
    }
    for text in [
        "expansion-api",
        "request",
        "TracedProbe",
        "anonymous",
        "request_id",
        "FROM \"product\"",
        "elapsed_us",
    ] {
        assert!(
            contains(&exported, text),
            "{text:?} not exported ({} bytes)",
            exported.len()
        );
    }
}
