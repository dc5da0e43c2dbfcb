# syntax=docker/dockerfile:1
# gevinstrapport container image.
#
# No Docker engine runs in our build environment: this file is kept correct by
# reading it, not by building it. What it relies on is checked by the tests
# and by building the same command outside Docker:
#   - CGO off gives a static binary: modernc.org/sqlite is pure Go.
#   - Everything the program reads at run time is inside the binary: the
#     report and mail templates (go:embed in templates/), the fonts
#     (golang.org/x/image/font/gofont) and the time zone database
#     (import _ "time/tzdata" in cmd/gevinstrapport).
#   - The runtime image only adds CA certificates (SMTP over TLS, MySQL over
#     TLS), /etc/passwd with the nonroot user, and an empty state folder.
#
#   docker build --build-arg VERSION=1.0.0 \
#     --build-arg REVISION=$(git rev-parse HEAD) \
#     --build-arg CREATED=$(date -u +%Y-%m-%dT%H:%M:%SZ) \
#     --build-arg SOURCE=https://git.example.no/gevinstrapport \
#     -t gevinstrapport:1.0.0 .
#   docker run --rm gevinstrapport:1.0.0 run          # the demo's owner reports, inside the container
#   docker run --rm gevinstrapport:1.0.0 schema --dialect mysql

# Build on the builder's own platform and cross-compile for the target
# (docker buildx build --platform linux/amd64,linux/arm64 …).
FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG VERSION=dev
# The commit (git rev-parse HEAD) and the build time (RFC 3339): `version`
# prints them, and the OCI labels below carry them. Empty, they are left out.
ARG REVISION=
ARG CREATED=
ARG TARGETOS
ARG TARGETARCH
# TARGETOS/TARGETARCH are set by BuildKit; no defaults here, as a default
# would shadow them (docker/buildx#510); empty, Go builds for the builder.
# -buildvcs=false: the version, commit and date come from the build args,
# and the build context need not hold .git.
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -buildvcs=false \
      -ldflags "-s -w -X main.version=${VERSION} -X main.commit=${REVISION} -X main.date=${CREATED}" \
      -o /out/gevinstrapport ./cmd/gevinstrapport \
 && mkdir -p /out/var/lib/gevinstrapport

# Run: distroless static (CA certificates, tzdata, no shell), non-root
# (uid 65532). State (ledger) and output live under /var/lib/gevinstrapport:
# mount a volume there. The root file system can be read-only; give /tmp a
# writable volume too.
FROM gcr.io/distroless/static-debian12:nonroot
# Build args are per stage: declared again for the labels.
ARG VERSION=dev
ARG REVISION=
ARG CREATED=
ARG SOURCE=
LABEL org.opencontainers.image.title="gevinstrapport" \
      org.opencontainers.image.description="PDF benefits realisation reports for Norwegian health services, emailed exactly once on a schedule" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}"
COPY --from=build /out/gevinstrapport /usr/local/bin/gevinstrapport
COPY --from=build --chown=65532:65532 /out/var/lib/gevinstrapport /var/lib/gevinstrapport
USER 65532:65532
WORKDIR /var/lib/gevinstrapport
# /healthz and /metrics of the daemon. The config's daemon.listen defaults to
# 127.0.0.1:9464, which is unreachable from outside the container: set it to
# ":9464" in a container.
EXPOSE 9464
# Docker's health check asks the daemon's /healthz with the binary itself
# (distroless has no shell and no curl): exit 0 for 200, 1 for anything else
# or no answer within --timeout. It reads daemon.listen from the same config
# as CMD (":9464" is asked on 127.0.0.1). Started with another config path,
# override it: docker run --health-cmd … or HEALTHCHECK NONE in a derived
# image. A one-shot `run` container ends before the first check.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
  CMD ["/usr/local/bin/gevinstrapport", "healthcheck", "--config", "/etc/gevinstrapport/config.yaml", "--timeout", "5s"]
ENTRYPOINT ["/usr/local/bin/gevinstrapport"]
CMD ["daemon", "--config", "/etc/gevinstrapport/config.yaml"]
