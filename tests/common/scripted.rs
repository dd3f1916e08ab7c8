//! A scripted HTTP/1.1 server on 127.0.0.1 for the networking tests (tests/net.rs): each path
//! answers a queue of replies (status, headers, body, delay), the last one repeating, and every
//! request is recorded (method, target, headers, body).
//!
//! Include it with `#[path = "common/scripted.rs"] mod scripted;`.
#![allow(dead_code)]

use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// One scripted answer.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub delay: Duration,
    /// Close the connection without answering.
    pub hangup: bool,
}

impl Reply {
    /// `status` with `body` (and a JSON content type when the body looks like JSON).
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Reply {
        let body = body.into();
        let mut headers = Vec::new();
        if body.first().is_some_and(|b| *b == b'{' || *b == b'[') {
            headers.push(("Content-Type".to_string(), "application/json".to_string()));
        }
        Reply {
            status,
            headers,
            body,
            delay: Duration::ZERO,
            hangup: false,
        }
    }

    /// Closes the connection without answering.
    pub fn hangup() -> Reply {
        Reply {
            hangup: true,
            ..Reply::new(0, "")
        }
    }

    /// 200 with a JSON body.
    pub fn json(v: serde_json::Value) -> Reply {
        Reply::new(200, v.to_string())
    }

    /// Adds a header (repeats allowed).
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Waits before answering.
    pub fn delay(mut self, d: Duration) -> Reply {
        self.delay = d;
        self
    }
}

/// A request as received.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    /// Names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

type Script = Arc<Mutex<HashMap<String, VecDeque<Reply>>>>;

pub struct ScriptedServer {
    pub port: u16,
    script: Script,
    seen: Arc<Mutex<Vec<Seen>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl ScriptedServer {
    pub fn start() -> ScriptedServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().unwrap().port();
        let script: Script = Arc::default();
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (script, seen, stop) = (script.clone(), seen.clone(), stop.clone());
            std::thread::spawn(move || {
                for conn in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(conn) = conn else { continue };
                    let (script, seen) = (script.clone(), seen.clone());
                    std::thread::spawn(move || serve(conn, &script, &seen));
                }
            })
        };
        ScriptedServer {
            port,
            script,
            seen,
            stop,
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT{target}`.
    pub fn url(&self, target: &str) -> String {
        format!("http://127.0.0.1:{}{target}", self.port)
    }

    /// Answers `target` (a path with its query, or a path for any query, or `{path}#{Op}`
    /// for an AWS JSON operation named by `X-Amz-Target`) with `replies` in order, the last
    /// one repeating.
    pub fn on(&self, target: &str, replies: Vec<Reply>) {
        self.script
            .lock()
            .unwrap()
            .insert(target.to_string(), replies.into());
    }

    /// Every request received, in order.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// Requests received whose path (without query) is `path`.
    pub fn hits(&self, path: &str) -> usize {
        self.seen()
            .iter()
            .filter(|s| s.target.split('?').next() == Some(path))
            .count()
    }
}

impl Drop for ScriptedServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn serve(conn: TcpStream, script: &Script, seen: &Mutex<Vec<Seen>>) {
    let _ = conn.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(match conn.try_clone() {
        Ok(c) => c,
        Err(_) => return,
    });
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let target = parts.next().unwrap_or("/").to_string();
    let mut headers = Vec::new();
    loop {
        let mut l = String::new();
        if reader.read_line(&mut l).unwrap_or(0) == 0 || l == "\r\n" || l == "\n" {
            break;
        }
        if let Some((n, v)) = l.split_once(':') {
            headers.push((n.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let len = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; len];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let amz_op = headers
        .iter()
        .find(|(n, _)| n == "x-amz-target")
        .map(|(_, v)| v.rsplit('.').next().unwrap_or("").to_string());
    seen.lock().unwrap().push(Seen {
        method,
        target: target.clone(),
        headers,
        body,
    });
    let reply = {
        let mut script = script.lock().unwrap();
        let path = target.split('?').next().unwrap_or("").to_string();
        // AWS JSON APIs POST every operation to one path: `{path}#{X-Amz-Target's operation}`
        // scripts one operation.
        let op = amz_op.map(|op| format!("{path}#{op}"));
        let queue = if op.as_ref().is_some_and(|k| script.contains_key(k)) {
            script.get_mut(op.as_ref().unwrap())
        } else if script.contains_key(&target) {
            script.get_mut(&target)
        } else {
            script.get_mut(&path)
        };
        match queue {
            Some(q) if q.len() > 1 => q.pop_front(),
            Some(q) => q.front().cloned(),
            None => None,
        }
        .unwrap_or_else(|| Reply::new(404, "no script"))
    };
    answer(conn, reply);
}

fn answer(mut conn: TcpStream, reply: Reply) {
    if !reply.delay.is_zero() {
        std::thread::sleep(reply.delay);
    }
    if reply.hangup {
        return;
    }
    let mut head = format!("HTTP/1.1 {} Scripted\r\n", reply.status);
    for (n, v) in &reply.headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        reply.body.len()
    ));
    let _ = conn.write_all(head.as_bytes());
    let _ = conn.write_all(&reply.body);
}
