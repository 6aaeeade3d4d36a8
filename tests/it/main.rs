//! The integration tests, linked as one binary: the real gateway and real
//! HTTP vendors on loopback sockets, golden files and properties. Each
//! module is one area; `common` is the harness they share (the gateway,
//! scripted vendors, TLS material, a token endpoint, a proxy, and the
//! config builder).
//!
//! The tests of every module run side by side in threads of one process:
//! a test must not set process-wide state (environment variables, the
//! current directory, a global log subscriber) nor count on running alone.
//! One that must (`secrets`, which captures every log line, and the memory
//! test of `faults`) runs in a process of its own through
//! `common::run_alone`.

// A test's unwrap is its assertion, in the shared harness too (clippy's
// allow-unwrap-in-tests covers `#[test]` functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

mod access_log;
mod bokamera_golden;
mod bokamera_prop;
mod config_cli;
mod customer_groups;
mod customers_bokamera;
mod customers_department;
mod dashboard;
mod department_mapping;
mod deploy_files;
mod docs;
mod edge;
mod faults;
mod fleet_admin_golden;
mod fleet_admin_props;
mod idempotency;
mod ids;
mod inbound;
mod jsv_bokamera;
mod jsv_props;
mod lifecycle;
mod metrics_promtool;
mod openapi;
mod outbound_config;
mod outbound_oauth;
mod outbound_tls;
mod rate_limits;
mod real_vendors;
mod reload_state;
mod resilience;
mod runtime;
mod secrets;
mod stream_gen;
mod stream_reads;
mod tenants;
mod trace_context;
mod unconfirmed_writes;
mod vehicle_categories;
mod vehizen_golden;
mod vehizen_prop;
mod vehizen_xml_reading;
mod vendor_leaks;
