// Package stop is the one signal that ends dispatching in a run: the first
// Ctrl-C, --limit, --max-failures, an outage, rejected credentials, a
// damaged input. Every stage that reads or sends watches it; requests already
// in flight are cancelled by a separate context (the second Ctrl-C).
package stop
