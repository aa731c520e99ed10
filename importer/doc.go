// Package importer runs an import: it streams rows from a source, maps them to
// lead status updates, sends them through a paced worker pool and writes every
// row to the report exactly once.
package importer
