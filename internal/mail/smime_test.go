package mail

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	netmail "net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// smimeFiles makes a self-signed S/MIME certificate for gevinst@example.no
// with a key of the given kind, writes both as PEM files and returns their
// paths and the certificate.
func smimeFiles(t *testing.T, kind string, notAfter time.Time) (certFile, keyFile string, cert *x509.Certificate) {
	t.Helper()
	var key crypto.Signer
	var err error
	if kind == "rsa" {
		key, err = rsa.GenerateKey(rand.Reader, 2048)
	} else {
		key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	}
	if err != nil {
		t.Fatalf("generate key: %v", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:   big.NewInt(42),
		Subject:        pkix.Name{CommonName: "Gevinstrapport", Organization: []string{"Helse Testnord"}},
		EmailAddresses: []string{"gevinst@example.no"},
		NotBefore:      time.Now().Add(-48 * time.Hour),
		NotAfter:       notAfter,
		KeyUsage:       x509.KeyUsageDigitalSignature,
		ExtKeyUsage:    []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatalf("create certificate: %v", err)
	}
	if cert, err = x509.ParseCertificate(der); err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile = writeFile(t, dir, "smime.crt", string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})), 0o644)
	keyFile = writeFile(t, dir, "smime.key", string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})), 0o600)
	return certFile, keyFile, cert
}

// TestSendSMIMESigned: with a signing certificate, the relay receives a
// multipart/signed message whose detached signature verifies against the
// certificate over the exact first part, which is the report mail with its PDF.
func TestSendSMIMESigned(t *testing.T) {
	for _, kind := range []string{"ecdsa", "rsa"} {
		t.Run(kind, func(t *testing.T) {
			certFile, keyFile, cert := smimeFiles(t, kind, time.Now().Add(365*24*time.Hour))
			signer, err := LoadSMIME(certFile, keyFile, time.Now())
			if err != nil {
				t.Fatalf("LoadSMIME: %v", err)
			}
			be := &backend{}
			port, _ := startServer(t, be, plainServer)
			cfg := testConfig(port, TLSNone)
			cfg.SMIME = signer
			s, err := NewSender(cfg)
			if err != nil {
				t.Fatalf("NewSender: %v", err)
			}
			m := testMessage(t, "kari.nordmann@example.no")
			if err := s.Send(context.Background(), m); err != nil {
				t.Fatalf("Send: %v", err)
			}
			msgs := be.messages()
			if len(msgs) != 1 {
				t.Fatalf("relay received %d messages, want 1", len(msgs))
			}
			data := msgs[0].Data
			content, signature := splitSigned(t, data)
			if err := verifyDetached(content, signature, cert); err != nil {
				t.Fatalf("signature does not verify against the certificate: %v", err)
			}
			tampered := bytes.Replace(content, []byte("Vedlagt finner du"), []byte("Vedlagt finner vi"), 1)
			if bytes.Equal(tampered, content) {
				t.Fatal("the text to change is not in the signed part")
			}
			if err := verifyDetached(tampered, signature, cert); err == nil {
				t.Fatal("the signature also verifies a changed message")
			}
			inner := append([]byte("From: x@example.no\r\nSubject: "+mime.QEncoding.Encode("UTF-8", m.Subject)+"\r\n"), content...)
			got := parseMail(t, inner)
			if !bytes.Equal(got.attachment, m.Attachments[0].Data) || !strings.Contains(got.text, "Vedlagt finner du") {
				t.Errorf("the signed part is not the report mail: text %q, %d attachment bytes", got.text, len(got.attachment))
			}
			opensslVerify(t, data, cert)
		})
	}
}

// splitSigned checks that data is multipart/signed with a PKCS#7
// signature and returns the signed first part (headers and body, as sent)
// and the DER signature.
func splitSigned(t *testing.T, data []byte) (content, signature []byte) {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("parse message: %v", err)
	}
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/signed" || params["protocol"] != "application/pkcs7-signature" {
		t.Fatalf("Content-Type = %q, want multipart/signed with protocol application/pkcs7-signature", msg.Header.Get("Content-Type"))
	}
	body, err := io.ReadAll(msg.Body)
	if err != nil {
		t.Fatal(err)
	}
	// The signed content is the first part exactly as sent: from after the
	// first delimiter line to the CRLF before the next one (RFC 1847).
	delim := []byte("--" + params["boundary"])
	start := bytes.Index(body, append(delim, '\r', '\n'))
	end := bytes.Index(body, append([]byte("\r\n"), delim...))
	if start < 0 || end <= start {
		t.Fatalf("no first part between the boundaries in\n%s", body)
	}
	content = body[start+len(delim)+2 : end]
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("next part: %v", err)
		}
		if ct, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type")); ct == "application/pkcs7-signature" {
			b64, _ := io.ReadAll(part)
			if signature, err = base64.StdEncoding.DecodeString(strings.Join(strings.Fields(string(b64)), "")); err != nil {
				t.Fatalf("decode signature: %v", err)
			}
		}
	}
	if signature == nil {
		t.Fatal("no application/pkcs7-signature part")
	}
	return content, signature
}

