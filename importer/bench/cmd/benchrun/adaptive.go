package main

import (
	"context"
	"fmt"
	"net/http"

	"github.com/leadstatus/leadstatus/importer"
	"github.com/leadstatus/leadstatus/importer/bench"
	"github.com/leadstatus/leadstatus/importer/fake"
)

// Targets of the adaptive case: a hidden limit the tool must find by itself.
const (
	hiddenLimit     = 20.0
	minLimitShare   = 0.90
	maxTooManyShare = 0.03
)

// adaptive measures (e): the fake limits to 20 req/s (token bucket, no
// Retry-After, as the real service sends none); the tool runs with its
// defaults and with --rate 40.
func (s *suite) adaptive(ctx context.Context) error {
	const sec = "adaptive (hidden limit 20 req/s, no Retry-After)"
	input := s.path("adaptive.csv")
	if err := bench.WriteCSV(input, s.cfg.adaptReq); err != nil {
		return err
	}
	for _, burst := range []int{1, 5} {
		for _, flags := range [][]string{nil, {"--rate", "40"}} {
			r, err := s.send(ctx, input, fake.Options{RateLimit: hiddenLimit, RateBurst: burst}, flags...)
			if err != nil {
				return err
			}
			name := fmt.Sprintf("defaults (--rate %g, %d workers)", float64(importer.DefaultRate), importer.DefaultWorkers)
			if flags != nil {
				name = "--rate 40"
			}
			label := fmt.Sprintf("(e) bucket burst %d, leadstatus %s, %d updates", burst, name, s.cfg.adaptReq)
			s.limitShareRow(sec, label, r, s.cfg.adaptReq, minLimitShare)
			s.slowedRow(sec, label, http.StatusTooManyRequests, r.traffic.TooMany, r.traffic.TooManyShare(), r.traffic.Requests, maxTooManyShare)
		}
	}
	return nil
}
