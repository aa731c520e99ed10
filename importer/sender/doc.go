// Package sender owns every request an import makes: each takes its turn at
// the pacer, failures that are safe to retry are retried with backoff, a
// failure that may have been applied is checked by reading the lead before
// anything is resent, and a run of failures pauses every worker as an outage.
package sender
