package config

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const smtpHead = "database: {dsn: x}\nsmtp:\n  host: smtp.office365.com\n  from: gevinst@example.no\n"

// TestSMTPAuthErrors: every wrong combination of the AUTH keys is an error
// that names the file, the line and the key.
func TestSMTPAuthErrors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want string
	}{
		{"unknown mechanism", smtpHead + "  auth: cram-md5\n", "c.yaml:5: smtp.auth: \"cram-md5\" is not one of auto, plain, login, xoauth2"},
		{"xoauth2 without username", smtpHead + "  auth: xoauth2\n  token_file: /run/t\n", "c.yaml:5: smtp.auth: xoauth2 needs smtp.username"},
		{"xoauth2 without token source", smtpHead + "  auth: xoauth2\n  username: gevinst@example.no\n", "c.yaml:5: smtp.auth: xoauth2 needs smtp.token_file or smtp.token_command"},
		{"xoauth2 with both token sources", smtpHead + "  auth: xoauth2\n  username: g@example.no\n  token_file: /run/t\n  token_command: [/bin/true]\n", "c.yaml:8: smtp.token_command: give token_file or token_command, not both"},
		{"xoauth2 in clear", smtpHead + "  auth: xoauth2\n  tls: none\n  username: g@example.no\n  token_file: /run/t\n", "c.yaml:6: smtp.tls: xoauth2 over tls: none"},
		{"xoauth2 with a password", smtpHead + "  auth: xoauth2\n  username: g@example.no\n  token_file: /run/t\n  password_env: SMTP_PASSWORD\n", "c.yaml:8: smtp.password_env: is not used with smtp.auth: xoauth2"},
		{"token command not found", smtpHead + "  auth: xoauth2\n  username: g@example.no\n  token_command: [/nonexistent/get-token, --tenant, x]\n", "c.yaml:7: smtp.token_command: cannot run it"},
		{"token without xoauth2", smtpHead + "  username: u\n  password_env: P\n  token_file: /run/t\n", "c.yaml:7: smtp.token_file: a token is used only with smtp.auth: xoauth2"},
		{"token command not a list of strings", smtpHead + "  auth: xoauth2\n  username: g@example.no\n  token_command: {run: x}\n", "c.yaml:7: smtp.token_command"},
		{"bad helo", smtpHead + "  helo: my laptop\n", "c.yaml:5: smtp.helo: \"my laptop\" is not a host name"},
		{"bad reply_to", "reply_to: not an address\n" + smtpHead, "c.yaml:1: reply_to: \"not an address\" is not an email address"},
		{"smime cert without key", smtpHead + "  smime_cert: /etc/g/smime.crt\n", "c.yaml:5: smtp.smime_cert: needs smtp.smime_key"},
		{"smime key without cert", smtpHead + "  smime_key: /etc/g/smime.key\n", "c.yaml:5: smtp.smime_key: needs smtp.smime_cert"},
		{"smime files missing", smtpHead + "  smime_cert: /nonexistent/smime.crt\n  smime_key: /nonexistent/smime.key\n", "c.yaml:5: smtp.smime_cert: load s/mime certificate and key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("c.yaml", []byte(tt.yaml), envOf(map[string]string{"SMTP_PASSWORD": "pw"}))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestSMTPAuthAccepted(t *testing.T) {
	certFile, keyFile := smimePair(t, time.Now().Add(24*time.Hour))
	expiredCert, expiredKey := smimePair(t, time.Now().Add(-time.Hour))
	tests := []struct {
		name    string
		yaml    string
		check   func(*Config) string // a complaint, "" when all is well
		wantErr string
	}{
		{name: "xoauth2 with a token file", yaml: smtpHead + "  auth: xoauth2\n  username: gevinst@example.no\n  token_file: /run/secrets/smtp_token\n",
			check: func(c *Config) string {
				if c.SMTP.Auth != AuthXOAUTH2 || c.SMTP.TokenFile != "/run/secrets/smtp_token" {
					return "token file not kept"
				}
				return ""
			}},
		{name: "token command as one string", yaml: smtpHead + "  auth: xoauth2\n  username: g@example.no\n  token_command: /bin/true\n",
			check: func(c *Config) string {
				if strings.Join(c.SMTP.TokenCommand, " ") != "/bin/true" {
					return "token command = " + strings.Join(c.SMTP.TokenCommand, " ")
				}
				return ""
			}},
		{name: "token command as a list", yaml: smtpHead + "  auth: xoauth2\n  username: g@example.no\n  token_command: [sh, -c, 'echo ${TOKEN_VAR}']\n",
			check: func(c *Config) string {
				if len(c.SMTP.TokenCommand) != 3 || c.SMTP.TokenCommand[2] != "echo tok" {
					return "token command = " + strings.Join(c.SMTP.TokenCommand, "|")
				}
				return ""
			}},
		{name: "password auth stays the default", yaml: smtpHead + "  username: u\n  password_env: SMTP_PASSWORD\n",
			check: func(c *Config) string {
				if c.SMTP.Auth != AuthAuto {
					return "auth = " + c.SMTP.Auth
				}
				return ""
			}},
		{name: "reply_to defaults to the coordinator", yaml: smtpHead + "coordinator: {name: Kari Økland, email: kari@example.no}\n",
			check: func(c *Config) string {
				if !strings.Contains(c.ReplyTo, "<kari@example.no>") {
					return "reply_to = " + c.ReplyTo
				}
				return ""
			}},
		{name: "reply_to from a coordinator written with a name", yaml: smtpHead + "coordinator: {name: Kari, email: 'Kari K <kari@example.no>'}\n",
			check: func(c *Config) string {
				if c.ReplyTo != `"Kari" <kari@example.no>` {
					return "reply_to = " + c.ReplyTo
				}
				return ""
			}},
		{name: "reply_to set", yaml: "reply_to: Gevinst <gevinst-svar@example.no>\n" + smtpHead + "coordinator: {email: kari@example.no}\n",
			check: func(c *Config) string {
				if c.ReplyTo != "Gevinst <gevinst-svar@example.no>" {
					return "reply_to = " + c.ReplyTo
				}
				return ""
			}},
		{name: "helo and smime", yaml: smtpHead + "  helo: gevinst.helse-nord.no\n  smime_cert: " + certFile + "\n  smime_key: " + keyFile + "\n",
			check: func(c *Config) string {
				if c.SMTP.HELO != "gevinst.helse-nord.no" || c.SMTP.SMIMECert != certFile {
					return "helo or smime not kept"
				}
				return ""
			}},
		{name: "expired smime certificate", yaml: smtpHead + "  smime_cert: " + expiredCert + "\n  smime_key: " + expiredKey + "\n", wantErr: "c.yaml:5: smtp.smime_cert: s/mime certificate " + expiredCert + " expired on"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse("c.yaml", []byte(tt.yaml), envOf(map[string]string{"SMTP_PASSWORD": "pw", "TOKEN_VAR": "tok"}))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if complaint := tt.check(cfg); complaint != "" {
				t.Error(complaint)
			}
		})
	}
}

// smimePair writes a self-signed ECDSA certificate and its key as PEM files.
func smimePair(t *testing.T, notAfter time.Time) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "Gevinstrapport"},
		EmailAddresses: []string{"gevinst@example.no"},
		NotBefore:      time.Now().Add(-48 * time.Hour), NotAfter: notAfter,
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
