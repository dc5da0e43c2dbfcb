// Package store reads and writes the reporting database's data contract
// (SPEC §3) on MySQL/MariaDB and SQLite.
//
// Choices worth knowing: the DDL is idempotent (CREATE ... IF NOT EXISTS,
// never DROP), so applying it to a live database is safe; ids use a binary
// collation in MySQL so they compare and sort byte for byte as in SQLite and
// Go; enums have CHECK constraints but there are no foreign keys, because
// referential problems are data-quality findings to report, not load errors;
// WriteRegister stores SQLite dates as 'YYYY-MM-DD' text.
package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"

	// The mysql driver registers "mysql"; ParseDSN validates DSNs before use.
	"github.com/go-sql-driver/mysql"
	// The pure-Go SQLite driver registers "sqlite" so the binary stays CGO-free.
	_ "modernc.org/sqlite"
)

// Dialect names a supported SQL database flavour.
type Dialect string

// Supported dialects, spelled as the config's database.driver.
const (
	MySQL  Dialect = "mysql"
	SQLite Dialect = "sqlite"
)

// ParseDialect turns a config or flag value into a Dialect.
func ParseDialect(s string) (Dialect, error) {
	switch Dialect(strings.ToLower(strings.TrimSpace(s))) {
	case MySQL:
		return MySQL, nil
	case SQLite:
		return SQLite, nil
	}
	return "", fmt.Errorf("unknown database dialect %q (want mysql or sqlite)", s)
}

// sqliteBusyTimeoutMS is how long a SQLite connection waits for a lock
// before failing with SQLITE_BUSY.
const sqliteBusyTimeoutMS = 5000

// Open connects to the database and pings it. For SQLite it sets a busy
// timeout and turns foreign key enforcement off (the contract declares none,
// and views over a warehouse must not be constrained).
func Open(ctx context.Context, d Dialect, dsn string) (*sql.DB, error) {
	var (
		db  *sql.DB
		err error
	)
	switch d {
	case MySQL:
		if _, err := mysql.ParseDSN(dsn); err != nil {
			return nil, fmt.Errorf("open mysql %s: %w", RedactDSN(dsn), err)
		}
		db, err = sql.Open("mysql", dsn)
	case SQLite:
		db, err = sql.Open("sqlite", sqliteDSN(dsn))
		if err == nil && isSQLiteMemory(dsn) {
			// Every connection to ":memory:" is a new, empty database.
			db.SetMaxOpenConns(1)
		}
	default:
		return nil, fmt.Errorf("open database: unknown dialect %q", d)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s %s: %w", d, RedactDSN(dsn), err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to %s %s: %w", d, RedactDSN(dsn), err)
	}
	return db, nil
}

// sqliteDSN appends the connection pragmas to a SQLite file name or URI,
// unless the DSN sets them itself.
func sqliteDSN(dsn string) string {
	for _, p := range []string{fmt.Sprintf("busy_timeout(%d)", sqliteBusyTimeoutMS), "foreign_keys(0)"} {
		name, _, _ := strings.Cut(p, "(")
		if strings.Contains(dsn, name) {
			continue
		}
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		dsn += sep + "_pragma=" + p
	}
	return dsn
}

func isSQLiteMemory(dsn string) bool {
	return strings.Contains(dsn, ":memory:") || strings.Contains(dsn, "mode=memory")
}

// redacted replaces secrets in RedactDSN's output.
const redacted = "***"

// isSecretParam reports whether a query parameter's value RedactDSN hides.
func isSecretParam(name string) bool {
	switch strings.ToLower(name) {
	case "password", "passwd", "pass", "pwd", "secret", "token", "_auth_pass":
		return true
	}
	return false
}

// RedactDSN hides the password in a DSN so it can go into logs and errors.
// It understands the go-sql-driver form user:pass@tcp(host)/db?params, URL
// forms scheme://user:pass@host/db?params, and password-like query parameters.
func RedactDSN(dsn string) string {
	base, query, hasQuery := dsn, "", false
	if strings.Contains(dsn, "://") {
		if i := strings.Index(dsn, "?"); i >= 0 {
			base, query, hasQuery = dsn[:i], dsn[i+1:], true
		}
		base = redactURLUserinfo(base)
	} else {
		// As go-sql-driver does: the database name follows the last '/',
		// the credentials precede the last '@' before it.
		slash := strings.LastIndex(dsn, "/")
		if i := strings.Index(dsn[slash+1:], "?"); i >= 0 {
			base, query, hasQuery = dsn[:slash+1+i], dsn[slash+2+i:], true
		}
		end := len(base)
		if slash >= 0 {
			end = slash
		}
		if at := strings.LastIndex(base[:end], "@"); at >= 0 {
			base = redactUserinfo(base[:at]) + base[at:]
		}
	}
	if !hasQuery {
		return base
	}
	return base + "?" + redactQuery(query)
}

// redactURLUserinfo hides the password between "://" and the host.
func redactURLUserinfo(s string) string {
	start := strings.Index(s, "://") + len("://")
	rest := s[start:]
	end := len(rest)
	if i := strings.Index(rest, "/"); i >= 0 {
		end = i
	}
	at := strings.LastIndex(rest[:end], "@")
	if at < 0 {
		return s
	}
	return s[:start] + redactUserinfo(rest[:at]) + rest[at:]
}

// redactUserinfo turns "user:pass" into "user:***"; a bare user stays as is.
func redactUserinfo(userinfo string) string {
	user, _, ok := strings.Cut(userinfo, ":")
	if !ok {
		return userinfo
	}
	return user + ":" + redacted
}

// redactQuery hides the values of password-like parameters, keeping order.
func redactQuery(query string) string {
	parts := strings.Split(query, "&")
	for i, p := range parts {
		key, _, ok := strings.Cut(p, "=")
		if !ok {
			continue
		}
		name, err := url.QueryUnescape(key)
		if err != nil {
			name = key
		}
		if isSecretParam(name) {
			parts[i] = key + "=" + redacted
		}
	}
	return strings.Join(parts, "&")
}