// PKCS#7 (RFC 2315) structures, as much of them as verification needs.
type (
	contentInfo struct {
		ContentType asn1.ObjectIdentifier
		Content     asn1.RawValue `asn1:"explicit,optional,tag:0"`
	}
	signedData struct {
		Version          int
		DigestAlgorithms asn1.RawValue
		ContentInfo      contentInfo
		Certificates     asn1.RawValue `asn1:"optional,tag:0"`
		SignerInfos      []signerInfo  `asn1:"set"`
	}
	signerInfo struct {
		Version            int
		IssuerAndSerial    asn1.RawValue
		DigestAlgorithm    pkix.AlgorithmIdentifier
		AuthAttributes     asn1.RawValue `asn1:"optional,tag:0"`
		SignatureAlgorithm pkix.AlgorithmIdentifier
		Signature          []byte
	}
	attribute struct {
		Type   asn1.ObjectIdentifier
		Values asn1.RawValue `asn1:"set"`
	}
)

var (
	oidSHA256        = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidMessageDigest = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
)

// verifyDetached checks a detached PKCS#7 signature over content: the
// signed messageDigest attribute is content's SHA-256, and the signature
// over the signed attributes verifies with cert's public key.
func verifyDetached(content, der []byte, cert *x509.Certificate) error {
	var ci contentInfo
	if _, err := asn1.Unmarshal(der, &ci); err != nil {
		return err
	}
	var sd signedData
	if _, err := asn1.Unmarshal(ci.Content.Bytes, &sd); err != nil {
		return err
	}
	if len(sd.SignerInfos) != 1 {
		return errors.New("want one signer")
	}
	si := sd.SignerInfos[0]
	if !si.DigestAlgorithm.Algorithm.Equal(oidSHA256) {
		return errors.New("digest is not SHA-256")
	}
	var attrs []attribute
	if _, err := asn1.UnmarshalWithParams(si.AuthAttributes.FullBytes, &attrs, "set,tag:0"); err != nil {
		return err
	}
	sum := sha256.Sum256(content)
	found := false
	for _, a := range attrs {
		var digest []byte
		if a.Type.Equal(oidMessageDigest) {
			if _, err := asn1.Unmarshal(a.Values.Bytes, &digest); err != nil {
				return err
			}
			if !bytes.Equal(digest, sum[:]) {
				return errors.New("messageDigest is not the content's SHA-256")
			}
			found = true
		}
	}
	if !found {
		return errors.New("no messageDigest attribute")
	}
	// The signature covers the attributes DER-encoded as a SET (RFC 2315 9.3).
	signed := append([]byte{0x31}, si.AuthAttributes.FullBytes[1:]...)
	hash := sha256.Sum256(signed)
	switch pub := cert.PublicKey.(type) {
	case *ecdsa.PublicKey:
		if !ecdsa.VerifyASN1(pub, hash[:], si.Signature) {
			return errors.New("ECDSA signature does not verify")
		}
	case *rsa.PublicKey:
		return rsa.VerifyPKCS1v15(pub, crypto.SHA256, hash[:], si.Signature)
	default:
		return errors.New("unknown key type")
	}
	return nil
}

// opensslVerify checks the message with `openssl smime -verify` as a mail
// client would, and that the signer is cert. Without openssl it says so.
func opensslVerify(t *testing.T, data []byte, cert *x509.Certificate) {
	t.Helper()
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Log("openssl not installed: only the Go verification ran")
		return
	}
	dir := t.TempDir()
	in := writeFile(t, dir, "signed.eml", string(data), 0o600)
	signerFile := filepath.Join(dir, "signer.pem")
	out, err := exec.Command(openssl, "smime", "-verify", "-noverify", "-in", in, "-signer", signerFile, "-out", os.DevNull).CombinedOutput()
	if err != nil {
		t.Fatalf("openssl smime -verify: %v\n%s", err, out)
	}
	signerPEM, err := os.ReadFile(signerFile)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(signerPEM)
	if block == nil || !bytes.Equal(block.Bytes, cert.Raw) {
		t.Error("openssl names a signer other than the configured certificate")
	}
	changed := strings.Replace(string(data), "Vedlagt finner du", "Vedlagt finner vi", 1)
	if changed == string(data) {
		t.Fatal("the text to change is not in the message")
	}
	tampered := writeFile(t, dir, "tampered.eml", changed, 0o600)
	if out, err := exec.Command(openssl, "smime", "-verify", "-noverify", "-in", tampered, "-out", os.DevNull).CombinedOutput(); err == nil {
		t.Errorf("openssl verifies a changed message:\n%s", out)
	}
}

func TestLoadSMIME(t *testing.T) {
	certFile, keyFile, _ := smimeFiles(t, "ecdsa", time.Now().Add(time.Hour))
	_, otherKey, _ := smimeFiles(t, "ecdsa", time.Now().Add(time.Hour))
	expiredCert, expiredKey, _ := smimeFiles(t, "ecdsa", time.Now().Add(-time.Hour))
	tests := []struct {
		name, cert, key, wantErr string
	}{
		{name: "valid", cert: certFile, key: keyFile},
		{name: "key of another certificate", cert: certFile, key: otherKey, wantErr: "does not match"},
		{name: "expired", cert: expiredCert, key: expiredKey, wantErr: "expired on"},
		{name: "missing", cert: filepath.Join(t.TempDir(), "none.crt"), key: keyFile, wantErr: "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadSMIME(tt.cert, tt.key, time.Now())
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("LoadSMIME: %v, want error containing %q", err, tt.wantErr)
			}
		})
	}
}
