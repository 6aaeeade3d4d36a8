# syntax=docker/dockerfile:1
# Build: docker build -t crossdock .
# Run:   docker run -p 8080:8080 -p 9090:9090 crossdock
FROM rust:1-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY benches ./benches
COPY config ./config
RUN cargo build --release --locked --bin crossdock

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --no-create-home crossdock
WORKDIR /app
COPY --from=build /src/target/release/crossdock /usr/local/bin/crossdock
COPY config ./config
USER 10001
# Listen on all interfaces inside the container.
ENV CROSSDOCK__SERVER__LISTEN=0.0.0.0:8080 \
    CROSSDOCK__ADMIN__LISTEN=0.0.0.0:9090
EXPOSE 8080 9090
HEALTHCHECK --interval=10s --timeout=2s --retries=3 \
    CMD curl -fsS http://127.0.0.1:9090/healthz || exit 1
ENTRYPOINT ["crossdock"]
CMD ["--config", "config/default.toml"]
