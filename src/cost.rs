//! Monthly cost of a pipeline: quantities from the architecture's usage
//! attributes, unit prices from the pack (`rules/prices/<region>.toml`).
//! The formulas (shard-hours, 25 KB PUT payload units, GB rounded up to 5 KB
//! records...) are mechanism; every number they multiply comes from the pack.
//! What cannot be priced is listed with the reason, never priced at zero.

use crate::capacity::StreamLoad;
use crate::date::Date;
use crate::fleet::{Role, node_groups};
use crate::model::{Architecture, ServiceIx};
use crate::money::Money;
use crate::numfmt::number;
use crate::pack::{InstanceServiceDef, Pack, PriceDef};

/// Hours in a month, as AWS and infracost count them.
pub const HOURS_PER_MONTH: f64 = 730.0;
const SECONDS_PER_MONTH: f64 = HOURS_PER_MONTH * 3600.0;
/// KB in a MB and MB in a GB (binary, as AWS's Kinesis limits).
const KB_PER_MB: f64 = 1024.0;

/// One priced line: a component of a service.
#[derive(Clone, Debug, PartialEq)]
pub struct CostItem {
    pub component: String,
    pub quantity: f64,
    pub unit: String,
    /// None when the pack has no price for it in the region.
    pub unit_price: Option<f64>,
    /// None when unpriced; `Money::TooLarge` when the amount cannot be
    /// counted to the cent.
    pub monthly: Option<Money>,
    pub estimate: bool,
    pub as_of: Option<Date>,
    pub source: Option<String>,
    pub note: Option<String>,
}

/// The cost of one service.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceCost {
    pub service: String,
    pub kind: String,
    pub items: Vec<CostItem>,
    /// What could not be priced, and why.
    pub unpriced: Vec<String>,
}

impl ServiceCost {
    /// The priced lines' sum, or None when no line has a price.
    pub fn monthly(&self) -> Option<Money> {
        let mut priced = self.items.iter().filter_map(|i| i.monthly).peekable();
        priced.peek().is_some().then(|| priced.sum())
    }
}

/// The monthly cost of a pipeline.
#[derive(Clone, Debug, PartialEq)]
pub struct CostReport {
    pub name: String,
    pub region: String,
    /// Whether the pack has prices for `region`.
    pub region_priced: bool,
    pub services: Vec<ServiceCost>,
    /// What the figures rest on besides the file, in the order met.
    pub assumptions: Vec<String>,
}

impl CostReport {
    /// The sum of every priced line, or None when nothing could be priced.
    pub fn total(&self) -> Option<Money> {
        let mut all = self
            .services
            .iter()
            .filter_map(ServiceCost::monthly)
            .peekable();
        all.peek().is_some().then(|| all.sum())
    }

    /// Whether some amount is too large to price.
    pub fn too_large(&self) -> bool {
        self.services
            .iter()
            .flat_map(|s| &s.items)
            .any(|i| i.monthly == Some(Money::TooLarge))
    }

    pub fn has_estimates(&self) -> bool {
        self.services
            .iter()
            .flat_map(|s| &s.items)
            .any(|i| i.estimate && i.unit_price.is_some())
    }
}

/// The hourly price of an instance type as a service names it (`ml.` types
/// at SageMaker prices, others at EC2 prices).
pub fn instance_price<'p>(
    pack: &'p Pack,
    region: &str,
    how: &InstanceServiceDef,
    name: &str,
) -> Option<&'p PriceDef> {
    if !how.hourly {
        None
    } else if how.prefix().is_empty() {
        pack.price(region, "ec2", "instance", Some(name))
    } else {
        pack.price(region, &how.service, "instance", Some(name))
    }
}

/// Prices an architecture in its own region (default us-east-1).
pub fn cost(arch: &Architecture, pack: &Pack) -> CostReport {
    cost_in(arch, pack, arch.pricing_region())
}

