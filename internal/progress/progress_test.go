package progress

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestRender(t *testing.T) {
	tests := []struct {
		name                string
		done, total, failed int
		elapsed             time.Duration
		want                string
	}{
		{"start", 0, 2283, 0, 0, "owner 2025-09: 0/2283 reports (0%), –/s, time left unknown, 0 failed"},
		{"under way", 812, 2283, 2, 13 * time.Second, "owner 2025-09: 812/2283 reports (35%), 62.5/s, 24s left, 2 failed"},
		{"long", 100, 10000, 0, 10 * time.Second, "owner 2025-09: 100/10000 reports (1%), 10.0/s, 16m30s left, 0 failed"},
		{"done", 2283, 2283, 0, 20 * time.Second, "owner 2025-09: 2283/2283 reports (100%), 114.2/s, 0s left, 0 failed"},
		{"nothing to do", 0, 0, 0, time.Second, "owner 2025-09: 0/0 reports (0%), –/s, time left unknown, 0 failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Render("owner 2025-09", tt.done, tt.total, tt.failed, tt.elapsed); got != tt.want {
				t.Errorf("Render = %q\nwant     %q", got, tt.want)
			}
		})
	}
}

// clock is a clock the test moves by hand.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

// The line is drawn in place (carriage return, erase to the end), at most
// every 200 ms and always for the last report; a log line erases it, goes
// above it, and the line is drawn again; End erases it.
func TestLine(t *testing.T) {
	var out bytes.Buffer
	c := &clock{t: time.Date(2026, 12, 1, 13, 0, 0, 0, time.UTC)}
	l := New(&out, c.now)
	const erase = "\r\x1b[K"
	step := func(what, want string) {
		t.Helper()
		if got := out.String(); got != want {
			t.Errorf("%s: wrote %q, want %q", what, got, want)
		}
		out.Reset()
	}

	l.Start("owner", "2025-09", 4)
	step("Start", "\rowner 2025-09: 0/4 reports (0%), –/s, time left unknown, 0 failed\x1b[K")
	c.advance(100 * time.Millisecond)
	l.Update(1, 4, 0)
	step("an update within 200 ms", "")
	c.advance(100 * time.Millisecond)
	l.Update(2, 4, 1)
	step("an update 200 ms after the last drawing", "\rowner 2025-09: 2/4 reports (50%), 10.0/s, 0s left, 1 failed\x1b[K")
	if _, err := l.Write([]byte("time=... level=WARN msg=\"delivery failed\"\n")); err != nil {
		t.Fatal(err)
	}
	step("a log line", erase+"time=... level=WARN msg=\"delivery failed\"\n"+
		"\rowner 2025-09: 2/4 reports (50%), 10.0/s, 0s left, 1 failed\x1b[K")
	c.advance(time.Millisecond)
	l.Update(3, 4, 1)
	step("an update within 200 ms", "")
	l.Update(4, 4, 1)
	step("the last update", "\rowner 2025-09: 4/4 reports (100%), 19.9/s, 0s left, 1 failed\x1b[K")
	l.End()
	step("End", erase)
	l.Write([]byte("after\n"))
	step("a log line after End", "after\n")
	l.Update(4, 4, 1)
	if out.Len() != 0 || strings.Contains(out.String(), "\r") {
		t.Errorf("an update after End drew %q", out.String())
	}
}
