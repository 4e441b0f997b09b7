//! A real HTTP receiver for webhook tests: an actix server on a random loopback port that records
//! every request and answers with the next scripted status (200 when the script is empty), or
//! holds a request without answering while `hold` is set.
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// One request as received.
#[derive(Clone, Debug)]
pub struct Received {
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
    pub at: SystemTime,
}

impl Received {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).map(String::as_str).unwrap_or_default()
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("JSON body")
    }
}

#[derive(Default)]
struct State {
    received: Mutex<Vec<Received>>,
    script: Mutex<VecDeque<u16>>,
    always: Mutex<Option<u16>>,
    hold: AtomicBool,
}

/// The running receiver.
#[derive(Clone)]
pub struct Receiver {
    pub url: String,
    state: Arc<State>,
}

async fn handle(state: web::Data<Arc<State>>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let headers = req
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or_default().to_owned()))
        .collect();
    let hold = state.hold.load(Ordering::SeqCst);
    state.received.lock().expect("lock").push(Received {
        headers,
        body: body.to_vec(),
        at: SystemTime::now(),
    });
    if hold {
        tokio::time::sleep(Duration::from_secs(120)).await;
    }
    let scripted = state.script.lock().expect("lock").pop_front();
    let status = scripted.or(*state.always.lock().expect("lock")).unwrap_or(200);
    HttpResponse::build(actix_web::http::StatusCode::from_u16(status).expect("status")).finish()
}

impl Receiver {
    /// Starts on 127.0.0.1 and a free port.
    pub fn start() -> Receiver {
        let state = Arc::new(State::default());
        let data = web::Data::new(state.clone());
        let server = HttpServer::new(move || App::new().app_data(data.clone()).default_service(web::to(handle)))
            .workers(2)
            .disable_signals()
            .bind(("127.0.0.1", 0))
            .expect("bind receiver");
        let port = server.addrs()[0].port();
        tokio::spawn(server.run());
        Receiver {
            url: format!("http://127.0.0.1:{port}/hook"),
            state,
        }
    }

    /// The next answers, in order.
    pub fn answer(&self, statuses: &[u16]) {
        self.state.script.lock().expect("lock").extend(statuses);
    }

    /// The answer once the script is used up (200 by default).
    pub fn always(&self, status: u16) {
        *self.state.always.lock().expect("lock") = Some(status);
    }

    /// Hold every request without answering (until switched off).
    pub fn hold(&self, on: bool) {
        self.state.hold.store(on, Ordering::SeqCst);
    }

    /// Everything received so far.
    pub fn received(&self) -> Vec<Received> {
        self.state.received.lock().expect("lock").clone()
    }

    /// Waits up to `secs` for at least `n` requests.
    pub async fn wait_for(&self, n: usize, secs: u64) -> Vec<Received> {
        let deadline = std::time::Instant::now() + Duration::from_secs(secs);
        loop {
            let received = self.received();
            if received.len() >= n || std::time::Instant::now() > deadline {
                return received;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}
