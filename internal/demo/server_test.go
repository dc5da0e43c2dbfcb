package demo

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"gevinstrapport/internal/register"
	"gevinstrapport/internal/store"
	"gevinstrapport/internal/testmysql"
)

// loadFrom reads the register at d, dsn back, in primary key order.
func loadFrom(t *testing.T, d store.Dialect, dsn string) *register.Register {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, d, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	reg, err := store.Load(ctx, db, d)
	if err != nil {
		t.Fatalf("load from %s: %v", d, err)
	}
	sortByKey(reg)
	return reg
}

// TestWriteToMySQL writes the small demo into a MySQL/MariaDB database the
// server does not have yet, committing every 777 rows so that parts end in
// the middle of an INSERT batch, and checks that it holds the same rows as
// the SQLite file; a second write into it is refused and changes nothing.
func TestWriteToMySQL(t *testing.T) {
	cfg := testmysql.Fresh(t, "gevinst_demo_", "utf8mb4_unicode_ci")
	dsn := cfg.FormatDSN()
	ctx := context.Background()
	db, err := store.Open(ctx, store.MySQL, dsn)
	if err != nil {
		t.Fatal(err)
	}
	// Fresh's cleanup drops the database again once WriteTo has created it.
	if _, err := db.ExecContext(ctx, "DROP DATABASE "+cfg.DBName); err != nil {
		t.Fatal(err)
	}
	db.Close()

	path := filepath.Join(t.TempDir(), "demo.db")
	fileSum, err := WriteTo(ctx, Target{Driver: store.SQLite, DSN: path}, Small)
	if err != nil {
		t.Fatalf("write SQLite: %v", err)
	}
	serverSum, err := WriteTo(ctx, Target{Driver: store.MySQL, DSN: dsn, CommitRows: 777}, Small)
	if err != nil {
		t.Fatalf("write MySQL: %v", err)
	}
	fileSum.Elapsed, serverSum.Elapsed = 0, 0
	if fileSum != serverSum {
		t.Errorf("summaries differ: SQLite %+v, MySQL %+v", fileSum, serverSum)
	}
	fromFile := loadFrom(t, store.SQLite, path)
	fromServer := loadFrom(t, store.MySQL, dsn)
	if len(fromServer.Measurements) != fileSum.Measurements {
		t.Errorf("MySQL holds %d measurements, the summary says %d", len(fromServer.Measurements), fileSum.Measurements)
	}
	compareTables(t, fromServer, fromFile)

	_, err = WriteTo(ctx, Target{Driver: store.MySQL, DSN: dsn}, Small)
	if !errors.Is(err, ErrNotEmpty) {
		t.Fatalf("second write: %v, want ErrNotEmpty", err)
	}
	if again := loadFrom(t, store.MySQL, dsn); len(again.Measurements) != len(fromServer.Measurements) {
		t.Errorf("after the refused write: %d measurements, before %d", len(again.Measurements), len(fromServer.Measurements))
	}
}
