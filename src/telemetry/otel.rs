//! OTLP/HTTP trace export (`otel.endpoint`): `tracing` spans become OpenTelemetry spans through
//! `tracing-opentelemetry`, batched and sent as protobuf by `opentelemetry-otlp`. The exporter
//! uses a blocking HTTP client on the batch processor's own thread, so it neither needs nor
//! disturbs the server's Tokio runtime; it is built (and at exit shut down) on a plain thread,
//! because a blocking client may not be created or dropped inside the runtime.
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::{WithExportConfig, WithHttpConfig};
use opentelemetry_sdk::trace::SdkTracerProvider;
use opentelemetry_sdk::Resource;
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::Layer;

/// Flushes and stops the export when dropped.
pub struct OtelGuard(Option<SdkTracerProvider>);

impl Drop for OtelGuard {
    fn drop(&mut self) {
        if let Some(provider) = self.0.take() {
            let stopped = std::thread::spawn(move || provider.shutdown()).join();
            if !matches!(stopped, Ok(Ok(()))) {
                eprintln!("warning: the trace export did not flush before exit");
            }
        }
    }
}

/// The export layer, and the guard that flushes it.
pub fn layer<S>(endpoint: &str, service: &str) -> anyhow::Result<(Box<dyn Layer<S> + Send + Sync>, OtelGuard)>
where
    S: tracing::Subscriber + Send + Sync + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    let (endpoint, service) = (endpoint.to_owned(), service.to_owned());
    let provider = std::thread::spawn(move || provider(&endpoint, &service))
        .join()
        .map_err(|_| anyhow::anyhow!("otel: the exporter's setup panicked"))??;
    let tracer = provider.tracer("expansion-api");
    // Requests at info; their SQL statements (debug events of target `sql`) become span events.
    let wanted = Targets::new()
        .with_default(LevelFilter::INFO)
        .with_target("sql", LevelFilter::DEBUG)
        .with_target("sqlx", LevelFilter::WARN)
        .with_target("sea_orm", LevelFilter::WARN)
        .with_target("h2", LevelFilter::OFF)
        .with_target("hyper", LevelFilter::OFF)
        .with_target("reqwest", LevelFilter::OFF);
    let layer = tracing_opentelemetry::layer()
        .with_tracer(tracer)
        .with_filter(wanted)
        .boxed();
    Ok((layer, OtelGuard(Some(provider))))
}

fn provider(endpoint: &str, service: &str) -> anyhow::Result<SdkTracerProvider> {
    let client = reqwest::blocking::Client::builder()
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .map_err(|e| anyhow::anyhow!("otel: cannot build the HTTP client: {e}"))?;
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_http_client(client)
        .with_endpoint(endpoint)
        .build()
        .map_err(|e| anyhow::anyhow!("otel: cannot export to {endpoint}: {e}"))?;
    let resource = Resource::builder().with_service_name(service.to_owned()).build();
    Ok(SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_resource(resource)
        .build())
}
