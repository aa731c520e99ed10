package cli

import (
	"github.com/rs/zerolog"
)

// newLogger returns the run's logger on stderr: JSON with --log-format json,
// else zerolog's console format, coloured only on a terminal.
func newLogger(sys *IO, format string, quiet, verbose bool) zerolog.Logger {
	level := zerolog.InfoLevel
	switch {
	case quiet:
		level = zerolog.WarnLevel
	case verbose:
		level = zerolog.DebugLevel
	}
	if format == "json" {
		return zerolog.New(sys.Err).Level(level).With().Timestamp().Logger()
	}
	w := zerolog.ConsoleWriter{
		Out:        sys.Err,
		NoColor:    !sys.ErrTerminal || sys.Getenv("NO_COLOR") != "",
		TimeFormat: "15:04:05",
	}
	return zerolog.New(w).Level(level).With().Timestamp().Logger()
}
