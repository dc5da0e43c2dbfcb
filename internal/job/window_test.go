package job

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"gevinstrapport/internal/config"
	"gevinstrapport/internal/demo"
	"gevinstrapport/internal/register"
	"gevinstrapport/internal/store"
)

// TestWindowedLoadSameAsFullLoad builds every report kind of the small and
// the regional demo twice, from a windowed load and from a full load of
// the same database (SQLite, MariaDB and PostgreSQL), and requires the same artifacts
// (report models, manifest entries: values, statuses, trends, notes), the
// same manifest extras and the same data-quality findings; the windowed
// load of the monthly reports must really leave rows unread.
func TestWindowedLoadSameAsFullLoad(t *testing.T) {
	ctx := context.Background()
	for _, d := range []store.Dialect{store.SQLite, store.MySQL, store.Postgres} {
		for _, c := range []struct {
			name   string
			scale  demo.Scale
			faults []string
		}{
			{"small", demo.Small, nil},
			{"regional", demo.Regional, nil},
			{"small with old faults", demo.Small, oldFaults},
		} {
			scale := c.scale
			t.Run(string(d)+"/"+c.name, func(t *testing.T) {
				w := windowWorker(t, d, scale, c.faults)
				latest := demo.Latest(scale)
				for _, req := range []Request{
					{Report: Owner, Period: Period{Month: latest}},
					{Report: Steering, Period: Period{Month: latest}},
					{Report: Annual, Period: Period{Month: register.MonthOf(latest.Year()-1, time.December), Year: true}},
				} {
					full, err := w.load(ctx, nil)
					if err != nil {
						t.Fatal(err)
					}
					win, err := w.load(ctx, w.readWindow(req))
					if err != nil {
						t.Fatal(err)
					}
					fr, wr := full.Register(), win.Register()
					if got, want := len(wr.Measurements)+wr.Unread.Rows, len(fr.Measurements); got != want {
						t.Errorf("%s: %d rows read + %d unread, want %d", req.Report, len(wr.Measurements), wr.Unread.Rows, want)
					}
					if req.Report != Annual && wr.Unread.Rows == 0 {
						t.Errorf("%s: the window read all %d rows", req.Report, len(fr.Measurements))
					}
					t.Logf("%s: read %d of %d rows", req.Report, len(wr.Measurements), len(fr.Measurements))
					sameRun(t, w, req, full, win)
				}
			})
		}
	}
}

// oldFaults put bad rows into 2022, far before any window: a negative
// denominator, units and indicators that do not exist, a mid-month period,
// a period not yet begun and a row without numerator. Check reports each,
// so the load must read those indicators whole.
var oldFaults = []string{
	`UPDATE measurement SET denominator = -5 WHERE indicator_id = 'I-001' AND period = '2022-07-01'`,
	`UPDATE measurement SET numerator = NULL WHERE indicator_id = 'I-005' AND period = '2022-08-01'`,
	`INSERT INTO measurement (indicator_id, org_unit_id, period, numerator, denominator) VALUES ('I-006', 'NOWHERE', '2022-07-01', 1, 2)`,
	`INSERT INTO measurement (indicator_id, org_unit_id, period, value) VALUES ('I-999', 'HMR-KIR', '2022-07-01', 1)`,
	`INSERT INTO measurement (indicator_id, org_unit_id, period, numerator, denominator) VALUES ('I-008', 'HMR-KIR', '2022-05-15', 3, 4)`,
	`INSERT INTO measurement (indicator_id, org_unit_id, period, numerator, denominator) VALUES ('I-002', 'HMR-KIR', '2026-04-01', 3, 4)`,
}

