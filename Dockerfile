# Multi-stage build of spark-connect-server: a full Rust toolchain builds the
# release binary; the runtime image holds only the binary and its config.
#
#   docker build -t spark-connect-server .
#   docker run -p 15002:15002 spark-connect-server
#   docker run -p 15002:15002 -v $PWD/myconf:/etc/spark-connect-server spark-connect-server
#
# The config directory /etc/spark-connect-server holds config.toml (a copy of
# config/default.toml); mount your own directory over it to change settings.

FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock build.rs ./
COPY proto proto
COPY config config
COPY src src
COPY crates crates
RUN cargo build --release --locked --bin spark-connect-server

FROM debian:bookworm-slim
RUN useradd --system --create-home --home-dir /var/lib/spark-connect-server spark
COPY --from=build /src/target/release/spark-connect-server /usr/local/bin/spark-connect-server
COPY config/default.toml /etc/spark-connect-server/config.toml
USER spark
WORKDIR /var/lib/spark-connect-server
ENV SPARK_CONNECT_SERVER_WAREHOUSE_DIR=/var/lib/spark-connect-server/spark-warehouse
EXPOSE 15002
ENTRYPOINT ["spark-connect-server", "--host", "0.0.0.0", "--port", "15002", "--config", "/etc/spark-connect-server/config.toml"]
