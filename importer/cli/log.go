package cli

import (
	"io"

	"github.com/rs/zerolog"
)

// newLogger returns the run's logger writing to out (stderr): JSON with --log-format json,
// else zerolog's console format, coloured only on a terminal that shows colours.
func newLogger(sys *IO, out io.Writer, format string, quiet, verbose bool) zerolog.Logger {
	level := zerolog.InfoLevel
	switch {
	case quiet:
		level = zerolog.WarnLevel
	case verbose:
		level = zerolog.DebugLevel
	}
	// Workers log concurrently; one write per line keeps lines whole.
	out = zerolog.SyncWriter(out)
	if format == "json" {
		return zerolog.New(out).Level(level).With().Timestamp().Logger()
	}
	w := zerolog.ConsoleWriter{
		Out:        out,
		NoColor:    !sys.ErrColor || sys.Getenv("NO_COLOR") != "",
		TimeFormat: "15:04:05",
	}
	return zerolog.New(w).Level(level).With().Timestamp().Logger()
}
