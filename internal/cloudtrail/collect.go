package cloudtrail

import "context"

// Collect reads files and aggregates the calls sel selects, one Activity
// per worker, merged at the end. See Read for errors.
func Collect(ctx context.Context, files []string, sel *Selector, rules *Rules, opts ReadOptions) (*Activity, Stats, []error) {
	acts := make([]*Activity, opts.WorkerCount())
	for i := range acts {
		acts[i] = NewActivity(rules)
	}
	stats, errs := Read(ctx, files, opts, func(w int, rec *Record) {
		if sel.Match(rec) {
			acts[w].Add(rec)
		}
	})
	for _, b := range acts[1:] {
		acts[0].Merge(b)
	}
	return acts[0], stats, errs
}
