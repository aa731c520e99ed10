package importer

import "errors"

// Outcome is what a run came to: the one decision the command's exit code
// and the page's both show.
type Outcome int

const (
	// OutcomeDone: every row succeeded (in a dry run: would be sent) or
	// needed nothing.
	OutcomeDone Outcome = iota
	// OutcomeNeedsAttention: the run finished and some rows need a look; the
	// report says which.
	OutcomeNeedsAttention
	// OutcomeInterrupted: the user stopped the run; the report is complete.
	OutcomeInterrupted
	// OutcomeSetupError: a problem found before anything was sent (command
	// line, input, mapping, report path, credentials).
	OutcomeSetupError
	// OutcomeFatal: Nutshell refused the credentials part-way; the run stopped.
	OutcomeFatal
)

// Exit codes, part of the command's contract (README, "Exit codes").
const (
	ExitOK          = 0
	ExitRowsFailed  = 1
	ExitUsage       = 2
	ExitInterrupted = 130
)

// OutcomeOf says what a run came to from what Run or Undo returned; sum may
// be nil (the run stopped before it began).
func OutcomeOf(sum *Summary, err error) Outcome {
	var setup *SetupError
	var fatal *FatalError
	switch {
	case errors.As(err, &setup):
		return OutcomeSetupError
	case errors.As(err, &fatal):
		return OutcomeFatal
	case err != nil:
		// The run went on as far as it could (the report may have stopped
		// writing): its rows need a look.
		return OutcomeNeedsAttention
	case sum == nil:
		return OutcomeDone
	case sum.Interrupted:
		return OutcomeInterrupted
	case sum.NeedsAttention > 0:
		return OutcomeNeedsAttention
	}
	return OutcomeDone
}

// ExitCode is the command's exit code for the outcome.
func (o Outcome) ExitCode() int {
	switch o {
	case OutcomeDone:
		return ExitOK
	case OutcomeInterrupted:
		return ExitInterrupted
	case OutcomeSetupError, OutcomeFatal:
		return ExitUsage
	}
	return ExitRowsFailed
}

func (o Outcome) String() string {
	switch o {
	case OutcomeDone:
		return "done"
	case OutcomeNeedsAttention:
		return "needs attention"
	case OutcomeInterrupted:
		return "interrupted"
	case OutcomeSetupError:
		return "setup error"
	case OutcomeFatal:
		return "fatal"
	}
	return "unknown"
}
