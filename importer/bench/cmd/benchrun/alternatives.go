package main

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/leadstatus/leadstatus/importer/bench"
	"github.com/leadstatus/leadstatus/importer/fake"
)

// alternatives runs what people do instead, on the rows and fake of (a): a
// sequential loop of curl and xargs -P 16 with curl, one POST per row with
// the body leadstatus would send.
func (s *suite) alternatives(ctx context.Context) error {
	const sec = "instead: curl (same rows, fake as (a))"
	input := s.path("requests.tsv")
	if err := bench.WriteRequests(input, s.cfg.requests); err != nil {
		return err
	}
	a := s.a
	s.note(sec, fmt.Sprintf("leadstatus, (a) above: %d updates", s.cfg.requests),
		fmt.Sprintf("%.2f s wall, %.2f s CPU, busiest second %d requests; report of every row, retries, paced (at --rate 20 the busiest second was %d)",
			a.usage.Wall.Seconds(), a.usage.CPU().Seconds(), a.stats.MaxPerSecond, s.c.stats.MaxPerSecond))
	for _, script := range []struct{ file, name string }{
		{"curl-seq.sh", "sequential curl loop"},
		{"curl-xargs.sh", "xargs -P 16 curl"},
	} {
		f, err := bench.StartFake(ctx, fake.Options{Leads: 10_000_000, NoRecord: true})
		if err != nil {
			return err
		}
		cmd := exec.CommandContext(ctx, "bash", filepath.Join(s.cfg.scripts, script.file), input)
		cmd.Env = append(cleanEnv(), f.Env()...)
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		u, err := bench.Measure(ctx, s.cfg.dir, cmd)
		st := f.Server.Stats()
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		ok := strings.Count(out.String(), "200\n")
		s.note(sec, fmt.Sprintf("%s: %d updates", script.name, s.cfg.requests),
			fmt.Sprintf("%.2f s wall (×%.1f leadstatus), %.2f s CPU (×%.1f); %d answered 200, %d applied; busiest second %d requests: keeps to no rate",
				u.Wall.Seconds(), u.Wall.Seconds()/a.usage.Wall.Seconds(), u.CPU().Seconds(), u.CPU().Seconds()/a.usage.CPU().Seconds(),
				ok, st.Applied, st.MaxPerSecond))
		if u.ExitCode != 0 {
			s.logf("%s exited with %d: %s", script.file, u.ExitCode, lastLines(errOut.String(), 3))
		}
	}
	return nil
}
