package mail

import (
	"bytes"
	"context"
	"io"
	"testing"
	"time"
)

// bigMessage is a report mail with a PDF-sized attachment of n bytes.
func bigMessage(b *testing.B, n int) Message {
	b.Helper()
	pdf := bytes.Repeat([]byte("%PDF-1.7 gevinstrapport æøå "), n/28+1)[:n]
	return Message{
		To:          []Address{{Name: "Kari Nordmann", Email: "kari.nordmann@example.no"}},
		Subject:     norwegianSubject,
		Text:        "Hei Kari,\n\nVedlagt finner du gevinstrapporten.\n",
		Attachments: []Attachment{{Name: "Gevinstrapport 2025-09 Kari Nordmann.pdf", ContentType: "application/pdf", Data: pdf}},
		ID:          "bench",
	}
}

func BenchmarkWriteEML(b *testing.B) {
	m := bigMessage(b, 1<<20)
	date := time.Date(2025, 10, 3, 6, 0, 0, 0, time.UTC)
	b.SetBytes(1 << 20)
	for b.Loop() {
		if err := WriteEML(io.Discard, m, "gevinst@example.no", date); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSendSTARTTLS(b *testing.B) {
	be := &backend{}
	port, pool := startServer(b, be, startTLSServer)
	cfg := testConfig(port, TLSStartTLS)
	cfg.RootCAs = pool
	s, err := NewSender(cfg)
	if err != nil {
		b.Fatal(err)
	}
	m := bigMessage(b, 1<<20)
	b.SetBytes(1 << 20)
	for b.Loop() {
		if err := s.Send(context.Background(), m); err != nil {
			b.Fatal(err)
		}
	}
}
