package demo

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"gevinstrapport/internal/register"
	"gevinstrapport/internal/store"
	"gevinstrapport/internal/testmysql"
	"gevinstrapport/internal/testpostgres"
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

// TestWriteToServers writes the small demo into a database server,
// committing every 777 rows so that parts end in the middle of an INSERT
// batch, and checks that it holds the same rows as the SQLite file; a
// second write into it is refused and changes nothing. The database does
// not exist beforehand, so WriteTo creates it.
func TestWriteToServers(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "demo.db")
	fileSum, err := WriteTo(ctx, Target{Driver: store.SQLite, DSN: path}, Small)
	if err != nil {
		t.Fatalf("write SQLite: %v", err)
	}
	fromFile := loadFrom(t, store.SQLite, path)
	fileSum.Elapsed = 0
	tests := []struct {
		name   string
		driver store.Dialect
		dsn    func(t *testing.T) string
	}{
		{"mysql", store.MySQL, missingMySQLDatabase},
		{"postgres", store.Postgres, func(t *testing.T) string { return testpostgres.MissingDatabase(t, "gevinst_demo_") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dsn := tt.dsn(t)
			serverSum, err := WriteTo(ctx, Target{Driver: tt.driver, DSN: dsn, CommitRows: 777}, Small)
			if err != nil {
				t.Fatalf("write %s: %v", tt.driver, err)
			}
			serverSum.Elapsed = 0
			if fileSum != serverSum {
				t.Errorf("summaries differ: SQLite %+v, %s %+v", fileSum, tt.driver, serverSum)
			}
			fromServer := loadFrom(t, tt.driver, dsn)
			compareTables(t, fromServer, fromFile)

			_, err = WriteTo(ctx, Target{Driver: tt.driver, DSN: dsn}, Small)
			if !errors.Is(err, ErrNotEmpty) {
				t.Fatalf("second write: %v, want ErrNotEmpty", err)
			}
			if again := loadFrom(t, tt.driver, dsn); len(again.Measurements) != len(fromServer.Measurements) {
				t.Errorf("after the refused write: %d measurements, before %d", len(again.Measurements), len(fromServer.Measurements))
			}
		})
	}
}

// missingMySQLDatabase returns the DSN of a MySQL database that does not
// exist yet; testmysql.Fresh's cleanup drops it once WriteTo has made it.
func missingMySQLDatabase(t *testing.T) string {
	cfg := testmysql.Fresh(t, "gevinst_demo_", "utf8mb4_unicode_ci")
	dsn := cfg.FormatDSN()
	ctx := context.Background()
	db, err := store.Open(ctx, store.MySQL, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "DROP DATABASE "+cfg.DBName); err != nil {
		t.Fatal(err)
	}
	return dsn
}
