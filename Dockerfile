# syntax=docker/dockerfile:1
# Build: a static binary (CGO off: modernc.org/sqlite is pure Go). Fonts,
# templates and time zone data are embedded, so the runtime image needs
# nothing but the binary and CA certificates for SMTP over TLS.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" \
      -o /out/gevinstrapport ./cmd/gevinstrapport \
 && mkdir -p /out/var/lib/gevinstrapport

# Run: distroless static, non-root (uid 65532), state and output under
# /var/lib/gevinstrapport (mount a volume there).
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/gevinstrapport /usr/local/bin/gevinstrapport
COPY --from=build --chown=65532:65532 /out/var/lib/gevinstrapport /var/lib/gevinstrapport
USER 65532:65532
WORKDIR /var/lib/gevinstrapport
EXPOSE 9464
ENTRYPOINT ["/usr/local/bin/gevinstrapport"]
CMD ["daemon", "--config", "/etc/gevinstrapport/config.yaml"]
