package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"gevinstrapport/internal/register"
)

// rowsPerInsert is how many rows one multi-row INSERT carries; it keeps the
// placeholder count well under SQLite's, MySQL's and PostgreSQL's limits.
const rowsPerInsert = 200

// Bulk says how WriteStream loads a register too large to hold in memory.
type Bulk struct {
	// Measurements, when not nil, is read instead of reg.Measurements, one
	// row at a time as the rows are inserted.
	Measurements iter.Seq[register.Measurement]
	// CommitRows commits the transaction and begins a new one after every
	// CommitRows measurement rows, so no transaction grows with the
	// register; 0 writes everything in one transaction.
	CommitRows int
}

// WriteRegister inserts reg into the (empty) contract tables in one
// transaction, with prepared multi-row INSERTs. Empty strings of nullable
// text columns and zero dates are written as NULL; dates are written as
// 'YYYY-MM-DD' text, which SQLite keeps verbatim and MySQL reads as DATE.
func WriteRegister(ctx context.Context, db *sql.DB, d Dialect, reg *register.Register) error {
	_, err := WriteStream(ctx, db, d, reg, Bulk{})
	return err
}

// WriteStream is WriteRegister for large registers: the measurements may
// come from a stream and be committed in parts (see Bulk). It returns the
// number of measurement rows written. A failure after a partial commit
// leaves the committed rows in place.
func WriteStream(ctx context.Context, db *sql.DB, d Dialect, reg *register.Register, b Bulk) (rows int, err error) {
	if !d.known() {
		return 0, fmt.Errorf("write register: unknown dialect %q", d)
	}
	l := &bulkTx{db: db, d: d}
	if err := l.begin(ctx); err != nil {
		return 0, fmt.Errorf("write register: %w", err)
	}
	defer func() {
		if err != nil {
			l.rollback()
		}
	}()
	measurements := b.Measurements
	if measurements == nil {
		measurements = slices.Values(reg.Measurements)
	}
	for _, t := range tableWrites(reg) {
		if t.table == tableMeasure {
			if rows, err = writeMeasurements(ctx, l, t.cols, measurements, b.CommitRows); err != nil {
				return rows, fmt.Errorf("write %s: %w", tableMeasure, err)
			}
			continue
		}
		if err := insertRows(ctx, l, t.table, t.cols, t.n, t.row); err != nil {
			return rows, fmt.Errorf("write %s: %w", t.table, err)
		}
	}
	if err := l.commit(); err != nil {
		return rows, fmt.Errorf("write register: %w", err)
	}
	return rows, nil
}

// tableWrite is how one contract table's rows of a register are inserted;
// the measurement table's rows come from writeMeasurements instead.
type tableWrite struct {
	table string
	cols  []string
	n     int
	row   func(i int) []any
}

// tableWrites lists the contract tables of reg in insert order.
func tableWrites(reg *register.Register) []tableWrite {
	return []tableWrite{
		{tableOrgUnit, []string{"id", "name", "kind", "parent_id"}, len(reg.Units), func(i int) []any {
			u := &reg.Units[i]
			return []any{u.ID, u.Name, string(u.Kind), nullText(u.ParentID)}
		}},
		{tablePerson, []string{"id", "name", "email", "language"}, len(reg.People), func(i int) []any {
			p := &reg.People[i]
			return []any{p.ID, p.Name, nullText(p.Email), nullText(p.Language)}
		}},
		{tableBenefit, []string{"id", "title", "description", "category", "org_unit_id", "owner_id", "phase", "counted_in_benefit_id"}, len(reg.Benefits), func(i int) []any {
			b := &reg.Benefits[i]
			return []any{b.ID, b.Title, nullText(b.Description), string(b.Category), b.OrgUnitID, b.OwnerID, string(b.Phase), nullText(b.CountedInBenefitID)}
		}},
		{tableHolder, []string{"benefit_id", "org_unit_id", "person_id"}, len(reg.Holders), func(i int) []any {
			h := &reg.Holders[i]
			return []any{h.BenefitID, h.OrgUnitID, h.PersonID}
		}},
		{tableIndicator, []string{"id", "benefit_id", "name", "unit", "direction", "aggregation", "frequency", "decimals", "scale",
			"baseline_value", "baseline_period", "target_value", "target_date", "min_denominator", "data_source"}, len(reg.Indicators), func(i int) []any {
			ind := &reg.Indicators[i]
			var baselinePeriod any
			if ind.BaselinePeriod != nil {
				baselinePeriod = monthText(*ind.BaselinePeriod)
			}
			return []any{ind.ID, ind.BenefitID, ind.Name, ind.Unit, string(ind.Direction), string(ind.Aggregation), string(ind.Frequency),
				ind.Decimals, nullFloat(ind.Scale), nullFloat(ind.BaselineValue), baselinePeriod, nullFloat(ind.TargetValue),
				nullDateText(ind.TargetDate), nullFloat(ind.MinDenominator), nullText(ind.DataSource)}
		}},
		{tableAmbition, []string{"indicator_id", "year", "target_value", "red_limit", "green_limit", "revised_on", "note"}, len(reg.Ambitions), func(i int) []any {
			a := &reg.Ambitions[i]
			return []any{a.IndicatorID, a.Year, a.Target, nullFloat(a.RedLimit), nullFloat(a.GreenLimit), nullDateText(a.RevisedOn), nullText(a.Note)}
		}},
		{table: tableMeasure, cols: []string{"indicator_id", "org_unit_id", "period", "value", "numerator", "denominator"}},
		{tableChangeActn, []string{"id", "benefit_id", "title", "responsible", "due_date", "status", "completed_on", "note"}, len(reg.Actions), func(i int) []any {
			a := &reg.Actions[i]
			return []any{a.ID, a.BenefitID, a.Title, nullText(a.Responsible), nullDateText(a.DueDate), string(a.Status), nullDateText(a.CompletedOn), nullText(a.Note)}
		}},
		{tableCommentary, []string{"benefit_id", "indicator_id", "period", "author_id", "text", "written_on"}, len(reg.Comments), func(i int) []any {
			c := &reg.Comments[i]
			return []any{c.BenefitID, c.IndicatorID, monthText(c.Period), nullText(c.AuthorID), c.Text, nullDateText(c.WrittenOn)}
		}},
	}
}

