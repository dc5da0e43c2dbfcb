// Package testdns is a tiny DNS server on 127.0.0.1 for tests: it answers
// A queries for the names it is given and NXDOMAIN for every other name, so
// a test can make a relay's host name unknown, then known, without asking
// any real DNS server.
package testdns

import (
	"context"
	"encoding/binary"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
)

// Server answers DNS queries over UDP on 127.0.0.1.
type Server struct {
	conn  net.PacketConn
	mu    sync.Mutex
	hosts map[string]net.IP // lower-case name without the trailing dot
}

// Start runs a Server until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	conn, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("testdns: listen: %v", err)
	}
	s := &Server{conn: conn, hosts: map[string]net.IP{}}
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.serve()
	}()
	t.Cleanup(func() {
		_ = conn.Close()
		<-done
	})
	return s
}

// Set makes name resolve to the IPv4 address ip.
func (s *Server) Set(name string, ip net.IP) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hosts[strings.ToLower(strings.TrimSuffix(name, "."))] = ip.To4()
}

// Resolver is a pure-Go resolver that asks only this server.
func (s *Server) Resolver() *net.Resolver {
	addr := s.conn.LocalAddr().String()
	return &net.Resolver{
		PreferGo: true,
		Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "udp", addr)
		},
	}
}

func (s *Server) serve() {
	buf := make([]byte, 1500)
	for {
		n, from, err := s.conn.ReadFrom(buf)
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil {
			continue
		}
		if reply := s.answer(buf[:n]); reply != nil {
			_, _ = s.conn.WriteTo(reply, from)
		}
	}
}

// answer builds the reply to one query: the header, the question echoed,
// and an A record when the name is known and the query asks for A.
func (s *Server) answer(q []byte) []byte {
	if len(q) < 12 {
		return nil
	}
	name, end, ok := questionName(q)
	if !ok || end+4 > len(q) {
		return nil
	}
	qtype := binary.BigEndian.Uint16(q[end:])
	s.mu.Lock()
	ip, known := s.hosts[name]
	s.mu.Unlock()
	reply := append([]byte(nil), q[:end+4]...)
	reply[2] = 0x80 | (q[2] & 0x01) // QR, keep RD
	reply[3] = 0x80                 // RA, RCODE 0
	binary.BigEndian.PutUint16(reply[4:], 1)
	binary.BigEndian.PutUint16(reply[6:], 0)
	binary.BigEndian.PutUint16(reply[8:], 0)
	binary.BigEndian.PutUint16(reply[10:], 0)
	switch {
	case !known:
		reply[3] |= 3 // NXDOMAIN
	case qtype == 1: // A
		binary.BigEndian.PutUint16(reply[6:], 1)
		reply = append(reply, 0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4)
		reply = append(reply, ip...)
	}
	return reply
}

// questionName reads the first question's name, returning it in lower case
// without the trailing dot, and the offset just after it.
func questionName(q []byte) (string, int, bool) {
	var labels []string
	i := 12
	for i < len(q) {
		l := int(q[i])
		if l == 0 {
			return strings.ToLower(strings.Join(labels, ".")), i + 1, true
		}
		if l&0xC0 != 0 || i+1+l > len(q) {
			return "", 0, false
		}
		labels = append(labels, string(q[i+1:i+1+l]))
		i += 1 + l
	}
	return "", 0, false
}
