# Build stage: gcc is included in the golang image (needed for CGO / SQLite).
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -tags sqlite_fts5 -trimpath -ldflags='-s -w' \
    -o /out/switchboard ./cmd/switchboard

# Runtime stage.
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /home/switchboard switchboard \
    && mkdir -p /data \
    && chown switchboard:switchboard /data
COPY --from=build /out/switchboard /usr/local/bin/switchboard
USER switchboard
WORKDIR /data
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/switchboard"]
CMD ["serve"]
