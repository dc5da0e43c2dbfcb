package job

import (
	"context"
	"fmt"
	"io"
	"net"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"gevinstrapport/internal/register"
)

// scaledRegister is a register of benefits benefits, each over its own
// health trust with unitsPer municipalities, a holder in each and an owner:
// benefits × (unitsPer + 1) recipients, every one with an address, and two
// indicators measured monthly from January 2024 to September 2025.
func scaledRegister(benefits, unitsPer int) *register.Register {
	reg := &register.Register{Units: []register.OrgUnit{{ID: "R", Name: "Helse Midt-Norge RHF", Kind: register.KindRHF}}}
	person := func(id string) {
		reg.People = append(reg.People, register.Person{ID: id, Name: "Person " + id, Email: id + "@example.no", Language: "nb"})
	}
	for b := range benefits {
		hf, bid, owner := fmt.Sprintf("HF-%03d", b), fmt.Sprintf("G-%03d", b), fmt.Sprintf("O-%03d", b)
		reg.Units = append(reg.Units, register.OrgUnit{ID: hf, Name: "Helseforetak " + hf, Kind: register.KindHF, ParentID: "R"})
		person(owner)
		reg.Benefits = append(reg.Benefits, register.Benefit{ID: bid, Title: "Gevinst " + bid, Category: register.PatientInvolvement,
			OrgUnitID: hf, OwnerID: owner, Phase: register.PhaseRealise})
		for i := range 2 {
			iid := fmt.Sprintf("I-%03d-%d", b, i)
			reg.Indicators = append(reg.Indicators, register.Indicator{ID: iid, BenefitID: bid, Name: "Andel " + iid, Unit: "%",
				Direction: register.Up, Aggregation: register.Ratio, Frequency: register.Monthly, Decimals: 1,
				BaselineValue: register.F(5), TargetValue: register.F(30), TargetDate: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)})
			reg.Ambitions = append(reg.Ambitions, register.Ambition{IndicatorID: iid, Year: 2025, Target: 20})
		}
		for u := range unitsPer {
			uid, holder := fmt.Sprintf("K-%03d-%02d", b, u), fmt.Sprintf("H-%03d-%02d", b, u)
			reg.Units = append(reg.Units, register.OrgUnit{ID: uid, Name: "Kommune " + uid, Kind: register.KindKommune, ParentID: hf})
			person(holder)
			reg.Holders = append(reg.Holders, register.Holder{BenefitID: bid, OrgUnitID: uid, PersonID: holder})
			for i := range 2 {
				for m := register.MonthOf(2024, time.January); m <= register.MonthOf(2025, time.September); m++ {
					reg.Measurements = append(reg.Measurements, register.Measurement{
						IndicatorID: fmt.Sprintf("I-%03d-%d", b, i), OrgUnitID: uid, Period: m,
						Numerator: register.F(float64(20 + 3*u + 2*i + int(m)%12)), Denominator: register.F(200),
					})
				}
			}
		}
	}
	return reg
}

// sinkBackend is an SMTP server that takes every message and keeps only
// how many it took, so that the test process holds no mail.
type sinkBackend struct {
	mu sync.Mutex
	n  int
}

func (b *sinkBackend) NewSession(*smtp.Conn) (smtp.Session, error) { return sinkSession{b}, nil }

type sinkSession struct{ b *sinkBackend }

func (sinkSession) Mail(string, *smtp.MailOptions) error { return nil }
func (sinkSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (sinkSession) Reset()                               {}
func (sinkSession) Logout() error                        { return nil }
func (s sinkSession) Data(r io.Reader) error {
	if _, err := io.Copy(io.Discard, r); err != nil {
		return err
	}
	s.b.mu.Lock()
	s.b.n++
	s.b.mu.Unlock()
	return nil
}

// serveSMTP serves backend in clear on a free port of 127.0.0.1 until the
// test ends, and returns the port.
func serveSMTP(t testing.TB, backend smtp.Backend) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen for SMTP: %v", err)
	}
	s := smtp.NewServer(backend)
	s.Domain = "localhost"
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = s.Serve(l)
	}()
	t.Cleanup(func() {
		_ = s.Close()
		_ = l.Close()
		<-done
	})
	return l.Addr().(*net.TCPAddr).Port
}

// heapPeak samples the live heap (what the last GC found reachable) and
// the heap's objects, live or not yet swept, until stop is called, and
// returns the largest of each.
func heapPeak() (stop func() (live, objects uint64)) {
	samples := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/heap/objects:bytes"}}
	done, result := make(chan struct{}), make(chan [2]uint64)
	go func() {
		var peak [2]uint64
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(samples)
			peak[0] = max(peak[0], samples[0].Value.Uint64())
			peak[1] = max(peak[1], samples[1].Value.Uint64())
			select {
			case <-done:
				result <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return func() (uint64, uint64) {
		close(done)
		p := <-result
		return p[0], p[1]
	}
}

// liveHeap is the live heap after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// TestPeakHeapIsFlat runs the owner report with sending over registers of
// n and 4n recipients and compares the peak heap each run adds to what the
// process held before it. A pipeline that holds every report until the
// last is done grows by about 0.1 MB per recipient of this register (3n ×
// that is well over the bound); a streaming one holds a bounded number of
// reports whatever the count. The GC runs often during the runs
// (GOGC=10), so that the samples follow the live heap closely.
func TestPeakHeapIsFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("renders a few hundred reports")
	}
	defer debug.SetGCPercent(debug.SetGCPercent(10))
	const benefits, unitsPer = 3, 8 // 27 recipients, and 108
	var extra [2]uint64
	for i, scale := range []int{1, 4} {
		reg := scaledRegister(benefits*scale, unitsPer)
		want := len(reg.Benefits) * (unitsPer + 1)
		sink := &sinkBackend{}
		f := &fixture{t: t, cfg: testConfig(t, writeRegister(t, reg), ""), clock: &testClock{t: time.Date(2025, 10, 3, 6, 0, 0, 0, time.UTC)},
			state: stateStore{driver: "sqlite", dsn: t.TempDir() + "/state.db"}}
		f.now = f.clock.Now
		w := f.worker("mem", serveSMTP(t, sink))
		reg = nil
		before := liveHeap()
		stop := heapPeak()
		res, err := w.Run(context.Background(), ownerRequest(false))
		live, objects := stop()
		if err != nil || res.Produced != want || res.Sent != want {
			t.Fatalf("run over %d recipients: %v; %s", want, err, res.Summary())
		}
		extra[i] = live - min(live, before)
		t.Logf("%d recipients: live heap before %.1f MB, peak live %.1f MB (+%.1f MB), peak objects %.1f MB",
			want, mb(before), mb(live), mb(extra[i]), mb(objects))
	}
	if grow := extra[1] - min(extra[1], extra[0]); grow > 4<<20 {
		t.Errorf("the peak heap of a run grew by %.1f MB from %d to %d recipients; want it flat (at most 4 MB more)",
			mb(grow), benefits*(unitsPer+1), 4*benefits*(unitsPer+1))
	}
}

func mb(n uint64) float64 { return float64(n) / (1 << 20) }
