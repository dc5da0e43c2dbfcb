// Command benchtool holds the helpers of scripts/bench that need Go: it
// times the register read against a plain GROUP BY over the same rows,
// runs a local SMTP sink that takes every mail and keeps none, runs one SQL
// statement, and measures a command's wall time and peak RSS.
//
//	benchtool read --driver mysql --dsn DSN --report owner --period 2025-09
//	benchtool smtpsink --addr 127.0.0.1:2525
//	benchtool exec --driver mysql --dsn 'root@tcp(127.0.0.1:3306)/' 'DROP DATABASE IF EXISTS x'
//	benchtool measure -- gevinstrapport run --config F
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/emersion/go-smtp"

	"gevinstrapport/internal/register"
	"gevinstrapport/internal/report"
	"gevinstrapport/internal/store"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: benchtool read|smtpsink|exec|measure [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "read":
		err = readCmd(os.Args[2:])
	case "smtpsink":
		err = sinkCmd(os.Args[2:])
	case "exec":
		err = execCmd(os.Args[2:])
	case "measure":
		err = measureCmd(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtool:", err)
		os.Exit(1)
	}
}

// readCmd prints, as one line of key=value pairs, the best of --repeat
// timings of the full read, the windowed read a run of --report for
// --period does, and GROUP BY passes over the windowed rows and all rows.
func readCmd(args []string) error {
	fs := flag.NewFlagSet("read", flag.ExitOnError)
	driver := fs.String("driver", "sqlite", "sqlite, mysql or postgres")
	dsn := fs.String("dsn", "", "the register")
	kind := fs.String("report", "owner", "owner, steering or annual")
	period := fs.String("period", "2025-09", "YYYY-MM (YYYY for annual)")
	repeat := fs.Int("repeat", 3, "runs of each; the fastest counts")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx := context.Background()
	d, err := store.ParseDialect(*driver)
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, d, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	win, err := window(*kind, *period)
	if err != nil {
		return err
	}
	best := func(fn func() (int, error)) (time.Duration, int, error) {
		var min time.Duration
		var n int
		for i := range *repeat {
			start := time.Now()
			k, err := fn()
			if err != nil {
				return 0, 0, err
			}
			if el := time.Since(start); i == 0 || el < min {
				min = el
			}
			n = k
		}
		return min, n, nil
	}
	var fullHeap, winHeap uint64
	full, fullRows, err := best(func() (int, error) {
		reg, err := store.Load(ctx, db, d)
		if err != nil {
			return 0, err
		}
		fullHeap = heapHeld(reg)
		return len(reg.Measurements), nil
	})
	if err != nil {
		return fmt.Errorf("full read: %w", err)
	}
	var cond string
	var condArgs []any
	windowed, winRows, err := best(func() (int, error) {
		reg, err := store.LoadWindow(ctx, db, d, win, time.Time{})
		if err != nil {
			return 0, err
		}
		cond, condArgs = store.WindowCondition(d, reg.Indicators, win)
		winHeap = heapHeld(reg)
		return len(reg.Measurements), nil
	})
	if err != nil {
		return fmt.Errorf("windowed read: %w", err)
	}
	groupWin, groups, err := best(func() (int, error) { return groupBy(ctx, db, d, cond, condArgs) })
	if err != nil {
		return fmt.Errorf("group by: %w", err)
	}
	groupAll, _, err := best(func() (int, error) { return groupBy(ctx, db, d, "1 = 1", nil) })
	if err != nil {
		return fmt.Errorf("group by: %w", err)
	}
	fmt.Printf("full_ms=%d full_rows=%d full_heap_mb=%.1f window_ms=%d window_rows=%d window_heap_mb=%.1f groupby_window_ms=%d groupby_window_rows=%d groupby_all_ms=%d window_vs_groupby_all=%.2f\n",
		full.Milliseconds(), fullRows, float64(fullHeap)/(1<<20), windowed.Milliseconds(), winRows, float64(winHeap)/(1<<20),
		groupWin.Milliseconds(), groups, groupAll.Milliseconds(), windowed.Seconds()/groupAll.Seconds())
	return nil
}

// heapHeld is the live heap while reg is held: what the read leaves in memory.
func heapHeld(reg *register.Register) uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	runtime.KeepAlive(reg)
	return m.HeapAlloc
}

