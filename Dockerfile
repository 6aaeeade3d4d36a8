# syntax=docker/dockerfile:1
# Build: docker build -t crossdock:0.1.0 .   (the crate's version: the
#        image deploy/k8s/deployment.yaml runs)
# Run:   docker run -p 8080:8080 -p 9090:9090 crossdock:0.1.0
# Kubernetes: deploy/k8s/ (the config comes from a ConfigMap mounted at
# /app/config; secrets from the environment).
#
# tests/it/deploy_files.rs checks this file statically (no engine in CI): the
# stages, the non-root USER, HEALTHCHECK, --locked, that every COPY source
# exists and covers every file the build reads, and that EXPOSE matches
# the Kubernetes ports.

FROM rust:1-bookworm AS build
WORKDIR /src
# What `cargo build --bin crossdock` reads: the manifest and lock, the
# sources, the declared bench target (Cargo refuses a missing one), and the
# simulator's fixtures (include_str! from src/backends/vehizen/sim.rs).
# fuzz/ is its own workspace and is not built here.
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY benches ./benches
COPY tests/fixtures ./tests/fixtures
COPY openapi ./openapi
RUN cargo build --release --locked --bin crossdock

FROM debian:bookworm-slim AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 crossdock \
    && useradd --system --uid 10001 --gid 10001 --no-create-home crossdock
WORKDIR /app
COPY --from=build /src/target/release/crossdock /usr/local/bin/crossdock
COPY config ./config
# Numeric, so Kubernetes' runAsNonRoot can verify it.
USER 10001:10001
# Listen on all interfaces inside the container.
ENV CROSSDOCK__SERVER__LISTEN=0.0.0.0:8080 \
    CROSSDOCK__ADMIN__LISTEN=0.0.0.0:9090
EXPOSE 8080 9090
HEALTHCHECK --interval=10s --timeout=2s --start-period=5s --retries=3 \
    CMD curl -fsS http://127.0.0.1:9090/healthz || exit 1
ENTRYPOINT ["crossdock"]
CMD ["--config", "config/default.toml"]
