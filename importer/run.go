package importer

import (
	"context"

	"github.com/leadstatus/leadstatus/importer/sender"
)

// FatalError is rejected credentials: the run stopped at once, and rows not
// sent are reported as not-sent.
type FatalError = sender.FatalError

// SetupError is a problem found before anything was sent (input file, mapping,
// report path, credentials): the run did nothing.
type SetupError struct{ Err error }

func (e *SetupError) Error() string { return e.Err.Error() }

func (e *SetupError) Unwrap() error { return e.Err }

// Run performs one import and returns what it did. The report is complete
// whenever the returned Summary is not nil, errors included.
func Run(ctx context.Context, opts Options) (*Summary, error) {
	opts.setDefaults()
	start := opts.Now()
	p, err := prepare(ctx, &opts)
	if err != nil {
		return nil, &SetupError{Err: err}
	}
	defer p.close()
	return p.finish(ctx, start)
}