// insertRows inserts the n rows of one table in batches.
func insertRows(ctx context.Context, l *bulkTx, table string, cols []string, n int, row func(i int) []any) error {
	b := newBatcher(l, table, cols)
	for i := range n {
		if err := b.add(ctx, row(i)...); err != nil {
			return err
		}
	}
	return b.flush(ctx)
}

// writeMeasurements inserts the rows of seq into cols of the measurement
// table in batches and, when commitRows is positive, commits after every
// commitRows rows. It returns the number of rows inserted.
func writeMeasurements(ctx context.Context, l *bulkTx, cols []string, seq iter.Seq[register.Measurement], commitRows int) (int, error) {
	b := newBatcher(l, tableMeasure, cols)
	months := map[register.Month]string{} // a register has few periods: format each once
	n := 0
	for m := range seq {
		period, ok := months[m.Period]
		if !ok {
			period = monthText(m.Period)
			months[m.Period] = period
		}
		if err := b.add(ctx, m.IndicatorID, m.OrgUnitID, period, nullFloat(m.Value), nullFloat(m.Numerator), nullFloat(m.Denominator)); err != nil {
			return n, err
		}
		n++
		if commitRows > 0 && n%commitRows == 0 {
			if err := b.flush(ctx); err != nil {
				return n, err
			}
			if err := l.renew(ctx); err != nil {
				return n, fmt.Errorf("after %d rows: %w", n, err)
			}
		}
	}
	return n, b.flush(ctx)
}

// bulkTx is the transaction a bulk write runs in, renewed when a part is
// committed.
type bulkTx struct {
	db *sql.DB
	d  Dialect
	tx *sql.Tx
	// stmts are closed when the transaction they were prepared on ends.
	stmts []*sql.Stmt
}

func (l *bulkTx) begin(ctx context.Context) error {
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	l.tx = tx
	return nil
}

func (l *bulkTx) prepare(ctx context.Context, query string) (*sql.Stmt, error) {
	st, err := l.tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("prepare insert: %w", err)
	}
	l.stmts = append(l.stmts, st)
	return st, nil
}

func (l *bulkTx) closeStmts() {
	for _, st := range l.stmts {
		st.Close()
	}
	l.stmts = l.stmts[:0]
}

