//! Progress of long CLI writes (seeding, import): a bar on a terminal, and plain log lines every
//! tenth of the way when the output is a log.
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};

/// A `(done, total)` sink for `db::bulk` writers.
pub struct Progress {
    bar: Option<ProgressBar>,
    label: &'static str,
    logged_tenths: AtomicU64,
}

impl Progress {
    /// A bar labelled `label` when stderr is a terminal, log lines otherwise.
    pub fn new(label: &'static str) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(1);
            let template = format!("{label} {{bar:40}} {{pos}}/{{len}} rows ({{elapsed}})");
            bar.set_style(ProgressStyle::with_template(&template).unwrap_or_else(|_| ProgressStyle::default_bar()));
            bar
        });
        Progress {
            bar,
            label,
            logged_tenths: AtomicU64::new(0),
        }
    }

    /// Reports `done` of `total` rows.
    pub fn update(&self, done: u64, total: u64) {
        if let Some(bar) = &self.bar {
            bar.set_length(total);
            bar.set_position(done);
            return;
        }
        let tenths = (done * 10).checked_div(total).unwrap_or(10);
        if self.logged_tenths.fetch_max(tenths, Ordering::Relaxed) < tenths {
            tracing::info!(done, total, "{} {}%", self.label, tenths * 10);
        }
    }

    /// Clears the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
