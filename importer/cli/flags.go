package cli

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// flagDef is one flag of a command, defined once: the variable it sets and
// the values it accepts (value), its help and the group help shows it in.
type flagDef struct {
	name  string
	value flagValue
	group string
	usage string // a `WORD` in it names the value in help
	def   string // the default, as help writes it
}

// flagValue is a flag.Value that knows how help names its value: N, X, D
// or TEXT ("" for a switch).
type flagValue interface {
	String() string
	Set(string) error
	placeholder() string
}

// def makes one row of a command's flag table; the variable behind value
// holds its default already.
func def(group, name string, value flagValue, usage string) flagDef {
	return flagDef{name: name, value: value, group: group, usage: usage, def: value.String()}
}

// valueError is a value a flag refuses: msg follows the flag's name in the
// message; seeHelp adds where to look.
type valueError struct {
	msg     string
	seeHelp bool
}

func (e *valueError) Error() string { return e.msg }

func refuse(format string, args ...any) error {
	return &valueError{msg: fmt.Sprintf(format, args...)}
}

// valueRange is the values a numeric flag accepts.
type valueRange struct {
	min, max float64 // max +Inf: no upper bound; min -Inf: no lower bound
	above    bool    // the value must be more than min, not equal to it
}

var (
	anyNumber    = valueRange{min: math.Inf(-1), max: math.Inf(1)}
	zeroOrMore   = valueRange{min: 0, max: math.Inf(1)}
	oneOrMore    = valueRange{min: 1, max: math.Inf(1)}
	moreThanZero = valueRange{min: 0, max: math.Inf(1), above: true}
	share        = valueRange{min: 0, max: 1}
)

// check returns the complaint about v, or "".
func (r valueRange) check(v float64) string {
	switch {
	case math.IsNaN(v):
		return "must be a number"
	case r.max < math.Inf(1) && (v < r.min || v > r.max || r.above && v == r.min):
		return fmt.Sprintf("choose from %g to %g", r.min, r.max)
	case r.above && v <= r.min:
		return fmt.Sprintf("must be more than %g", r.min)
	case v < r.min && r.min == 0:
		return "must be 0 or more"
	case v < r.min:
		return fmt.Sprintf("must be at least %g", r.min)
	}
	return ""
}

// intValue is a whole number within a range: a count (0 or more), a
// positive count, or a bounded one such as --workers.
type intValue struct {
	p *int
	r valueRange
}

func intFlag(p *int, def int, r valueRange) *intValue {
	*p = def
	return &intValue{p, r}
}

func (v *intValue) String() string      { return strconv.Itoa(*v.p) }
func (v *intValue) placeholder() string { return "N" }
func (v *intValue) Set(s string) error {
	n, err := strconv.ParseInt(s, 0, strconv.IntSize)
	if err != nil {
		return refuse("%q is not a whole number", s)
	}
	if msg := v.r.check(float64(n)); msg != "" {
		return refuse("%d: %s", n, msg)
	}
	*v.p = int(n)
	return nil
}

// floatValue is a number within a range: a rate, or a share from 0 to 1.
type floatValue struct {
	p *float64
	r valueRange
}

func floatFlag(p *float64, def float64, r valueRange) *floatValue {
	*p = def
	return &floatValue{p, r}
}

func (v *floatValue) String() string      { return strconv.FormatFloat(*v.p, 'g', -1, 64) }
func (v *floatValue) placeholder() string { return "X" }
func (v *floatValue) Set(s string) error {
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return refuse("%q is not a number", s)
	}
	if msg := v.r.check(x); msg != "" {
		return refuse("%s: %s", strconv.FormatFloat(x, 'g', -1, 64), msg)
	}
	*v.p = x
	return nil
}

// durationValue is a duration written with its unit ("30s", not "30"),
// within a range.
type durationValue struct {
	p *time.Duration
	r valueRange // in seconds
}

func durationFlag(p *time.Duration, def time.Duration, r valueRange) *durationValue {
	*p = def
	return &durationValue{p, r}
}

func (v *durationValue) String() string      { return v.p.String() }
func (v *durationValue) placeholder() string { return "D" }
func (v *durationValue) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		if _, numErr := strconv.ParseFloat(s, 64); numErr == nil {
			return refuse("%s: use a unit, e.g. %ss", s, s)
		}
		return refuse("%q is not a duration; use e.g. 500ms, 30s or 2m", s)
	}
	if msg := v.r.check(d.Seconds()); msg != "" {
		return refuse("%s: %s", d, msg)
	}
	*v.p = d
	return nil
}

// boolValue is a switch: --name turns it on, --name=false off.
type boolValue struct{ p *bool }

func boolFlag(p *bool) *boolValue { return &boolValue{p} }

func (v *boolValue) String() string      { return strconv.FormatBool(*v.p) }
func (v *boolValue) placeholder() string { return "" }
func (v *boolValue) IsBoolFlag() bool    { return true }
func (v *boolValue) Set(s string) error {
	b, err := strconv.ParseBool(s)
	if err != nil {
		return refuse("%q is not true or false", s)
	}
	*v.p = b
	return nil
}

// textValue is free text: a path, a name, an address.
type textValue struct{ p *string }

func textFlag(p *string, def string) *textValue {
	*p = def
	return &textValue{p}
}

func (v *textValue) String() string      { return *v.p }
func (v *textValue) placeholder() string { return "TEXT" }
func (v *textValue) Set(s string) error  { *v.p = s; return nil }

// choiceValue is one of a few words, the closest suggested for a typo.
type choiceValue struct {
	p     *string
	words []string
}

func choiceFlag(p *string, def string, words ...string) *choiceValue {
	*p = def
	return &choiceValue{p, words}
}

func (v *choiceValue) String() string      { return *v.p }
func (v *choiceValue) placeholder() string { return "TEXT" }
func (v *choiceValue) Set(s string) error {
	if !slices.Contains(v.words, s) {
		if best := closest(s, v.words); best != "" {
			return &valueError{msg: fmt.Sprintf("%q: did you mean %s?", s, best), seeHelp: true}
		}
		return refuse("%q: choose %s", s, orList(v.words))
	}
	*v.p = s
	return nil
}

// statusesValue is a list of HTTP statuses: "503" or "500,503".
type statusesValue struct{ p *[]int }

func (v *statusesValue) placeholder() string { return "TEXT" }
func (v *statusesValue) String() string {
	var parts []string
	for _, n := range *v.p {
		parts = append(parts, strconv.Itoa(n))
	}
	return strings.Join(parts, ",")
}
func (v *statusesValue) Set(s string) error {
	var statuses []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return refuse("%q is not an HTTP status; give numbers such as 503 or 500,503", f)
		}
		statuses = append(statuses, n)
	}
	*v.p = statuses
	return nil
}
