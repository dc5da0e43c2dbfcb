// Package testmysql gives a test a MySQL or MariaDB database of its own on
// the server that GEVINST_TEST_MYSQL_DSN names (CI always sets it). It is
// used by tests only.
package testmysql

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"testing"

	"github.com/go-sql-driver/mysql"
)

// EnvVar names the server the MySQL tests run against.
const EnvVar = "GEVINST_TEST_MYSQL_DSN"

// Fresh creates a database named prefix + a random suffix with the given
// collation (utf8mb4) and drops it when the test ends. It returns the
// server's configuration pointed at that database, for the caller to adjust
// and format. Without the variable the test is skipped; with it set, a
// server that cannot be reached fails the test: it never skips silently.
func Fresh(t testing.TB, prefix, collation string) *mysql.Config {
	t.Helper()
	raw := os.Getenv(EnvVar)
	if raw == "" {
		t.Skip(EnvVar + " not set: skipping the MySQL/MariaDB variant of this test")
	}
	cfg, err := mysql.ParseDSN(raw)
	if err != nil {
		t.Fatalf("parse %s: %v", EnvVar, err)
	}
	admin := cfg.Clone()
	admin.DBName = ""
	conn, err := mysql.NewConnector(admin)
	if err != nil {
		t.Fatalf("mysql connector: %v", err)
	}
	db := sql.OpenDB(conn)
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	if err := db.PingContext(ctx); err != nil {
		t.Fatalf("connect to the server of %s: %v", EnvVar, err)
	}
	suffix := make([]byte, 6)
	if _, err := rand.Read(suffix); err != nil {
		t.Fatal(err)
	}
	name := prefix + hex.EncodeToString(suffix)
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name+" CHARACTER SET utf8mb4 COLLATE "+collation); err != nil {
		t.Fatalf("create test database %s: %v", name, err)
	}
	t.Cleanup(func() {
		if _, err := db.ExecContext(context.Background(), "DROP DATABASE "+name); err != nil {
			t.Errorf("drop test database %s: %v", name, err)
		}
	})
	target := cfg.Clone()
	target.DBName = name
	return target
}
