package main

import (
	"errors"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// mailbox is an in-process SMTP server's record of every RCPT it was asked
// for and every message it accepted, by address.
type mailbox struct {
	mu       sync.Mutex
	rcpts    map[string]int
	messages map[string]int
	bodies   map[string][][]byte        // the messages accepted for an address, as received
	reject   map[string]*smtp.SMTPError // the reply to every RCPT for an address
}

// NewSession implements smtp.Backend.
func (b *mailbox) NewSession(*smtp.Conn) (smtp.Session, error) { return &mailSession{b: b}, nil }

// count is the number of messages accepted for addr.
func (b *mailbox) count(addr string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.messages[addr]
}

// received returns the messages accepted for addr.
func (b *mailbox) received(addr string) [][]byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([][]byte(nil), b.bodies[addr]...)
}

// setReject makes every RCPT for addr get reply e; nil accepts it again.
func (b *mailbox) setReject(addr string, e *smtp.SMTPError) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if e == nil {
		delete(b.reject, addr)
		return
	}
	b.reject[addr] = e
}

// total is the number of messages and of RCPT commands, over all addresses.
func (b *mailbox) total() (messages, rcpts int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, n := range b.messages {
		messages += n
	}
	for _, n := range b.rcpts {
		rcpts += n
	}
	return messages, rcpts
}

type mailSession struct {
	b  *mailbox
	to []string
}

func (s *mailSession) Mail(string, *smtp.MailOptions) error { s.to = nil; return nil }

func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	s.b.rcpts[to]++
	if e, ok := s.b.reject[to]; ok {
		return e
	}
	s.to = append(s.to, to)
	return nil
}

func (s *mailSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	for _, to := range s.to {
		s.b.messages[to]++
		s.b.bodies[to] = append(s.b.bodies[to], data)
	}
	return nil
}

func (s *mailSession) Reset()        { s.to = nil }
func (s *mailSession) Logout() error { return nil }

// startMailbox serves a fresh mailbox in clear on 127.0.0.1 until the test
// ends and returns it with its port.
func startMailbox(t *testing.T) (*mailbox, int) {
	t.Helper()
	b := &mailbox{rcpts: map[string]int{}, messages: map[string]int{}, bodies: map[string][][]byte{}, reject: map[string]*smtp.SMTPError{}}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen for SMTP: %v", err)
	}
	s := smtp.NewServer(b)
	s.Domain = "localhost"
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := s.Serve(l); err != nil && !errors.Is(err, smtp.ErrServerClosed) && !errors.Is(err, net.ErrClosed) {
			t.Errorf("smtp server: %v", err)
		}
	}()
	t.Cleanup(func() {
		_ = s.Close()
		_ = l.Close()
		<-done
	})
	return b, l.Addr().(*net.TCPAddr).Port
}
