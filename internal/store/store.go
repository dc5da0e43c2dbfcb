// Package store reads and writes the reporting database's data contract
// (SPEC §3) on MySQL/MariaDB, PostgreSQL and SQLite.
//
// Choices worth knowing: the DDL is idempotent (CREATE ... IF NOT EXISTS,
// never DROP), so applying it to a live database is safe; ids use a binary
// collation in MySQL (COLLATE "C" in PostgreSQL) so they compare and sort
// byte for byte as in SQLite and Go; enums have CHECK constraints but there are no foreign keys, because
// referential problems are data-quality findings to report, not load errors;
// WriteRegister stores SQLite dates as 'YYYY-MM-DD' text.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"

	// The mysql driver registers "mysql"; ParseDSN validates DSNs before use.
	"github.com/go-sql-driver/mysql"
	// pgx's stdlib package registers the "pgx" database/sql driver;
	// pgx.ParseConfig validates DSNs before use.
	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib"
	// The pure-Go SQLite driver registers "sqlite" so the binary stays CGO-free.
	_ "modernc.org/sqlite"
)

// Dialect names a supported SQL database flavour.
type Dialect string

// Supported dialects, spelled as the config's database.driver.
const (
	MySQL    Dialect = "mysql"
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// ParseDialect turns a config or flag value into a Dialect.
func ParseDialect(s string) (Dialect, error) {
	switch Dialect(strings.ToLower(strings.TrimSpace(s))) {
	case MySQL:
		return MySQL, nil
	case Postgres:
		return Postgres, nil
	case SQLite:
		return SQLite, nil
	}
	return "", fmt.Errorf("unknown database dialect %q (want mysql, postgres or sqlite)", s)
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
	case Postgres:
		if err := checkPostgresDSN(dsn); err != nil {
			return nil, fmt.Errorf("open postgres %s: %w", RedactDSN(dsn), err)
		}
		db, err = sql.Open("pgx", dsn)
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

// checkPostgresDSN validates a PostgreSQL URL or key=value DSN. pgx's own
// error repeats the DSN with the password masked only on a best-effort
// basis, so just the underlying cause is kept.
func checkPostgresDSN(dsn string) error {
	if _, err := pgx.ParseConfig(dsn); err != nil {
		if cause := errors.Unwrap(err); cause != nil {
			return fmt.Errorf("invalid DSN: %w", cause)
		}
		return errors.New("invalid DSN")
	}
	return nil
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
	case "password", "passwd", "pass", "pwd", "secret", "token", "_auth_pass", "sslpassword":
		return true
	}
	return false
}

// RedactDSN hides the password in a DSN so it can go into logs and errors.
// It understands the go-sql-driver form user:pass@tcp(host)/db?params, URL
// forms scheme://user:pass@host/db?params (PostgreSQL's among them),
// libpq's key=value form (host=db password='s e' dbname=x), and
// password-like query parameters.
func RedactDSN(dsn string) string {
	if isKeyValueDSN(dsn) {
		return redactKeyValues(dsn)
	}
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

// isKeyValueDSN reports whether dsn is in libpq's key=value form: it starts
// with a keyword and '=', which neither URLs nor go-sql-driver DSNs do.
func isKeyValueDSN(dsn string) bool {
	s := strings.TrimLeft(dsn, " \t\n")
	i := strings.IndexFunc(s, func(r rune) bool {
		return !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	})
	if i <= 0 {
		return false
	}
	return strings.HasPrefix(strings.TrimLeft(s[i:], " \t"), "=")
}

// redactKeyValues hides the values of password-like keys in a key=value
// DSN, quoted ('a\' b') or not, and keeps everything else as it is.
func redactKeyValues(dsn string) string {
	var b strings.Builder
	s := dsn
	for s != "" {
		eq := strings.IndexByte(s, '=')
		if eq < 0 {
			b.WriteString(s)
			break
		}
		key := strings.TrimSpace(s[:eq])
		b.WriteString(s[:eq+1])
		s = s[eq+1:]
		lead := len(s) - len(strings.TrimLeft(s, " \t"))
		b.WriteString(s[:lead])
		s = s[lead:]
		n := valueLen(s)
		if isSecretParam(key) {
			b.WriteString(redacted)
		} else {
			b.WriteString(s[:n])
		}
		s = s[n:]
	}
	return b.String()
}

// valueLen is the length of the value at the start of s: up to the closing
// quote of a quoted value (backslash escapes the next byte), otherwise up
// to the next white space.
func valueLen(s string) int {
	if strings.HasPrefix(s, "'") {
		for i := 1; i < len(s); i++ {
			switch s[i] {
			case '\\':
				i++
			case '\'':
				return i + 1
			}
		}
		return len(s)
	}
	if i := strings.IndexAny(s, " \t\n"); i >= 0 {
		return i
	}
	return len(s)
}