func (l *bulkTx) commit() error {
	l.closeStmts()
	if err := l.tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func (l *bulkTx) rollback() {
	l.closeStmts()
	l.tx.Rollback()
}

// renew commits the current transaction and begins the next.
func (l *bulkTx) renew(ctx context.Context) error {
	if err := l.commit(); err != nil {
		return err
	}
	return l.begin(ctx)
}

// batcher inserts the rows of one table in multi-row INSERTs of
// rowsPerInsert rows, through one prepared statement per transaction, and
// the remainder in one INSERT of its own size.
type batcher struct {
	l     *bulkTx
	table string
	cols  []string
	full  *sql.Stmt // prepared on l.tx when the first batch is full
	tx    *sql.Tx   // the transaction full was prepared on
	args  []any
	rows  int // rows in args
	done  int // rows inserted before args
}

func newBatcher(l *bulkTx, table string, cols []string) *batcher {
	return &batcher{l: l, table: table, cols: cols, args: make([]any, 0, rowsPerInsert*len(cols))}
}

// add queues one row, given as one value per column, and inserts the batch
// when it is full.
func (b *batcher) add(ctx context.Context, row ...any) error {
	b.args = append(b.args, row...)
	b.rows++
	if b.rows < rowsPerInsert {
		return nil
	}
	if b.full == nil || b.tx != b.l.tx {
		st, err := b.l.prepare(ctx, insertSQL(b.l.d, b.table, b.cols, rowsPerInsert))
		if err != nil {
			return err
		}
		b.full, b.tx = st, b.l.tx
	}
	return b.exec(ctx, b.full)
}

// flush inserts the queued rows, if any.
func (b *batcher) flush(ctx context.Context) error {
	if b.rows == 0 {
		return nil
	}
	st, err := b.l.prepare(ctx, insertSQL(b.l.d, b.table, b.cols, b.rows))
	if err != nil {
		return err
	}
	return b.exec(ctx, st)
}

func (b *batcher) exec(ctx context.Context, st *sql.Stmt) error {
	if _, err := st.ExecContext(ctx, b.args...); err != nil {
		return fmt.Errorf("insert rows %d-%d: %w", b.done+1, b.done+b.rows, err)
	}
	b.done += b.rows
	b.args, b.rows = b.args[:0], 0
	return nil
}

// insertSQL builds "INSERT INTO table (cols) VALUES (?, ...), ..." for rows
// rows; PostgreSQL's placeholders are numbered ($1, $2, ...).
func insertSQL(d Dialect, table string, cols []string, rows int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES ", table, strings.Join(cols, ", "))
	n := 0
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j := range cols {
			if j > 0 {
				b.WriteString(", ")
			}
			n++
			if d == Postgres {
				fmt.Fprintf(&b, "$%d", n)
			} else {
				b.WriteByte('?')
			}
		}
		b.WriteByte(')')
	}
	return b.String()
}

func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullFloat(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

func nullDateText(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Format(time.DateOnly)
}

func monthText(m register.Month) string {
	return m.FirstDay().Format(time.DateOnly)
}

// erBadDB is MySQL's "Unknown database" error number.
const erBadDB = 1049

// OpenCreating is Open, except that when a MySQL or PostgreSQL server
// answers that the database the DSN names does not exist, it creates that
// database (utf8mb4; UTF8) and connects again. Opening an SQLite file
// creates it anyway.
func OpenCreating(ctx context.Context, d Dialect, dsn string) (*sql.DB, error) {
	db, err := Open(ctx, d, dsn)
	var (
		me *mysql.MySQLError
		pe *pgconn.PgError
	)
	switch {
	case d == MySQL && errors.As(err, &me) && me.Number == erBadDB:
		err = createMySQLDatabase(ctx, dsn)
	case d == Postgres && errors.As(err, &pe) && pe.Code == pgInvalidCatalogName:
		err = createPostgresDatabase(ctx, dsn)
	default:
		return db, err
	}
	if err != nil {
		return nil, err
	}
	return Open(ctx, d, dsn)
}

// pgInvalidCatalogName is PostgreSQL's SQLSTATE for "database does not exist".
const pgInvalidCatalogName = "3D000"

// createPostgresDatabase creates the database dsn names (UTF8, from
// template0), connecting to the server's "postgres" database to do so.
func createPostgresDatabase(ctx context.Context, dsn string) error {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return errors.New("create database: invalid DSN")
	}
	name := cfg.Database
	cfg.Database = "postgres"
	db := stdlib.OpenDB(*cfg)
	defer db.Close()
	q := "CREATE DATABASE " + pgx.Identifier{name}.Sanitize() + " ENCODING 'UTF8' TEMPLATE template0"
	if _, err := db.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("create database %s: %w", name, err)
	}
	return nil
}

// createMySQLDatabase creates the database dsn names, connecting without one.
func createMySQLDatabase(ctx context.Context, dsn string) error {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return fmt.Errorf("create database: %w", err)
	}
	name := cfg.DBName
	cfg.DBName = ""
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		return fmt.Errorf("create database %s: %w", name, err)
	}
	db := sql.OpenDB(conn)
	defer db.Close()
	q := "CREATE DATABASE IF NOT EXISTS `" + strings.ReplaceAll(name, "`", "``") + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
	if _, err := db.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("create database %s: %w", name, err)
	}
	return nil
}

// FilledTables returns the contract tables that hold at least one row, in
// contract order; a missing table is an error.
func FilledTables(ctx context.Context, db *sql.DB) ([]string, error) {
	var out []string
	for _, t := range contract() {
		var one int
		err := db.QueryRowContext(ctx, "SELECT 1 FROM "+t.name+" LIMIT 1").Scan(&one)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return nil, fmt.Errorf("look into %s: %w", t.name, err)
		default:
			out = append(out, t.name)
		}
	}
	return out, nil
}
