package store

import (
	"context"
	"slices"
	"strings"
	"testing"

	"gevinstrapport/internal/testmysql"
)

// TestWriteStreamInParts streams the measurements, commits every 150 rows
// (parts that end inside an INSERT batch) and checks every row arrives; a
// duplicate key after six parts fails the write and leaves exactly the
// committed parts.
func TestWriteStreamInParts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const commit = 150
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			in := generateRegister(3, 7, 2*rowsPerInsert/7+5)
			rows := in.Measurements
			if len(rows)%commit == 0 || len(rows) < 3*commit {
				t.Fatalf("generated %d measurements, want several parts of %d and a remainder", len(rows), commit)
			}
			tables := *in
			tables.Measurements = nil
			db := withSchema(t, b, nil)
			n, err := WriteStream(ctx, db, b.dialect, &tables, Bulk{Measurements: slices.Values(rows), CommitRows: commit})
			if err != nil {
				t.Fatal(err)
			}
			if n != len(rows) {
				t.Errorf("WriteStream says %d rows, want %d", n, len(rows))
			}
			got, err := Load(ctx, db, b.dialect)
			if err != nil {
				t.Fatal(err)
			}
			if d := diffRegister(sorted(in), got); d != "" {
				t.Errorf("round trip differs:\n%s", d)
			}

			bad := slices.Clone(rows[:6*commit+10])
			bad = append(bad, bad[0]) // duplicate key in the seventh part
			db = withSchema(t, b, nil)
			_, err = WriteStream(ctx, db, b.dialect, &tables, Bulk{Measurements: slices.Values(bad), CommitRows: commit})
			if err == nil || !strings.Contains(err.Error(), "write measurement") {
				t.Fatalf("WriteStream with a duplicate measurement: error = %v, want one naming measurement", err)
			}
			got, err = Load(ctx, db, b.dialect)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Measurements) != 6*commit {
				t.Errorf("after the failed part, %d measurements are stored, want the %d of the committed parts", len(got.Measurements), 6*commit)
			}
		})
	}
}

// TestOpenCreating checks that a missing MySQL database is created, and
// that opening an existing one leaves its tables alone.
func TestOpenCreating(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg := testmysql.Fresh(t, "gevinst_store_test_", "utf8mb4_unicode_ci")
	name, dsn := cfg.DBName, cfg.FormatDSN()
	db, err := Open(ctx, MySQL, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := CreateSchema(ctx, db, MySQL); err != nil {
		t.Fatal(err)
	}
	if err := WriteRegister(ctx, db, MySQL, sampleRegister()); err != nil {
		t.Fatal(err)
	}
	again, err := OpenCreating(ctx, MySQL, dsn)
	if err != nil {
		t.Fatalf("open the existing database: %v", err)
	}
	filled, err := FilledTables(ctx, again)
	again.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(filled) == 0 {
		t.Error("the existing database's tables look empty after OpenCreating")
	}

	if _, err := db.ExecContext(ctx, "DROP DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	created, err := OpenCreating(ctx, MySQL, dsn)
	if err != nil {
		t.Fatalf("open a missing database: %v", err)
	}
	defer created.Close()
	if err := CreateSchema(ctx, created, MySQL); err != nil {
		t.Fatalf("create the schema in the created database: %v", err)
	}
	if filled, err := FilledTables(ctx, created); err != nil || len(filled) != 0 {
		t.Errorf("created database: filled tables %v, error %v; want none", filled, err)
	}
	var charset string
	if err := created.QueryRowContext(ctx, "SELECT @@character_set_database").Scan(&charset); err != nil || charset != "utf8mb4" {
		t.Errorf("created database character set %q (error %v), want utf8mb4", charset, err)
	}
}

func TestFilledTablesMissingTable(t *testing.T) {
	t.Parallel()
	db := freshSQLite(t, nil)
	if _, err := FilledTables(context.Background(), db); err == nil || !strings.Contains(err.Error(), tableOrgUnit) {
		t.Errorf("FilledTables without the contract: error %v, want one naming %s", err, tableOrgUnit)
	}
}