// sameRun requires req to build the same from both indexes.
func sameRun(t *testing.T, w *Worker, req Request, full, win *register.Index) {
	t.Helper()
	bf, err := w.build(full, req)
	if err != nil {
		t.Fatalf("%s full: %v", req.Report, err)
	}
	bw, err := w.build(win, req)
	if err != nil {
		t.Fatalf("%s windowed: %v", req.Report, err)
	}
	if len(bf.artifacts) == 0 || len(bf.artifacts) != len(bw.artifacts) {
		t.Fatalf("%s: %d artifacts from the full load, %d from the window", req.Report, len(bf.artifacts), len(bw.artifacts))
	}
	for i := range bf.artifacts {
		a, b := *bf.artifacts[i], *bw.artifacts[i]
		ja, _ := json.Marshal(a.indicators)
		jb, _ := json.Marshal(b.indicators)
		switch {
		case string(ja) != string(jb):
			t.Errorf("%s: manifest entries of %s differ:\nfull   %s\nwindow %s", req.Report, a.key, ja, jb)
		default:
			if path := diff(reflect.ValueOf(a), reflect.ValueOf(b), "artifact"); path != "" {
				t.Errorf("%s: %s of %s differs", req.Report, path, a.key)
			}
		}
	}
	if !reflect.DeepEqual(bf.manifest, bw.manifest) || !reflect.DeepEqual(bf.failures, bw.failures) {
		t.Errorf("%s: manifest extras or failures differ", req.Report)
	}
	s := w.settings()
	ff, wf := findings(register.Check(full, req.Period.Month, s)), findings(register.Check(win, req.Period.Month, s))
	if len(ff) == 0 || !reflect.DeepEqual(ff, wf) {
		t.Errorf("%s: findings differ (%d full, %d window):\nfull   %v\nwindow %v", req.Report, len(ff), len(wf), ff, wf)
	}
	lf, okf := full.LatestPeriod()
	lw, okw := win.LatestPeriod()
	first := req.Period.Month
	if req.Period.Year {
		first = register.MonthOf(first.Year(), time.January)
	}
	if lf != lw || okf != okw || !reflect.DeepEqual(full.Readiness(first, req.Period.Month, 0.8), win.Readiness(first, req.Period.Month, 0.8)) {
		t.Errorf("%s: latest period or readiness differ", req.Report)
	}
}

// diff returns the path of the first difference between a and b, "" when
// equal; funcs (a document's page label) are equal when both are set or
// both nil, and floats compare bit for bit.
func diff(a, b reflect.Value, path string) string {
	if a.Kind() != b.Kind() {
		return path
	}
	switch a.Kind() {
	case reflect.Func, reflect.Chan:
		if a.IsNil() != b.IsNil() {
			return path
		}
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return path
			}
			return ""
		}
		return diff(a.Elem(), b.Elem(), path)
	case reflect.Struct:
		for i := range a.NumField() {
			if d := diff(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name); d != "" {
				return d
			}
		}
	case reflect.Slice, reflect.Array:
		if a.Len() != b.Len() {
			return fmt.Sprintf("%s (length %d, %d)", path, a.Len(), b.Len())
		}
		for i := range a.Len() {
			if d := diff(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
	case reflect.Map:
		if a.Len() != b.Len() {
			return path
		}
		for _, k := range a.MapKeys() {
			if d := diff(a.MapIndex(k), b.MapIndex(k), fmt.Sprintf("%s[%v]", path, k)); d != "" {
				return d
			}
		}
	case reflect.Float32, reflect.Float64:
		if math.Float64bits(a.Float()) != math.Float64bits(b.Float()) {
			return fmt.Sprintf("%s (%v, %v)", path, a.Float(), b.Float())
		}
	case reflect.String:
		if a.String() != b.String() {
			return fmt.Sprintf("%s (%q, %q)", path, a.String(), b.String())
		}
	case reflect.Bool:
		if a.Bool() != b.Bool() {
			return path
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if a.Int() != b.Int() {
			return fmt.Sprintf("%s (%d, %d)", path, a.Int(), b.Int())
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if a.Uint() != b.Uint() {
			return path
		}
	}
	return ""
}

// windowWorker writes the demo of scale to a fresh database of d, runs
// the faults statements on it and returns a Worker reading it.
func windowWorker(t *testing.T, d store.Dialect, scale demo.Scale, faults []string) *Worker {
	t.Helper()
	ctx := context.Background()
	dsn, db := freshRegister(t, d, "gevinst_window_", demo.Generate(scale))
	defer db.Close()
	for _, q := range faults {
		if res, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		} else if n, _ := res.RowsAffected(); n == 0 {
			t.Fatalf("%s: no row changed", q)
		}
	}
	cfg := config.Default()
	cfg.Database = config.Database{Driver: string(d), DSN: dsn}
	cfg.Output.Dir = filepath.Join(t.TempDir(), "out")
	now := time.Date(2025, time.October, 3, 4, 0, 0, 0, time.UTC)
	w, err := NewWorker(ctx, cfg, Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}
