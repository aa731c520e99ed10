// Package enrich reads what Nutshell has now and settles the updates that
// need no request: leads that do not exist, updates already applied, closed
// leads. The same rules decide a real run and a dry run with --check, so a
// check predicts the real run. It also resolves names and lead numbers before
// rows are mapped, so mapping itself does no I/O.
package enrich
