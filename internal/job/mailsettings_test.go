package job

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"mime"
	netmail "net/mail"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestConfiguredMailSettings: smtp.helo, reply_to and smtp.smime_cert /
// smime_key from the config reach the relay through the production wiring:
// every session says the configured EHLO name, and every report mail is
// S/MIME signed (multipart/signed) with the configured Reply-To.
func TestConfiguredMailSettings(t *testing.T) {
	f := newFixture(t, stateStore{driver: "sqlite", dsn: filepath.Join(t.TempDir(), "state.db")})
	f.relayConfig(f.port, "none")
	f.cfg.SMTP.HELO = "gevinstrapport.helse-test.no"
	f.cfg.SMTP.SMIMECert, f.cfg.SMTP.SMIMEKey = writeSMIMEPair(t)
	f.cfg.ReplyTo = "Gevinstteamet <gevinst-svar@example.no>"
	w := f.relayWorker("a")
	res := run(t, w, false)
	if res.Sent != len(withEmail()) {
		t.Fatalf("sent %d, want %d: %+v", res.Sent, len(withEmail()), res)
	}
	helos := f.smtp.seenHELOs()
	if len(helos) == 0 {
		t.Fatal("the relay saw no session")
	}
	for _, h := range helos {
		if h != f.cfg.SMTP.HELO {
			t.Errorf("EHLO name %q, want %q", h, f.cfg.SMTP.HELO)
		}
	}
	for _, p := range withEmail() {
		for _, d := range f.smtp.to(p.email) {
			msg, err := netmail.ReadMessage(bytes.NewReader(d.Data))
			if err != nil {
				t.Fatalf("message to %s: %v", p.email, err)
			}
			mediaType, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
			if mediaType != "multipart/signed" || params["protocol"] != "application/pkcs7-signature" {
				t.Errorf("message to %s: Content-Type %q, want multipart/signed", p.email, msg.Header.Get("Content-Type"))
			}
			if replyTo, err := msg.Header.AddressList("Reply-To"); err != nil || len(replyTo) != 1 || replyTo[0].Address != "gevinst-svar@example.no" {
				t.Errorf("message to %s: Reply-To %v (%v)", p.email, replyTo, err)
			}
		}
	}
}

// writeSMIMEPair writes a self-signed S/MIME certificate and its key as PEM files.
func writeSMIMEPair(t *testing.T) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(3), Subject: pkix.Name{CommonName: "Gevinstrapport"},
		EmailAddresses: []string{"gevinst@example.no"},
		NotBefore:      time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "smime.crt"), filepath.Join(dir, "smime.key")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}
