package job

import (
	"context"
	"fmt"
	"time"

	"gevinstrapport/internal/config"
	"gevinstrapport/internal/ledger"
	"gevinstrapport/internal/store"
)

// MarkDone records in the ledger that every period of the configured job
// up to and including through is done, so that the daemon's catch-up never
// sends them: at go-live, for the periods the old routine already sent.
// A period after the job's latest due one is refused.
func MarkDone(ctx context.Context, cfg *config.Config, jobName, through string, now time.Time) error {
	j, ok := cfg.Job(jobName)
	if !ok {
		return fmt.Errorf("%w: --job %q is not a configured job", ErrUsage, jobName)
	}
	p, err := ParsePeriod(j.Report, through)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrUsage, err)
	}
	if latest := j.Rule.PeriodAt(now, cfg.Location); p.String() > latest {
		return fmt.Errorf("%w: --through %s is after the job's latest due period %s", ErrUsage, p, latest)
	}
	l, err := ledger.Open(ctx, cfg.State.Driver, cfg.State.DSN, ledger.Options{Now: func() time.Time { return now }})
	if err != nil {
		return fmt.Errorf("open state %s: %w", store.RedactDSN(cfg.State.DSN), err)
	}
	defer l.Close()
	return l.MarkDone(ctx, j.Name, p.String(), "marked done by hand (mark-done)")
}
