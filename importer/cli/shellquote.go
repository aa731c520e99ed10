package cli

import "strings"

// The resume command is printed for the user to paste into their shell, and
// no one quoting is right for sh, PowerShell and cmd.exe: sh and PowerShell
// take 'single quotes' (escaped differently), cmd.exe knows only "double
// quotes" and expands %VARIABLES% inside them, PowerShell expands $variables
// inside double quotes. So each shell has its own function, and quoterFor
// picks the one for the platform.

// quoterFor returns the argument quoting for the usual shell of goos:
// PowerShell or cmd.exe on Windows (quoteWindows), sh everywhere else.
func quoterFor(goos string) func(string) string {
	if goos == "windows" {
		return quoteWindows
	}
	return quoteSh
}

// onlyRunes reports whether s is non-empty and every rune of it is an ASCII
// letter, a digit or one of extra.
func onlyRunes(s, extra string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || strings.ContainsRune(extra, r))
	}) < 0
}

// quoteSh quotes s for a POSIX shell (sh, bash, zsh): as is when it holds
// nothing the shell would interpret, else in single quotes, inside which
// nothing is special but the single quote itself: it ends the quotes, is
// written escaped and the quotes reopen.
func quoteSh(s string) string {
	if onlyRunes(s, "-_./=:,") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// powerShellSingleQuotes are the characters PowerShell reads as a single
// quote: the ASCII one and the typographic ones word processors put in names.
const powerShellSingleQuotes = "'\u2018\u2019\u201a\u201b"

// quotePowerShell quotes s for PowerShell (Windows PowerShell 5.1 and
// PowerShell 7): as is when it holds nothing PowerShell would interpret
// (a comma would make an array, so it is quoted), else in single quotes,
// inside which nothing is special but a single quote, written twice.
// (Windows PowerShell 5.1 hands a double quote inside an argument to the
// program unescaped, so such an argument can still arrive changed there;
// Windows file names cannot hold one.)
func quotePowerShell(s string) string {
	if onlyRunes(s, "-_./\\:=") {
		return s
	}
	var b strings.Builder
	b.WriteByte('\'')
	for _, r := range s {
		if strings.ContainsRune(powerShellSingleQuotes, r) {
			b.WriteRune(r)
		}
		b.WriteRune(r)
	}
	b.WriteByte('\'')
	return b.String()
}

// quoteCmd quotes s for cmd.exe and the argument parsing of the program it
// starts (Go's and Microsoft's C runtime's rules are the same):
//   - inside "double quotes" cmd.exe leaves & | < > ^ ( ) and spaces alone;
//   - backslashes are literal except right before a double quote, so a run of
//     them that ends the quoted part is doubled;
//   - cmd.exe expands %NAME% even inside quotes, and a caret cannot stop it
//     there, so each % is written outside the quotes, where the text up to the
//     next % ("...") can never be a variable's name: "100"%" done";
//   - a double quote inside s is written outside the quotes as \^" (the caret
//     keeps cmd.exe from treating it as a quote, the backslash keeps the
//     program from doing so).
//
// Delayed expansion of !NAME! (off unless cmd /V:ON) is not guarded against.
func quoteCmd(s string) string {
	if onlyRunes(s, "-_./\\:=") {
		return s
	}
	var b strings.Builder
	for i, part := range strings.Split(s, "%") {
		if i > 0 {
			b.WriteByte('%')
		}
		for j, piece := range strings.Split(part, `"`) {
			if j > 0 {
				b.WriteString(`\^"`)
			}
			if piece == "" && (i > 0 || j > 0) {
				continue // nothing to quote between two specials
			}
			b.WriteByte('"')
			b.WriteString(piece)
			// Backslashes before the closing quote would escape it: double them.
			b.WriteString(strings.Repeat(`\`, len(piece)-len(strings.TrimRight(piece, `\`))))
			b.WriteByte('"')
		}
	}
	return b.String()
}

// quoteWindows quotes s so the line pastes into PowerShell, the shell
// Windows opens by default, and into cmd.exe whenever one form serves both:
// a plain "double-quoted" argument means the same to both shells unless it
// holds $ or ` (special to PowerShell inside double quotes), a double quote
// of any kind, or % (special to cmd.exe). Then it is PowerShell's form.
func quoteWindows(s string) string {
	if onlyRunes(s, "-_./\\:=") {
		return s
	}
	if strings.ContainsAny(s, "$`%\"\u201c\u201d\u201e") {
		return quotePowerShell(s)
	}
	return quoteCmd(s)
}
