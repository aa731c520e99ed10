// Package mapping turns spreadsheet rows into Nutshell lead status updates.
//
// It is pure: no I/O. Names that only the API knows (outcomes, products,
// competitor maps, lead numbers) are resolved through a Resolver that the
// caller fills.
package mapping
