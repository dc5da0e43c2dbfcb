package job

import (
	"context"
	"log/slog"
	"time"

	"gevinstrapport/internal/archive"
)

// publishTimeout bounds the archive upkeep after a run, which still runs
// when the run was stopped (SIGTERM) so that the index shows what it wrote.
const publishTimeout = 30 * time.Second

// publish looks after the output folder once a run is over: it removes the
// period folders output.keep_periods no longer keeps, then rewrites the
// archive index from the manifests on disk. What fails here is logged and
// never fails the run: the reports and deliveries are already done.
func (w *Worker) publish(ctx context.Context, req Request, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), publishTimeout)
	defer cancel()
	out := w.cfg.Output.Dir
	if keep := w.cfg.Output.KeepPeriods; keep != nil {
		if _, err := archive.Prune(ctx, out, *keep, req.Period.String(), log); err != nil {
			log.Error("remove old period folders", "err", err)
		}
	}
	_, err := archive.WriteIndex(ctx, out, archive.Options{
		Catalog: w.catalogs.For(w.cfg.Language), Location: w.cfg.Location, Now: w.now(), Mode: w.cfg.Output.Mode.Perm(),
	})
	if err != nil {
		log.Error("write the archive index", "err", err)
	}
}
