//! The spans HotROD emits, as static templates plus per-span facts
//! (status, duration). Spans are never stored: each one is handed to a
//! [`SpanSink`] the moment it is generated.

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum SpanKind {
    Server,
    Client,
}

impl SpanKind {
    pub fn otel(self) -> &'static str {
        match self {
            SpanKind::Server => "SPAN_KIND_SERVER",
            SpanKind::Client => "SPAN_KIND_CLIENT",
        }
    }
}

/// HotROD's services, each with its own tracer provider and resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Service {
    Frontend,
    Customer,
    Driver,
    Route,
    Mysql,
    Redis,
}

impl Service {
    pub const ALL: [Service; 6] = [
        Service::Frontend,
        Service::Customer,
        Service::Driver,
        Service::Route,
        Service::Mysql,
        Service::Redis,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Service::Frontend => "frontend",
            Service::Customer => "customer",
            Service::Driver => "driver",
            Service::Route => "route",
            Service::Mysql => "mysql",
            Service::Redis => "redis-manual",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// A span shape: who emits it, its name and kind, and its (constant)
/// attributes. Attributes that vary per request in the real app (driver
/// IDs, customer IDs) are not modelled.
#[derive(Debug)]
pub struct SpanTemplate {
    pub id: usize,
    pub service: Service,
    pub name: &'static str,
    pub kind: SpanKind,
    pub attributes: &'static [(&'static str, &'static str)],
}

const HTTP_SERVER: &[(&str, &str)] = &[("http.method", "GET"), ("http.status_code", "200")];
const HTTP_CLIENT: &[(&str, &str)] = &[("http.method", "GET"), ("http.status_code", "200")];
const GRPC: &[(&str, &str)] = &[
    ("rpc.system", "grpc"),
    ("rpc.service", "driver.DriverService"),
    ("rpc.method", "FindNearest"),
];

pub const DISPATCH: SpanTemplate = SpanTemplate {
    id: 0,
    service: Service::Frontend,
    name: "/dispatch",
    kind: SpanKind::Server,
    attributes: HTTP_SERVER,
};
pub const STATIC: SpanTemplate = SpanTemplate {
    id: 1,
    service: Service::Frontend,
    name: "/",
    kind: SpanKind::Server,
    attributes: HTTP_SERVER,
};
pub const METRICS: SpanTemplate = SpanTemplate {
    id: 2,
    service: Service::Frontend,
    name: "/metrics",
    kind: SpanKind::Server,
    attributes: HTTP_SERVER,
};
pub const CUSTOMER_CLIENT: SpanTemplate = SpanTemplate {
    id: 3,
    service: Service::Frontend,
    name: "HTTP GET /customer",
    kind: SpanKind::Client,
    attributes: HTTP_CLIENT,
};
pub const CUSTOMER: SpanTemplate = SpanTemplate {
    id: 4,
    service: Service::Customer,
    name: "/customer",
    kind: SpanKind::Server,
    attributes: HTTP_SERVER,
};
pub const SQL: SpanTemplate = SpanTemplate {
    id: 5,
    service: Service::Mysql,
    name: "SQL SELECT",
    kind: SpanKind::Client,
    attributes: &[("peer.service", "mysql")],
};
pub const DRIVER_CLIENT: SpanTemplate = SpanTemplate {
    id: 6,
    service: Service::Frontend,
    name: "driver.DriverService/FindNearest",
    kind: SpanKind::Client,
    attributes: GRPC,
};
pub const DRIVER: SpanTemplate = SpanTemplate {
    id: 7,
    service: Service::Driver,
    name: "driver.DriverService/FindNearest",
    kind: SpanKind::Server,
    attributes: GRPC,
};
pub const FIND_DRIVER_IDS: SpanTemplate = SpanTemplate {
    id: 8,
    service: Service::Redis,
    name: "FindDriverIDs",
    kind: SpanKind::Client,
    attributes: &[("peer.service", "redis")],
};
pub const GET_DRIVER: SpanTemplate = SpanTemplate {
    id: 9,
    service: Service::Redis,
    name: "GetDriver",
    kind: SpanKind::Client,
    attributes: &[("peer.service", "redis")],
};
pub const ROUTE_CLIENT: SpanTemplate = SpanTemplate {
    id: 10,
    service: Service::Frontend,
    name: "HTTP GET /route",
    kind: SpanKind::Client,
    attributes: HTTP_CLIENT,
};
pub const ROUTE: SpanTemplate = SpanTemplate {
    id: 11,
    service: Service::Route,
    name: "/route",
    kind: SpanKind::Server,
    attributes: HTTP_SERVER,
};

pub const TEMPLATE_COUNT: usize = 12;

pub static TEMPLATES: [&SpanTemplate; TEMPLATE_COUNT] = [
    &DISPATCH,
    &STATIC,
    &METRICS,
    &CUSTOMER_CLIENT,
    &CUSTOMER,
    &SQL,
    &DRIVER_CLIENT,
    &DRIVER,
    &FIND_DRIVER_IDS,
    &GET_DRIVER,
    &ROUTE_CLIENT,
    &ROUTE,
];

/// A resource: one service of one pod. `id` is unique in a run.
#[derive(Clone, Debug, PartialEq)]
pub struct Resource {
    pub id: usize,
    pub service: Service,
    /// In the order the SDK builds them; keys are unique.
    pub attributes: Vec<(String, String)>,
}

impl Resource {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// Receives spans as they are produced.
pub trait SpanSink {
    fn span(
        &mut self,
        resource: &Resource,
        template: &'static SpanTemplate,
        error: bool,
        duration_ms: f64,
    );
    /// One finished trace (a request's root span), for Jaeger's counts.
    fn trace(&mut self) {}
}

/// A sink that drops everything (spans whose export fails).
pub struct Discard;

impl SpanSink for Discard {
    fn span(&mut self, _: &Resource, _: &'static SpanTemplate, _: bool, _: f64) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_ids_match_their_position() {
        for (i, t) in TEMPLATES.iter().enumerate() {
            assert_eq!(t.id, i, "{}", t.name);
        }
    }
}