/// Prices an architecture at the prices of `region`.
pub fn cost_in(arch: &Architecture, pack: &Pack, region: &str) -> CostReport {
    let mut p = Pricer {
        arch,
        pack,
        region,
        region_priced: pack.has_prices_for(region),
        assumptions: Vec::new(),
    };
    p.assume(format!(
        "{} hours a month; prices are on-demand list prices in USD",
        number(HOURS_PER_MONTH)
    ));
    let services = (0..arch.services.len()).map(|s| p.service(s)).collect();
    CostReport {
        name: arch.name.clone(),
        region: region.to_string(),
        region_priced: p.region_priced,
        services,
        assumptions: p.assumptions,
    }
}

struct Pricer<'a> {
    arch: &'a Architecture,
    pack: &'a Pack,
    region: &'a str,
    region_priced: bool,
    assumptions: Vec<String>,
}

/// "Extended retention (24 to 168 hours)", "Long-term retention (over 168 hours)".
fn band_label(what: &str, over: f64, up_to: Option<f64>) -> String {
    match up_to {
        Some(to) => format!("{what} ({} to {} hours)", number(over), number(to)),
        None => format!("{what} (over {} hours)", number(over)),
    }
}

/// Rounds a quantity so output does not show float noise.
fn qty(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

impl<'a> Pricer<'a> {
    fn assume(&mut self, text: String) {
        if !self.assumptions.contains(&text) {
            self.assumptions.push(text);
        }
    }

    /// The data a stream keeps past `over` hours: written at `gb_per_hour`,
    /// the band holds that many GB for every hour of retention beyond it, all
    /// month.
    fn long_term_retention(
        &self,
        out: &mut ServiceCost,
        id: &str,
        (over, up_to): (f64, Option<f64>),
        gb_per_hour: f64,
        retention: f64,
    ) {
        self.line(
            out,
            band_label("Long-term retention", over, up_to),
            id,
            "long-term-retention",
            None,
            gb_per_hour * (retention - over),
            "GB-month",
        );
    }

    /// Adds a line priced at `(service, component, item)` of the pack.
    #[allow(clippy::too_many_arguments)]
    fn line(
        &self,
        out: &mut ServiceCost,
        label: impl Into<String>,
        price_service: &str,
        component: &str,
        item: Option<&str>,
        quantity: f64,
        unit: &str,
    ) {
        let label = label.into();
        let price = self.pack.price(self.region, price_service, component, item);
        if price.is_none() && self.region_priced {
            out.unpriced.push(format!(
                "{label}: the rule pack has no price for {}{} in {}",
                item.map(|i| format!("`{i}` ")).unwrap_or_default(),
                component,
                self.region
            ));
            return;
        }
        let quantity = qty(quantity);
        if let Some(p) = price
            && Money::from_usd(quantity * p.usd) == Money::TooLarge
        {
            out.unpriced.push(format!(
                "{label}: too large to price ({} {} at {} each is more than can be counted to the cent)",
                number(quantity),
                p.unit,
                crate::numfmt::unit_price(p.usd)
            ));
        }
        out.items.push(CostItem {
            component: label,
            quantity,
            unit: price.map_or(unit, |p| p.unit.as_str()).to_string(),
            unit_price: price.map(|p| p.usd),
            monthly: price.map(|p| Money::from_usd(quantity * p.usd)),
            estimate: price.is_some_and(|p| p.estimate),
            as_of: price.map(|p| p.as_of),
            source: price.and_then(|p| p.source.items().first().cloned()),
            note: price.and_then(|p| p.note.clone()),
        });
    }

    /// The size records are billed in for a component, when it has one.
    fn billed_in_kb(&self, service: &str, component: &str) -> Option<f64> {
        self.pack
            .price(self.region, service, component, None)
            .and_then(|p| p.billed_in_kb)
            .filter(|kb| *kb > 0.0)
    }

    /// The retention band a retention price covers: charged past `over`
    /// hours, up to `up_to` hours when it ends. Bands are the same in every
    /// region, so an unpriced region still gets its quantities.
    fn retention_band(&self, service: &str, component: &str) -> Option<(f64, Option<f64>)> {
        let p = self
            .pack
            .price(self.region, service, component, None)
            .or_else(|| self.pack.prices_of(service, component).next())?;
        Some((p.retention_over_hours?, p.retention_up_to_hours))
    }

    /// What AWS uses for a limit when the file sets nothing.
    fn default_of(&self, s: ServiceIx, limit: &str) -> Option<f64> {
        let kind = self.arch.services[s].kind.kind()?;
        self.pack.limit(kind, limit).and_then(|l| l.default)
    }

    fn missing(&self, out: &mut ServiceCost, what: &str, attrs: &[&str]) {
        let names: Vec<String> = attrs.iter().map(|a| format!("`{a}`")).collect();
        let list = match names.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            _ => names.join(""),
        };
        out.unpriced.push(format!("{what}: needs {list}"));
    }

    fn hours(&self, s: ServiceIx) -> f64 {
        self.arch.services[s]
            .number("hours_per_month")
            .unwrap_or(HOURS_PER_MONTH)
    }

    fn service(&mut self, s: ServiceIx) -> ServiceCost {
        let svc = &self.arch.services[s];
        let kind = svc.kind.kind().map(|k| self.pack.service(k));
        let mut out = ServiceCost {
            service: svc.id.clone(),
            kind: kind.map_or_else(|| svc.kind.written.clone(), |k| k.id.clone()),
            items: Vec::new(),
            unpriced: Vec::new(),
        };
        let Some(kind) = kind else {
            out.unpriced
                .push("the kind is not in the catalog".to_string());
            return out;
        };
        if let Some(how) = svc
            .kind
            .kind()
            .and_then(|k| self.pack.instance_service(k))
            .filter(|h| h.hourly)
        {
            self.instances(s, how, &mut out);
            return out;
        }
        match kind.id.as_str() {
            "kinesis-data-streams" => self.kinesis(s, &mut out),
            "firehose" => self.firehose(s, &mut out),
            "s3" => self.s3(s, &mut out),
            "athena" | "redshift-spectrum" => self.scanned(s, &kind.id, &mut out),
            "glue-etl" | "glue-crawler" => self.glue(s, &kind.id, &mut out),
            "lambda" => self.lambda(s, &mut out),
            "sqs" => self.sqs(s, &mut out),
            "dynamodb" => self.dynamodb(s, &mut out),
            "redshift" => self.redshift(s, &mut out),
            "msk" => self.msk(s, &mut out),
            other => out
                .unpriced
                .push(format!("the rule pack has no prices for {other}")),
        }
        out
    }

    fn kinesis(&mut self, s: ServiceIx, out: &mut ServiceCost) {
        let svc = &self.arch.services[s];
        let load = StreamLoad::of(self.arch, s);
        let gb_per_hour = load.write_mb.map(|mb| mb * 3600.0 / KB_PER_MB);
        let gb_month = gb_per_hour.map(|g| g * HOURS_PER_MONTH);
        let retention = svc
            .number("retention_hours")
            .or_else(|| self.default_of(s, "retention"))
            .unwrap_or(0.0);
        let id = "kinesis-data-streams";
        let extended = self.retention_band(id, "extended-retention");
        let on_demand_extended = self.retention_band(id, "on-demand-extended-retention");
        let long_term = self.retention_band(id, "long-term-retention");
        if gb_month.is_some() {
            self.assume("1 GB = 1,024 MB and 1 MB = 1,024 KB".into());
        }
        if svc.text("mode") == Some("on-demand") {
            self.line(
                out,
                "Stream hours (on-demand)",
                id,
                "on-demand-stream-hour",
                None,
                HOURS_PER_MONTH,
                "stream-hour",
            );
            let Some(gb) = gb_month else {
                self.missing(
                    out,
                    "data written and read (on-demand)",
                    &["throughput.mb_per_s"],
                );
                return;
            };
            self.line(
                out,
                "Data written (on-demand)",
                id,
                "on-demand-ingest",
                None,
                gb,
                "GB",
            );
            if load.consumers > 0 {
                let (label, component) = if load.efo {
                    (
                        "Data read, enhanced fan-out (on-demand)",
                        "on-demand-efo-retrieval",
                    )
                } else {
                    ("Data read (on-demand)", "on-demand-retrieval")
                };
                self.line(
                    out,
                    label,
                    id,
                    component,
                    None,
                    gb * f64::from(load.consumers),
                    "GB",
                );
                self.assume(format!(
                    "`{}`: each of its {} consumer(s) reads everything written",
                    svc.id, load.consumers
                ));
            }
            let g = gb_per_hour.unwrap_or(0.0);
            if let Some((over, up_to)) = on_demand_extended
                && retention > over
            {
                let kept = retention.min(up_to.unwrap_or(f64::INFINITY)) - over;
                self.line(
                    out,
                    band_label("Extended retention", over, up_to),
                    id,
                    "on-demand-extended-retention",
                    None,
                    g * kept,
                    "GB-month",
                );
            }
            if let Some(band) = long_term
                && retention > band.0
            {
                self.long_term_retention(out, id, band, g, retention);
            }
            return;
        }
        let Some(shards) = svc.attr("shards").and_then(|a| a.as_i64()) else {
            self.missing(out, "shard hours", &["shards"]);
            return;
        };
        let shards = shards as f64;
        self.line(
            out,
            "Shard hours",
            id,
            "shard-hour",
            None,
            shards * HOURS_PER_MONTH,
            "shard-hour",
        );
        match load.records {
            Some(r) => {
                let unit_kb = self.billed_in_kb(id, "put-payload-units");
                let units_per_record = match (load.record_kb, unit_kb) {
                    (Some(kb), Some(unit)) => (kb / unit).ceil().max(1.0),
                    (None, Some(unit)) => {
                        self.assume(format!(
                            "`{}`: records of unknown size count as one {} KB PUT payload unit each",
                            svc.id,
                            number(unit)
                        ));
                        1.0
                    }
                    (_, None) => 1.0,
                };
                let label = unit_kb.map_or("PUT payload units".to_string(), |u| {
                    format!("PUT payload units ({} KB each)", number(u))
                });
                self.line(
                    out,
                    label,
                    id,
                    "put-payload-units",
                    None,
                    r * SECONDS_PER_MONTH * units_per_record / 1e6,
                    "million-units",
                );
            }
            None => self.missing(out, "PUT payload units", &["throughput.records_per_s"]),
        }
        if let Some((over, up_to)) = extended
            && retention > over
        {
            self.line(
                out,
                band_label("Extended retention", over, up_to),
                id,
                "extended-retention",
                None,
                shards * HOURS_PER_MONTH,
                "shard-hour",
            );
        }
        if let Some((over, up_to)) = long_term
            && retention > over
        {
            match gb_per_hour {
                Some(g) => self.long_term_retention(out, id, (over, up_to), g, retention),
                None => self.missing(out, "long-term retention", &["throughput.mb_per_s"]),
            }
        }
        if load.efo && load.consumers > 0 {
            let c = f64::from(load.consumers);
            self.line(
                out,
                "Enhanced fan-out consumer-shard hours",
                id,
                "efo-consumer-shard-hour",
                None,
                c * shards * HOURS_PER_MONTH,
                "consumer-shard-hour",
            );
            match gb_month {
                Some(gb) => self.line(
                    out,
                    "Enhanced fan-out data read",
                    id,
                    "efo-retrieval",
                    None,
                    c * gb,
                    "GB",
                ),
                None => self.missing(out, "enhanced fan-out data read", &["throughput.mb_per_s"]),
            }
        }
    }

    /// Records/s and KB a record flowing into a service: its own throughput,
    /// else the sum of what its sources write.
    fn inflow(&mut self, s: ServiceIx) -> Option<(f64, Option<f64>)> {
        let own = StreamLoad::of(self.arch, s);
        if let Some(mb) = own.write_mb {
            return Some((mb, own.records));
        }
        let sources: Vec<ServiceIx> = self
            .arch
            .incoming(s)
            .filter(|(_, f)| f.kind.carries_data())
            .filter_map(|(_, f)| f.from.service)
            .collect();
        let loads: Vec<(ServiceIx, StreamLoad)> = sources
            .into_iter()
            .map(|i| (i, StreamLoad::of(self.arch, i)))
            .filter(|(_, l)| l.write_mb.is_some())
            .collect();
        if loads.is_empty() {
            return None;
        }
        let mb: f64 = loads.iter().filter_map(|(_, l)| l.write_mb).sum();
        let records = loads.iter().map(|(_, l)| l.records).sum::<Option<f64>>();
        let names: Vec<String> = loads
            .iter()
            .map(|(i, _)| format!("`{}`", self.arch.services[*i].id))
            .collect();
        self.assume(format!(
            "`{}` takes in what {} write{} ({} MB/s{})",
            self.arch.services[s].id,
            names.join(" and "),
            if names.len() == 1 { "s" } else { "" },
            number(mb),
            records
                .map(|r| format!(", {} records/s", number(r)))
                .unwrap_or_default()
        ));
        Some((mb, records))
    }

    fn firehose(&mut self, s: ServiceIx, out: &mut ServiceCost) {
        let svc = &self.arch.services[s];
        let gb = if let Some(gb) = svc.number("gb_per_month") {
            Some(gb)
        } else if let Some((mb, records)) = self.inflow(s) {
            match (
                records.filter(|r| *r > 0.0),
                self.billed_in_kb("firehose", "ingest"),
            ) {
                (Some(r), Some(unit)) => {
                    let kb = (mb * KB_PER_MB / r / unit).ceil() * unit;
                    self.assume(format!(
                        "`{}`: each record is billed rounded up to {} KB ({} KB a record)",
                        svc.id,
                        number(unit),
                        number(kb)
                    ));
                    Some(r * kb * SECONDS_PER_MONTH / KB_PER_MB / KB_PER_MB)
                }
                (None, Some(unit)) => {
                    self.assume(format!(
                        "`{}`: records' size unknown, so data is billed as sent, without rounding each record up to {} KB",
                        svc.id,
                        number(unit)
                    ));
                    Some(mb * SECONDS_PER_MONTH / KB_PER_MB)
                }
                (_, None) => Some(mb * SECONDS_PER_MONTH / KB_PER_MB),
            }
        } else {
            None
        };
        let Some(gb) = gb else {
            out.unpriced.push(
                "data ingested: needs `throughput` or `gb_per_month`, or a source that declares its `throughput`".into(),
            );
            return;
        };
        self.assume("1 GB = 1,024 MB and 1 MB = 1,024 KB".into());
        self.line(out, "Data ingested", "firehose", "ingest", None, gb, "GB");
        if matches!(svc.text("output_format"), Some("parquet" | "orc")) {
            self.line(
                out,
                "Format conversion",
                "firehose",
                "format-conversion",
                None,
                gb,
                "GB",
            );
        }
    }

    fn s3(&mut self, s: ServiceIx, out: &mut ServiceCost) {
        let svc = &self.arch.services[s];
        let class = match svc.text("storage_class") {
            Some(c) => c,
            None => {
                if svc.attr("stored_gb").is_some() {
                    self.assume(format!("`{}`: storage class S3 Standard", svc.id));
                }
                "standard"
            }
        };
        match svc.number("stored_gb") {
            Some(gb) => self.line(
                out,
                format!("Storage ({class})"),
                "s3",
                &format!("storage-{class}"),
                None,
                gb,
                "GB-month",
            ),
            None => self.missing(out, "storage", &["stored_gb"]),
        }
        match svc.number("requests_per_month") {
            Some(r) => {
                self.assume(format!(
                    "`{}`: requests_per_month priced as PUT, COPY, POST and LIST requests",
                    svc.id
                ));
                self.line(
                    out,
                    format!("Requests ({class})"),
                    "s3",
                    &format!("requests-{class}"),
                    None,
                    r / 1000.0,
                    "1k-requests",
                );
            }
            None => self.missing(out, "requests", &["requests_per_month"]),
        }
    }

    fn scanned(&mut self, s: ServiceIx, id: &str, out: &mut ServiceCost) {
        match self.arch.services[s].number("scanned_tb_per_month") {
            Some(tb) => self.line(out, "Data scanned", id, "scanned", None, tb, "TB"),
            None => self.missing(out, "data scanned", &["scanned_tb_per_month"]),
        }
    }

    fn glue(&mut self, s: ServiceIx, id: &str, out: &mut ServiceCost) {
        let svc = &self.arch.services[s];
        let (dpus, runs, minutes) = (
            svc.number("dpus"),
            svc.number("runs_per_month"),
            svc.number("minutes_per_run"),
        );
        match (dpus, runs, minutes) {
            (Some(d), Some(r), Some(m)) => self.line(
                out,
                "DPU hours",
                id,
                "dpu-hour",
                None,
                d * r * m / 60.0,
                "DPU-hour",
            ),
            _ => {
                let missing: Vec<&str> = [
                    ("dpus", dpus),
                    ("runs_per_month", runs),
                    ("minutes_per_run", minutes),
                ]
                .iter()
                .filter(|(_, v)| v.is_none())
                .map(|(n, _)| *n)
                .collect();
                self.missing(out, "DPU hours", &missing);
            }
        }
    }

    fn lambda(&mut self, s: ServiceIx, out: &mut ServiceCost) {
        let svc = &self.arch.services[s];
        let Some(n) = svc.number("invocations_per_month") else {
            self.missing(out, "requests and duration", &["invocations_per_month"]);
            return;
        };
        self.line(
            out,
            "Requests",
            "lambda",
            "requests",
            None,
            n / 1e6,
            "million-requests",
        );
        let memory = match svc.number("memory_mb") {
            Some(m) => m,
            None => match self.default_of(s, "memory") {
                Some(m) => {
                    self.assume(format!(
                        "`{}`: {} MB of memory (Lambda's default)",
                        svc.id,
                        number(m)
                    ));
                    m
                }
                None => {
                    self.missing(out, "duration", &["memory_mb"]);
                    return;
                }
            },
        };
        match svc.number("duration_ms") {
            Some(ms) => self.line(
                out,
                "Duration",
                "lambda",
                "duration",
                None,
                n * ms / 1000.0 * memory / 1024.0,
                "GB-second",
            ),
            None => self.missing(out, "duration", &["duration_ms"]),
        }
    }

    fn sqs(&mut self, s: ServiceIx, out: &mut ServiceCost) {
        let svc = &self.arch.services[s];
        let fifo = svc.attr("fifo").and_then(|a| a.as_bool()).unwrap_or(false);
        match svc.number("requests_per_month") {
            Some(r) => self.line(
                out,
                if fifo { "Requests (FIFO)" } else { "Requests" },
                "sqs",
                if fifo { "requests-fifo" } else { "requests" },
                None,
                r / 1e6,
                "million-requests",
            ),
            None => self.missing(out, "requests", &["requests_per_month"]),
        }
    }

    fn dynamodb(&mut self, s: ServiceIx, out: &mut ServiceCost) {
        let svc = &self.arch.services[s];
        let kb = match svc.number("record_size_kb") {
            Some(kb) => kb,
            None => {
                if svc.attr("writes_per_month").is_some() || svc.attr("reads_per_month").is_some() {
                    self.assume(format!("`{}`: items of 1 KB or less", svc.id));
                }
                1.0
            }
        };
        match svc.number("writes_per_month") {
            Some(w) => self.line(
                out,
                "Write request units (on-demand)",
                "dynamodb",
                "write-request-units",
                None,
                w * kb.ceil().max(1.0) / 1e6,
                "million-requests",
            ),
            None => self.missing(out, "write request units", &["writes_per_month"]),
        }
        match svc.number("reads_per_month") {
            Some(r) => self.line(
                out,
                "Read request units (on-demand)",
                "dynamodb",
                "read-request-units",
                None,
                r * (kb / 4.0).ceil().max(1.0) / 1e6,
                "million-requests",
            ),
            None => self.missing(out, "read request units", &["reads_per_month"]),
        }
        match svc.number("stored_gb") {
            Some(gb) => self.line(out, "Storage", "dynamodb", "storage", None, gb, "GB-month"),
            None => self.missing(out, "storage", &["stored_gb"]),
        }
    }

    fn redshift(&mut self, s: ServiceIx, out: &mut ServiceCost) {
        let svc = &self.arch.services[s];
        let hours = self.hours(s);
        match (
            svc.text("node_type"),
            svc.attr("nodes").and_then(|a| a.as_i64()),
        ) {
            (Some(t), Some(n)) => {
                self.line(
                    out,
                    format!("Nodes ({t} × {n})"),
                    "redshift",
                    "node-hour",
                    Some(t),
                    n as f64 * hours,
                    "node-hour",
                );
                if t.starts_with("ra3") {
                    match svc.number("stored_gb") {
                        Some(gb) => self.line(
                            out,
                            "Managed storage",
                            "redshift",
                            "managed-storage",
                            None,
                            gb,
                            "GB-month",
                        ),
                        None => self.missing(out, "managed storage", &["stored_gb"]),
                    }
                }
            }
            _ => self.missing(out, "node hours", &["node_type", "nodes"]),
        }
    }

    fn msk(&mut self, s: ServiceIx, out: &mut ServiceCost) {
        let svc = &self.arch.services[s];
        let hours = self.hours(s);
        let (Some(t), Some(n)) = (
            svc.text("broker_type"),
            svc.attr("brokers").and_then(|a| a.as_i64()),
        ) else {
            self.missing(out, "broker hours", &["broker_type", "brokers"]);
            return;
        };
        self.line(
            out,
            format!("Brokers ({t} × {n})"),
            "msk",
            "broker-hour",
            Some(t),
            n as f64 * hours,
            "broker-hour",
        );
        match svc.number("storage_gb") {
            Some(gb) => self.line(
                out,
                "Broker storage",
                "msk",
                "storage",
                None,
                gb * n as f64,
                "GB-month",
            ),
            None => self.missing(out, "broker storage", &["storage_gb"]),
        }
    }

    fn instances(&mut self, s: ServiceIx, how: &InstanceServiceDef, out: &mut ServiceCost) {
        let svc = &self.arch.services[s];
        let groups = node_groups(svc);
        if groups.is_empty() {
            self.missing(out, "instance hours", &["instance_type"]);
            return;
        }
        let hours = self.hours(s);
        if svc.attr("hours_per_month").is_none() {
            self.assume(format!(
                "`{}`: runs all month ({} hours)",
                svc.id,
                number(HOURS_PER_MONTH)
            ));
        }
        for g in &groups {
            let name = g.type_name();
            let role = match g.role {
                Role::Single => String::new(),
                r => format!(", {}", r.label()),
            };
            if g.spot {
                self.assume(format!(
                    "`{}`: spot instances are priced at the on-demand rate, an upper bound",
                    svc.id
                ));
            }
            let n = g.count as f64;
            let (price_service, component, base_label) = if how.prefix().is_empty() {
                ("ec2", "instance", "EC2")
            } else {
                (how.service.as_str(), "instance", "Instances")
            };
            self.line(
                out,
                format!("{base_label} {name} × {}{role}", g.count),
                price_service,
                component,
                Some(name),
                n * hours,
                "instance-hour",
            );
            if let Some(surcharge) = &how.surcharge {
                self.line(
                    out,
                    format!("EMR charge {name} × {}{role}", g.count),
                    surcharge,
                    "surcharge",
                    Some(name),
                    n * hours,
                    "instance-hour",
                );
            }
        }
    }
}
