// Package progress draws one updating line on a terminal while a run
// makes its reports: how many of them are done, the rate, the time left
// and the failures so far. Log lines pass through it, so they scroll above
// the line instead of breaking it.
package progress

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// redrawEvery is how often the line is drawn at most while reports come in.
const redrawEvery = 200 * time.Millisecond

// Line is a progress line on a terminal: it is drawn with a carriage
// return and erased with "erase to end of line", so it needs a terminal,
// never a file or a pipe. It follows a run as a job.Progress, and is the
// io.Writer of the log: each log line erases the progress line, is
// written, and the progress line is drawn again beneath it.
type Line struct {
	mu    sync.Mutex
	out   io.Writer
	now   func() time.Time
	label string // "owner 2025-09"
	start time.Time
	drawn time.Time // when the line was last drawn
	shown string    // the line on the terminal now, "" when none

	done, total, failed int
}

// New returns a Line drawing on out (the terminal), with the clock now.
func New(out io.Writer, now func() time.Time) *Line {
	if now == nil {
		now = time.Now
	}
	return &Line{out: out, now: now}
}

// Start begins the line for a run of total reports.
func (l *Line) Start(report, period string, total int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.label, l.total, l.done, l.failed = report+" "+period, total, 0, 0
	l.start = l.now()
	l.draw()
}

// Update says that done of total reports are done, failed of them with a
// failure. The line is drawn again at most every 200 ms, and always for
// the last report.
func (l *Line) Update(done, total, failed int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.done, l.total, l.failed = done, total, failed
	if done < total && l.now().Sub(l.drawn) < redrawEvery {
		return
	}
	l.draw()
}

// End erases the line: the run's summary follows on stdout.
func (l *Line) End() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.erase()
	l.label = ""
}

// Write writes a log line above the progress line.
func (l *Line) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	wasShown := l.shown != ""
	l.erase()
	n, err := l.out.Write(p)
	if wasShown {
		l.draw()
	}
	return n, err
}

// draw puts the current state on the terminal in place of the line shown.
func (l *Line) draw() {
	if l.label == "" {
		return
	}
	l.shown = Render(l.label, l.done, l.total, l.failed, l.now().Sub(l.start))
	l.drawn = l.now()
	fmt.Fprintf(l.out, "\r%s\x1b[K", l.shown)
}

func (l *Line) erase() {
	if l.shown != "" {
		io.WriteString(l.out, "\r\x1b[K")
		l.shown = ""
	}
}

// Render words the progress of a run that has made done of total reports,
// failed of them with a failure, in elapsed time:
// "owner 2025-09: 812/2283 reports (35%), 61.2/s, 24s left, 0 failed".
func Render(label string, done, total, failed int, elapsed time.Duration) string {
	pct := 0
	if total > 0 {
		pct = done * 100 / total
	}
	rate, left := "–/s", "time left unknown"
	if done > 0 && elapsed > 0 {
		r := float64(done) / elapsed.Seconds()
		rate = fmt.Sprintf("%.1f/s", r)
		rest := time.Duration(float64(total-done) / r * float64(time.Second))
		left = rest.Round(time.Second).String() + " left"
	}
	return fmt.Sprintf("%s: %d/%d reports (%d%%), %s, %s, %d failed", label, done, total, pct, rate, left, failed)
}
