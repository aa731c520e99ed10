package report

import (
	"bufio"
	"io"
)

// sink is the buffered output the text encoders (CSV, JSONL) share: it keeps
// the first write error, which every later call returns, and closes the file
// when the encoder owns it.
type sink struct {
	name   string // file name for errors; "" for a bare writer
	buf    *bufio.Writer
	closer io.Closer // the file, when the encoder owns it
	err    error
	closed bool
}

func newSink(w io.Writer, closer io.Closer, name string) sink {
	return sink{name: name, buf: bufio.NewWriterSize(w, csvBufferSize), closer: closer}
}

// usable returns the error that stops any further write, if any.
func (s *sink) usable() error {
	if s.err != nil {
		return s.err
	}
	if s.closed {
		return ErrClosed
	}
	return nil
}

// write writes one whole line.
func (s *sink) write(b []byte) error {
	if _, err := s.buf.Write(b); err != nil {
		return s.fail(err)
	}
	return nil
}

// Flush hands the buffered lines to the operating system.
func (s *sink) Flush() error {
	if err := s.usable(); err != nil {
		return err
	}
	if err := s.buf.Flush(); err != nil {
		return s.fail(err)
	}
	return nil
}

// Close flushes and, when the encoder made the file, closes it.
func (s *sink) Close() error {
	if s.closed {
		return s.err
	}
	err := s.Flush()
	s.closed = true
	if s.closer != nil {
		if cerr := s.closer.Close(); cerr != nil && err == nil {
			err = s.fail(cerr)
		}
	}
	return err
}

func (s *sink) fail(err error) error {
	if s.err == nil {
		s.err = &WriteError{Path: s.name, Err: err}
	}
	return s.err
}
