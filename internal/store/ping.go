package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// pingQuery reads no rows, yet fails unless the contract's first table (or
// view) is there and readable.
const pingQuery = `SELECT id FROM ` + tableOrgUnit + ` WHERE 1 = 0`

// Ping checks that the reporting database answers and holds the data
// contract, cheaply enough for a health check: it connects, reads no rows
// from one contract table and disconnects. A SQLite file that is missing is
// an error here, not an empty database created in its place.
func Ping(ctx context.Context, d Dialect, dsn string) error {
	if d == SQLite {
		if err := sqliteFileExists(dsn); err != nil {
			return err
		}
	}
	db, err := Open(ctx, d, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := probeQuery(ctx, db, pingQuery); err != nil {
		return fmt.Errorf("read %s %s: %w", d, RedactDSN(dsn), err)
	}
	return nil
}

// sqliteFileExists reports a SQLite register file that is not there, which
// opening would silently create.
func sqliteFileExists(dsn string) error {
	if isSQLiteMemory(dsn) {
		return nil
	}
	path, _, _ := strings.Cut(strings.TrimPrefix(dsn, "file:"), "?")
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("sqlite register %s does not exist", path)
	case err != nil:
		return fmt.Errorf("sqlite register %s: %w", path, err)
	case !fi.Mode().IsRegular():
		return fmt.Errorf("sqlite register %s is not a file", path)
	}
	return nil
}
