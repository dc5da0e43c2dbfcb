// Package testpostgres gives a test a PostgreSQL schema of its own on the
// server that GEVINST_TEST_POSTGRES_DSN names (CI always sets it). It is
// used by tests only.
package testpostgres

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// EnvVar names the server the PostgreSQL tests run against.
const EnvVar = "GEVINST_TEST_POSTGRES_DSN"

// Fresh creates a schema named prefix + a random suffix in the database of
// GEVINST_TEST_POSTGRES_DSN and drops it, with everything in it, when the
// test ends. It returns that DSN with search_path set to the schema, so
// unqualified table names resolve there and nowhere else (and with
// synchronous_commit off, see testSession). A schema rather
// than a database per test: CREATE DATABASE copies a template and fails
// while another session uses it, which parallel tests would.
//
// Without the variable the test is skipped; with it set, a server that
// cannot be reached fails the test: it never skips silently.
func Fresh(t testing.TB, prefix string) string {
	t.Helper()
	raw, db, name := server(t, prefix)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "CREATE SCHEMA "+name); err != nil {
		t.Fatalf("create test schema %s: %v", name, err)
	}
	t.Cleanup(func() {
		// IF EXISTS: a test may have dropped it (DropSchema).
		if _, err := db.ExecContext(context.Background(), "DROP SCHEMA IF EXISTS "+name+" CASCADE"); err != nil {
			t.Errorf("drop test schema %s: %v", name, err)
		}
	})
	dsn, err := testSession(raw, name)
	if err != nil {
		t.Fatalf("%s: %v", EnvVar, err)
	}
	return dsn
}

// server returns GEVINST_TEST_POSTGRES_DSN, a connection to its server
// (closed when the test ends) and a fresh name: prefix, lower-cased, and a
// random suffix. Without the variable the test is skipped; a server that
// cannot be reached fails it.
func server(t testing.TB, prefix string) (raw string, db *sql.DB, name string) {
	t.Helper()
	raw = os.Getenv(EnvVar)
	if raw == "" {
		t.Skip(EnvVar + " not set: skipping the PostgreSQL variant of this test")
	}
	if _, err := pgx.ParseConfig(raw); err != nil {
		t.Fatalf("parse %s: %v", EnvVar, err)
	}
	db, err := sql.Open("pgx", raw)
	if err != nil {
		t.Fatalf("open %s: %v", EnvVar, err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.PingContext(context.Background()); err != nil {
		t.Fatalf("connect to the server of %s: %v", EnvVar, err)
	}
	suffix := make([]byte, 6)
	if _, err := rand.Read(suffix); err != nil {
		t.Fatal(err)
	}
	return raw, db, strings.ToLower(prefix) + hex.EncodeToString(suffix)
}

// testSession returns dsn (a URL or a key=value DSN) with the session's
// search_path set to schema and synchronous_commit off: a test's commits
// then do not wait for the server's WAL flush, which is most of the time
// of the many small DDL and claim transactions. Atomicity and isolation,
// which the tests are about, are unchanged.
func testSession(dsn, schema string) (string, error) {
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		return dsn + " search_path=" + schema + " synchronous_commit=off", nil
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Set("search_path", schema)
	q.Set("synchronous_commit", "off")
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// KeyValue spells dsn in libpq's key=value form, with extra (such as
// "application_name=x") appended, for tests that open one store through
// two spellings.
func KeyValue(t testing.TB, dsn, extra string) string {
	t.Helper()
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatalf("parse %s: %v", dsn, err)
	}
	quote := func(s string) string {
		return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
	}
	sslmode := "require"
	if cfg.TLSConfig == nil {
		sslmode = "disable"
	}
	kv := fmt.Sprintf("host=%s port=%d user=%s dbname=%s sslmode=%s", quote(cfg.Host), cfg.Port, quote(cfg.User), quote(cfg.Database), sslmode)
	if cfg.Password != "" {
		kv += " password=" + quote(cfg.Password)
	}
	for _, k := range []string{"search_path", "synchronous_commit"} {
		if v, ok := cfg.RuntimeParams[k]; ok {
			kv += " " + k + "=" + quote(v)
		}
	}
	if extra != "" {
		kv += " " + extra
	}
	return kv
}

// DropSchema drops the schema that dsn's search_path names (one Fresh
// made), with everything in it, as a register or state store that went
// away looks to the program.
func DropSchema(t testing.TB, dsn string) {
	t.Helper()
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatalf("parse %s: %v", dsn, err)
	}
	name := cfg.RuntimeParams["search_path"]
	if name == "" {
		t.Fatalf("DSN %s names no search_path", dsn)
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(context.Background(), "DROP SCHEMA "+name+" CASCADE"); err != nil {
		t.Fatalf("drop schema %s: %v", name, err)
	}
}

// MissingDatabase returns GEVINST_TEST_POSTGRES_DSN pointed at a database
// named prefix + a random suffix that does not exist yet, for a test of
// code that creates it; the database is dropped, if it was created, when
// the test ends. Skips and fails as Fresh does.
func MissingDatabase(t testing.TB, prefix string) string {
	t.Helper()
	raw, db, name := server(t, prefix)
	t.Cleanup(func() {
		// WITH (FORCE): a pool the code under test left open must not
		// keep the database.
		if _, err := db.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop test database %s: %v", name, err)
		}
	})
	if strings.HasPrefix(raw, "postgres://") || strings.HasPrefix(raw, "postgresql://") {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		u.Path = "/" + name
		return u.String()
	}
	return raw + " dbname=" + name
}
