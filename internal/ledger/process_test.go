package ledger

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Environment of the helper process that TestTwoProcesses starts.
const (
	helperEnv       = "GEVINST_LEDGER_HELPER"
	helperDriverEnv = "GEVINST_LEDGER_HELPER_DRIVER"
	helperDSNEnv    = "GEVINST_LEDGER_HELPER_DSN"
	helperKeysEnv   = "GEVINST_LEDGER_HELPER_KEYS"
	helperIndexEnv  = "GEVINST_LEDGER_HELPER_INDEX"
)

// helperWorkers is how many goroutines each helper process claims with.
const helperWorkers = 4

// TestHelperProcess is not a test: run by TestTwoProcesses as a separate
// OS process, it opens the ledger, waits for a start line on stdin, claims
// every key from several goroutines, and prints the keys it was granted and
// how often it was refused.
func TestHelperProcess(t *testing.T) {
	if os.Getenv(helperEnv) != "1" {
		return
	}
	if err := runHelper(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

func runHelper(in io.Reader, out io.Writer) error {
	ctx := context.Background()
	n, err := strconv.Atoi(os.Getenv(helperKeysEnv))
	if err != nil {
		return fmt.Errorf("parse key count: %w", err)
	}
	l, err := Open(ctx, os.Getenv(helperDriverEnv), os.Getenv(helperDSNEnv), Options{LeaseDuration: time.Minute})
	if err != nil {
		return err
	}
	defer l.Close()
	fmt.Fprintln(out, "ready")
	if _, err := bufio.NewReader(in).ReadString('\n'); err != nil {
		return fmt.Errorf("wait for start: %w", err)
	}
	// The second process walks the keys backwards, so the two meet in the
	// middle however their start is staggered.
	reverse := os.Getenv(helperIndexEnv) == "1"
	var (
		mu      sync.Mutex
		refused = map[string]int{}
		wg      sync.WaitGroup
		errs    = make(chan error, helperWorkers)
	)
	for range helperWorkers {
		wg.Go(func() {
			for i := range n {
				k := i
				if reverse {
					k = n - 1 - i
				}
				c, err := l.Claim(ctx, Key{Job: "monthly-owner", Period: "2025-09", Recipient: fmt.Sprint("r", k)}, false)
				if err != nil {
					errs <- err
					return
				}
				if !c.Granted {
					mu.Lock()
					refused[c.Reason]++
					mu.Unlock()
					continue
				}
				mu.Lock()
				fmt.Fprintln(out, "granted", k)
				mu.Unlock()
				// Half the winners finish, half keep their claim live, so
				// the others meet both already_delivered and
				// in_progress_elsewhere.
				if k%2 == 0 {
					if err := l.MarkSent(ctx, c, fmt.Sprintf("<%d@test>", k)); err != nil {
						errs <- err
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		return err
	}
	fmt.Fprintln(out, "refused", refused[ReasonAlreadyDelivered], refused[ReasonInProgressElsewhere])
	return nil
}

// TestTwoProcesses races two OS processes, each with its own connection
// pool, over the same keys on one store, starting from a fresh store so
// that they also race to create its tables.
func TestTwoProcesses(t *testing.T) {
	t.Parallel()
	const keys = 50
	forEachStore(t, func(t *testing.T, s testStore) {
		type proc struct {
			cmd    *exec.Cmd
			stdin  io.WriteCloser
			out    *bufio.Scanner
			stderr *bytes.Buffer
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		var procs []proc
		for i := range 2 {
			cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
			cmd.Env = append(os.Environ(),
				helperEnv+"=1",
				helperDriverEnv+"="+s.driver,
				helperDSNEnv+"="+s.dsn,
				helperKeysEnv+"="+strconv.Itoa(keys),
				helperIndexEnv+"="+strconv.Itoa(i),
			)
			stderr := new(bytes.Buffer)
			cmd.Stderr = stderr
			stdin, err := cmd.StdinPipe()
			if err != nil {
				t.Fatal(err)
			}
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatalf("start helper process: %v", err)
			}
			procs = append(procs, proc{cmd: cmd, stdin: stdin, out: bufio.NewScanner(stdout), stderr: stderr})
		}
		for i, p := range procs {
			if !p.out.Scan() || p.out.Text() != "ready" {
				p.cmd.Process.Kill()
				p.cmd.Wait()
				t.Fatalf("helper %d did not get ready (line %q, err %v)\n%s", i, p.out.Text(), p.out.Err(), p.stderr)
			}
		}
		for _, p := range procs {
			fmt.Fprintln(p.stdin, "go")
			p.stdin.Close()
		}

		granted := make([]int, keys)
		perProc := make([]int, len(procs))
		for i, p := range procs {
			for p.out.Scan() {
				line := p.out.Text()
				if rest, ok := strings.CutPrefix(line, "refused "); ok {
					t.Logf("helper %d refused (already delivered, in progress elsewhere): %s", i, rest)
					continue
				}
				k, err := strconv.Atoi(strings.TrimPrefix(line, "granted "))
				if err != nil || k < 0 || k >= keys {
					t.Errorf("helper %d printed %q", i, line)
					continue
				}
				granted[k]++
				perProc[i]++
			}
			if err := p.cmd.Wait(); err != nil {
				t.Fatalf("helper %d: %v\n%s", i, err, p.stderr)
			}
		}
		for k, n := range granted {
			if n != 1 {
				t.Errorf("key r%d granted %d times across processes, want exactly 1", k, n)
			}
		}
		t.Logf("grants per process: %v", perProc)

		l := openLedger(t, s.dsn, s, newClock(), "checker")
		ds, err := l.Deliveries(context.Background(), "monthly-owner", "2025-09")
		if err != nil {
			t.Fatal(err)
		}
		sent := 0
		for _, d := range ds {
			if d.Status == StatusSent {
				sent++
			}
			if d.Attempts != 1 {
				t.Errorf("delivery %s recorded %d attempts, want 1", d.Key, d.Attempts)
			}
		}
		if len(ds) != keys || sent != keys/2 {
			t.Fatalf("store holds %d deliveries, %d sent; want %d, %d sent", len(ds), sent, keys, keys/2)
		}
	})
}
