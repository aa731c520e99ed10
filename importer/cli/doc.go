// Package cli is leadstatus's command line: it parses each command's flags
// into options, wires the stages together and reports what happened. main
// only turns signals into contexts and errors into exit codes.
package cli
