package mail

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"time"
)

// LoadSMIME reads the S/MIME signing certificate and its private key (PEM
// files; certFile may hold intermediate certificates after the leaf) and
// checks that they belong together, that the key is RSA or ECDSA, and that
// the certificate is valid at now.
func LoadSMIME(certFile, keyFile string, now time.Time) (*tls.Certificate, error) {
	pair, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("load s/mime certificate and key: %w", err)
	}
	leaf, err := x509.ParseCertificate(pair.Certificate[0])
	if err != nil {
		return nil, fmt.Errorf("parse s/mime certificate %s: %w", certFile, err)
	}
	pair.Leaf = leaf
	switch pair.PrivateKey.(type) {
	case *rsa.PrivateKey, *ecdsa.PrivateKey:
	default:
		return nil, fmt.Errorf("s/mime key %s: %T is not supported; use an RSA or ECDSA key", keyFile, pair.PrivateKey)
	}
	switch {
	case now.After(leaf.NotAfter):
		return nil, fmt.Errorf("s/mime certificate %s expired on %s", certFile, leaf.NotAfter.Format(time.DateOnly))
	case now.Before(leaf.NotBefore):
		return nil, fmt.Errorf("s/mime certificate %s is not valid before %s", certFile, leaf.NotBefore.Format(time.DateOnly))
	}
	return &pair, nil
}
