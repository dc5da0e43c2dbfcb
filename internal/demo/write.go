package demo

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gevinstrapport/internal/register"
	"gevinstrapport/internal/store"
)

// defaultCommitRows is how many measurement rows one transaction carries
// when the demo is written to a database server.
const defaultCommitRows = 50000

// Target is where WriteTo puts a demo register.
type Target struct {
	// Driver is the database kind: SQLite writes a file, any other dialect
	// a database on a server.
	Driver store.Dialect
	// DSN is the SQLite file, replaced whole, or the server database,
	// whose contract tables must be empty (a missing MySQL database is
	// created).
	DSN string
	// CommitRows is the number of measurement rows per transaction on a
	// server (0: 50 000). An SQLite file is written in one transaction.
	CommitRows int
}

// Summary says what WriteTo made and how long it took.
type Summary struct {
	Scale        Scale
	Units        int
	People       int
	Recipients   int // people who get an owner report: owners and holders of active benefits
	Benefits     int
	Indicators   int
	Measurements int
	Elapsed      time.Duration
}

// Write stores the demo register of scale as an SQLite database at path,
// replacing any file there. It writes to a temporary file in the same
// directory and renames it, so path is never half-written, and the same
// scale gives the same bytes on every call.
func Write(ctx context.Context, path string, scale Scale) error {
	_, err := WriteTo(ctx, Target{Driver: store.SQLite, DSN: path}, scale)
	return err
}

// WriteTo stores the demo register of scale at t with bulk inserts,
// streaming the measurements from the generator so they are never all in
// memory, and creates the contract tables where they are missing.
func WriteTo(ctx context.Context, t Target, scale Scale) (Summary, error) {
	start := time.Now()
	reg, plan := build(scale)
	var (
		rows int
		err  error
	)
	if t.Driver == store.SQLite {
		rows, err = writeFile(ctx, t.DSN, reg, plan)
	} else {
		rows, err = writeServer(ctx, t, reg, plan)
	}
	if err != nil {
		return Summary{}, err
	}
	return summarize(scale, reg, rows, time.Since(start)), nil
}

// summarize counts what reg holds.
func summarize(scale Scale, reg *register.Register, rows int, elapsed time.Duration) Summary {
	recipients := map[string]bool{}
	active := map[string]bool{}
	for _, b := range reg.Benefits {
		if b.Active() {
			active[b.ID] = true
			recipients[b.OwnerID] = true
		}
	}
	for _, h := range reg.Holders {
		if active[h.BenefitID] {
			recipients[h.PersonID] = true
		}
	}
	return Summary{
		Scale: scale, Units: len(reg.Units), People: len(reg.People), Recipients: len(recipients),
		Benefits: len(reg.Benefits), Indicators: len(reg.Indicators), Measurements: rows, Elapsed: elapsed,
	}
}

// writeFile writes the register to a temporary SQLite file next to path and
// renames it to path.
func writeFile(ctx context.Context, path string, reg *register.Register, plan *plan) (rows int, err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".demo-*.db")
	if err != nil {
		return 0, fmt.Errorf("write demo register: %w", err)
	}
	tmpName := tmp.Name()
	if err := tmp.Close(); err != nil {
		return 0, fmt.Errorf("write demo register: %w", err)
	}
	defer func() {
		if err != nil {
			os.Remove(tmpName)
			os.Remove(tmpName + "-journal")
		}
	}()
	if rows, err = fillFile(ctx, tmpName, reg, plan); err != nil {
		return 0, fmt.Errorf("write demo register %s: %w", path, err)
	}
	if err := os.Chmod(tmpName, 0o644); err != nil {
		return 0, fmt.Errorf("write demo register %s: %w", path, err)
	}
	if err := os.Rename(tmpName, path); err != nil {
		return 0, fmt.Errorf("write demo register: %w", err)
	}
	return rows, nil
}

// fillFile creates the contract tables in the SQLite file at path and
// inserts the register in one transaction.
func fillFile(ctx context.Context, path string, reg *register.Register, plan *plan) (rows int, err error) {
	// The file is a temporary one, renamed into place only once complete, so
	// a crash needs no journal and no syncs; without them the huge scale
	// writes about 2.5 times faster, and the bytes are the same.
	db, err := store.Open(ctx, store.SQLite, path+"?_pragma=journal_mode(OFF)&_pragma=synchronous(OFF)")
	if err != nil {
		return 0, err
	}
	defer func() {
		if cerr := db.Close(); cerr != nil {
			err = errors.Join(err, fmt.Errorf("close: %w", cerr))
		}
	}()
	if err := store.CreateSchema(ctx, db, store.SQLite); err != nil {
		return 0, err
	}
	if rows, err = store.WriteStream(ctx, db, store.SQLite, reg, store.Bulk{Measurements: plan.rows}); err != nil {
		return 0, err
	}
	// VACUUM rebuilds the file compactly, so its bytes depend only on the
	// content and not on how the inserts happened to fill the pages.
	if _, err := db.ExecContext(ctx, "VACUUM"); err != nil {
		return 0, fmt.Errorf("vacuum: %w", err)
	}
	return rows, nil
}

// writeServer writes the register into the database t names on a server,
// creating the database and its contract tables when missing. It refuses a
// database whose contract tables already hold rows, since it never deletes.
func writeServer(ctx context.Context, t Target, reg *register.Register, plan *plan) (rows int, err error) {
	db, err := store.OpenCreating(ctx, t.Driver, t.DSN)
	if err != nil {
		return 0, fmt.Errorf("write demo register: %w", err)
	}
	defer func() {
		if cerr := db.Close(); cerr != nil {
			err = errors.Join(err, fmt.Errorf("close: %w", cerr))
		}
	}()
	where := fmt.Sprintf("%s %s", t.Driver, store.RedactDSN(t.DSN))
	if err := store.CreateSchema(ctx, db, t.Driver); err != nil {
		return 0, fmt.Errorf("write demo register to %s: %w", where, err)
	}
	filled, err := store.FilledTables(ctx, db)
	if err != nil {
		return 0, fmt.Errorf("write demo register to %s: %w", where, err)
	}
	if len(filled) > 0 {
		return 0, fmt.Errorf("write demo register to %s: %w (%s)", where, ErrNotEmpty, strings.Join(filled, ", "))
	}
	commit := t.CommitRows
	if commit <= 0 {
		commit = defaultCommitRows
	}
	rows, err = store.WriteStream(ctx, db, t.Driver, reg, store.Bulk{Measurements: plan.rows, CommitRows: commit})
	if err != nil {
		return 0, fmt.Errorf("write demo register to %s: %w", where, err)
	}
	return rows, nil
}

// ErrNotEmpty is returned by WriteTo when the server database already holds
// rows in the contract tables: the demo never deletes data.
var ErrNotEmpty = errors.New("the database already holds rows; write the demo into a new or empty database")