// groupBy is the reference: the database sums the rows of cond per
// indicator, unit and period, and the program only reads the sums.
func groupBy(ctx context.Context, db *sql.DB, d store.Dialect, cond string, args []any) (int, error) {
	q := `SELECT indicator_id, org_unit_id, period, SUM(value), SUM(numerator), SUM(denominator), COUNT(*)
FROM measurement WHERE ` + cond + ` GROUP BY indicator_id, org_unit_id, period`
	rows, err := db.QueryContext(ctx, store.Rebind(d, q), args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var a, b, p, v, num, den, c sql.RawBytes
		if err := rows.Scan(&a, &b, &p, &v, &num, &den, &c); err != nil {
			return 0, err
		}
		n++
	}
	return n, rows.Err()
}

// window is the window a run of kind for period reads, as the worker builds it.
func window(kind, period string) (register.Window, error) {
	s := register.DefaultSettings()
	if kind == "annual" {
		y, err := strconv.Atoi(period)
		if err != nil {
			return register.Window{}, fmt.Errorf("--period %q: give a year", period)
		}
		first := report.AnnualChartFirstYear(y)
		return register.NewWindow(register.MonthOf(y, time.January), register.MonthOf(y, time.December),
			register.MonthOf(first, time.January), first, s), nil
	}
	p, err := register.ParseMonth(period)
	if err != nil {
		return register.Window{}, err
	}
	earliest := p
	if kind == "steering" {
		earliest = p.Add(-1)
	}
	return register.NewWindow(earliest, p, report.ChartFrom(p), 0, s), nil
}

// sinkCmd runs an SMTP server without TLS or AUTH that accepts every mail
// and discards it; it prints "listening HOST:PORT" and, on SIGTERM or
// SIGINT, "received N".
func sinkCmd(args []string) error {
	fs := flag.NewFlagSet("smtpsink", flag.ExitOnError)
	addr := fs.String("addr", "127.0.0.1:0", "where to listen")
	if err := fs.Parse(args); err != nil {
		return err
	}
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	be := &sink{}
	s := smtp.NewServer(be)
	s.Domain = "localhost"
	s.ReadTimeout, s.WriteTimeout = time.Minute, time.Minute
	s.MaxMessageBytes = 64 << 20
	fmt.Println("listening", l.Addr())
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-stop
		s.Close()
	}()
	if err := s.Serve(l); err != nil && !errors.Is(err, smtp.ErrServerClosed) && !errors.Is(err, net.ErrClosed) {
		return err
	}
	fmt.Println("received", be.n.Load())
	return nil
}

// sink is the SMTP backend of smtpsink.
type sink struct{ n atomic.Int64 }

// NewSession implements smtp.Backend.
func (b *sink) NewSession(*smtp.Conn) (smtp.Session, error) { return &sinkSession{b: b}, nil }

type sinkSession struct{ b *sink }

func (s *sinkSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *sinkSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *sinkSession) Reset()                               {}
func (s *sinkSession) Logout() error                        { return nil }

// Data reads the message and counts it.
func (s *sinkSession) Data(r io.Reader) error {
	if _, err := io.Copy(io.Discard, r); err != nil {
		return err
	}
	s.b.n.Add(1)
	return nil
}

// execCmd runs one SQL statement (the bench makes and drops its databases).
func execCmd(args []string) error {
	fs := flag.NewFlagSet("exec", flag.ExitOnError)
	driver := fs.String("driver", "mysql", "sqlite, mysql or postgres")
	dsn := fs.String("dsn", "", "the server")
	if err := fs.Parse(args); err != nil {
		return err
	}
	d, err := store.ParseDialect(*driver)
	if err != nil {
		return err
	}
	db, err := sql.Open(map[store.Dialect]string{store.SQLite: "sqlite", store.MySQL: "mysql", store.Postgres: "pgx"}[d], *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(context.Background(), strings.Join(fs.Args(), " "))
	return err
}

// measureCmd runs a command after "--" with its output passed through, then
// prints its wall time and peak resident set size (wall_ms=… maxrss_kb=…),
// and exits with its status.
func measureCmd(args []string) error {
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 {
		return errors.New("measure: no command")
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	var rss int64
	if cmd.ProcessState == nil {
		return err
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = int64(ru.Maxrss) // kilobytes on Linux
	}
	fmt.Printf("wall_ms=%d maxrss_kb=%d\n", wall.Milliseconds(), rss)
	return err
}
