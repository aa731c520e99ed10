package mapping

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// dollar marks a price written with a bare "$": many currencies use that sign
// (USD, CAD, AUD, ...), so it names none of them by itself.
const dollar = "$"

// dollarCurrencies are the ISO codes whose usual sign is "$"; a "$" price
// agrees with any of them.
const dollarCurrencies = " USD CAD AUD NZD SGD HKD MXN TWD ARS CLP COP CUP DOP UYU BSD BBD BZD BMD BND KYD FJD GYD JMD LRD NAD SBD SRD TTD XCD "

// isoCurrencies are the ISO 4217 codes a price cell may carry. Inside a price
// only these count as a currency, so text such as "abc1" is not read as 1 ABC.
const isoCurrencies = " AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD" +
	" CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD" +
	" HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD" +
	" MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG" +
	" QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD" +
	" TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG ZWL "

// isoCode returns s upper-cased when it is a known ISO 4217 code.
func isoCode(s string) (string, bool) {
	if len(s) != 3 || !isLetters(s) {
		return "", false
	}
	up := strings.ToUpper(s)
	return up, strings.Contains(isoCurrencies, " "+up+" ")
}

// maxQuantity bounds a quantity so it fits the API's integer on every platform.
const maxQuantity = math.MaxInt32

// price is a parsed price cell.
type price struct {
	amount   string // decimal with at least 2 decimals, e.g. "1234.50"
	currency string // ISO code written in the cell, dollar for a bare "$", or ""
}

// parseQuantity parses a positive whole number: "2", "2.0", "1,000"; with
// comma set, decimal commas: "2,0", "1.000". s is trimmed and not empty.
func parseQuantity(s string, comma bool) (int, string) {
	t := s
	if comma {
		t = swapMarks(s)
	}
	if isScientific(t) {
		return 0, strconv.Quote(s) + " is in scientific notation; format the column as Number with 0 decimals or as Text and export the file again"
	}
	if r, _ := utf8.DecodeRuneInString(t); r == '-' || r == '−' {
		return 0, strconv.Quote(s) + " is negative; a quantity is a whole number from 1 up"
	}
	intPart, frac, hasDot := strings.Cut(t, ".")
	if hasDot {
		if frac == "" || !allDigits(frac) || strings.Contains(frac, ".") {
			return 0, notQuantity(s)
		}
		if strings.Trim(frac, "0") != "" {
			return 0, strconv.Quote(s) + " is not a whole number; a quantity counts whole units"
		}
	}
	digits, reason := ungroup(intPart)
	switch {
	case reason != "":
		return 0, notQuantity(s)
	case digits == "":
		return 0, notQuantity(s)
	}
	n, err := strconv.ParseUint(digits, 10, 64)
	switch {
	case err != nil || n > maxQuantity:
		return 0, strconv.Quote(s) + " is too large for a quantity"
	case n == 0:
		return 0, strconv.Quote(s) + " is zero; a quantity is a whole number from 1 up (leave the cell empty for none)"
	}
	return int(n), ""
}

func notQuantity(s string) string {
	return strconv.Quote(s) + " is not a quantity; write a whole number like 2"
}

// parsePrice reads an amount the way a spreadsheet shows it: "1,234.50",
// "$1,234.50", "€ 99", "99 €", "USD 1,000.00", "1 234.50". It never guesses:
// a decimal comma, or a lone "1,234" that could be either, is refused with the
// reason. With comma set the marks trade places: "1.234,50" and "1,5" are
// read, a decimal dot is refused. s is trimmed and not empty.
func parsePrice(s string, comma bool) (price, string) {
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		return price{}, negativePrice(s)
	}
	num, cur, reason := splitCurrency(s)
	if reason != "" {
		return price{}, reason
	}
	if num == "" {
		return price{}, notAmount(s)
	}
	if r, _ := utf8.DecodeRuneInString(num); r == '-' || r == '−' || r == '+' {
		if r == '+' {
			return price{}, notAmount(s)
		}
		return price{}, negativePrice(s)
	}
	if isScientific(num) {
		return price{}, strconv.Quote(s) + " is in scientific notation; format the column as Number with 2 decimals or as Text and export the file again"
	}
	for _, r := range num {
		if !(r >= '0' && r <= '9' || r == '.' || r == ',' || unicode.IsSpace(r)) {
			return price{}, notAmount(s)
		}
	}
	if comma {
		num = swapMarks(num) // from here on, a dot marks the decimals
	}
	lastDot, lastComma := strings.LastIndexByte(num, '.'), strings.LastIndexByte(num, ',')
	switch {
	case lastComma > lastDot && lastDot >= 0:
		// "1.234,50": dots group, the comma marks decimals.
		return price{}, wrongDecimalMark(s, comma)
	case lastDot < 0 && lastComma >= 0 && strings.Count(num, ",") == 1:
		if after := num[lastComma+1:]; len(after) != 3 || !allDigits(after) {
			return price{}, wrongDecimalMark(s, comma)
		}
		if comma {
			return price{}, strconv.Quote(s) + " is ambiguous: it could mean 1234 or 1,234 with a decimal dot; write it with a comma for decimals, like 1234,00 or 1,234"
		}
		return price{}, strconv.Quote(s) + " is ambiguous: it could mean 1234 or 1.234 with a decimal comma; write it with a dot for decimals, like 1234.00 or 1.234, or pass --decimal-comma if the file's commas mark decimals"
	}
	intPart, frac, hasDot := strings.Cut(num, ".")
	if hasDot && (frac == "" || !allDigits(frac)) {
		return price{}, notAmount(s)
	}
	if intPart == "" && !hasDot {
		return price{}, notAmount(s)
	}
	grouped := !allDigits(intPart)
	if grouped {
		if why := checkGrouping(intPart); why != "" {
			if comma {
				return price{}, strconv.Quote(s) + " " + strings.ReplaceAll(why, "commas", "dots") + "; write it like 1.234,50 or 1234,50"
			}
			return price{}, strconv.Quote(s) + " " + why + "; write it like 1,234.50 or 1234.50"
		}
	}
	if !grouped && hasDot && len(frac) >= 2 && (intPart == "0" || intPart != "" && intPart[0] != '0') {
		// Already in the form sent ("100.50"): keep the text, no copy.
		return price{amount: num, currency: cur}, ""
	}
	return price{amount: formatAmount(intPart, frac), currency: cur}, ""
}

// formatAmount writes intPart.frac without grouping or leading zeros and
// with at least two decimals, in one allocation. intPart is checked already.
func formatAmount(intPart, frac string) string {
	var arr [64]byte
	b := arr[:0]
	for i := 0; i < len(intPart); i++ {
		if c := intPart[i]; isDigit(c) && (c != '0' || len(b) > 0) {
			b = append(b, c)
		}
	}
	if len(b) == 0 {
		b = append(b, '0')
	}
	b = append(b, '.')
	b = append(b, frac...)
	for i := len(frac); i < 2; i++ {
		b = append(b, '0')
	}
	return string(b)
}

func negativePrice(s string) string {
	return strconv.Quote(s) + " is negative; a price is 0 or more"
}

func notAmount(s string) string {
	return strconv.Quote(s) + " is not an amount; write it like 1234.50, optionally with a currency such as USD or €"
}

// wrongDecimalMark refuses a decimal comma, or with comma set a decimal dot.
func wrongDecimalMark(s string, comma bool) string {
	if comma {
		return strconv.Quote(s) + " uses a dot as the decimal mark, but the file is read with decimal commas (--decimal-comma, or decimal_separator: \",\" in the mapping file); write it like 1234,50"
	}
	return strconv.Quote(s) + " uses a comma as the decimal mark; use a dot for decimals and no other separators, like 1234.50, or pass --decimal-comma (decimal_separator: \",\" in a mapping file) if the file writes decimals with commas"
}

// swapMarks exchanges dots and commas, so a number written with decimal
// commas ("1.234,50") reads by the rules for decimal dots ("1,234.50").
func swapMarks(s string) string {
	if !strings.ContainsAny(s, ".,") {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch r {
		case '.':
			return ','
		case ',':
			return '.'
		}
		return r
	}, s)
}

// splitCurrency separates a currency sign or ISO code written before or after
// the number. The sign found is returned as an ISO code, or dollar.
func splitCurrency(s string) (num, cur, reason string) {
	if isDigit(s[0]) && isDigit(s[len(s)-1]) {
		return s, "", "" // the usual case: no sign or code
	}
	num = s
	if c, rest, ok := cutCurrencyPrefix(num); ok {
		cur, num = c, strings.TrimSpace(rest)
	}
	if c, rest, ok := cutCurrencySuffix(num); ok {
		if cur != "" {
			return "", "", strconv.Quote(s) + " has two currency marks; keep one"
		}
		cur, num = c, strings.TrimSpace(rest)
	}
	if r, _ := utf8.DecodeRuneInString(num); (r == '-' || r == '−') && cur == "" {
		// "-$5": the sign stands before the currency.
		if c, rest, ok := cutCurrencyPrefix(strings.TrimSpace(num[utf8.RuneLen(r):])); ok {
			return string(r) + rest, c, ""
		}
	}
	return num, cur, ""
}

// currencySigns returns the signs a price may carry and what they name,
// longest first. An array value: nothing is allocated.
func currencySigns() [10][2]string {
	return [10][2]string{
		{"US$", "USD"}, {"CA$", "CAD"}, {"AU$", "AUD"}, {"NZ$", "NZD"}, {"C$", "CAD"}, {"A$", "AUD"},
		{"$", dollar}, {"€", "EUR"}, {"£", "GBP"}, {"¥", "JPY"},
	}
}

func cutCurrencyPrefix(s string) (cur, rest string, ok bool) {
	for _, sign := range currencySigns() {
		if strings.HasPrefix(s, sign[0]) {
			return sign[1], s[len(sign[0]):], true
		}
	}
	// An ISO code followed by a space or the number: "USD 1,000.00", "EUR99".
	if len(s) > 3 && (s[3] == ' ' || isDigit(s[3]) || s[3] == '.' || s[3] >= utf8.RuneSelf) {
		if code, ok := isoCode(s[:3]); ok {
			return code, s[3:], true
		}
	}
	return "", "", false
}

func cutCurrencySuffix(s string) (cur, rest string, ok bool) {
	for _, sign := range currencySigns() {
		if strings.HasSuffix(s, sign[0]) {
			return sign[1], s[:len(s)-len(sign[0])], true
		}
	}
	if n := len(s); n > 3 && (s[n-4] == ' ' || isDigit(s[n-4]) || s[n-4] >= utf8.RuneSelf) {
		if code, ok := isoCode(s[n-3:]); ok {
			return code, s[:n-3], true
		}
	}
	return "", "", false
}

// parseCurrency accepts a three-letter ISO code in any case.
func parseCurrency(s string) (string, bool) {
	if len(s) != 3 || !isLetters(s) {
		return "", false
	}
	if s[0] >= 'a' || s[1] >= 'a' || s[2] >= 'a' {
		return strings.ToUpper(s), true
	}
	return s, true
}

func currencyReason(s string) string {
	return strconv.Quote(s) + " is not a currency code; write the three-letter ISO code, like USD or EUR"
}

// currencyAgrees reports whether a currency written in the price (an ISO code
// or dollar) agrees with the row's currency.
func currencyAgrees(inPrice, row string) bool {
	if inPrice == dollar {
		return strings.Contains(dollarCurrencies, " "+row+" ")
	}
	return inPrice == row
}

// checkGrouping checks an integer part that may group thousands with commas
// or spaces (one kind only; first group 1-3 digits, the others 3).
func checkGrouping(s string) (reason string) {
	group, groups := 0, 0
	sepKind := 0 // 1 comma, 2 space
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			group++
			continue
		case r == ',':
			if sepKind == 2 {
				return "mixes commas and spaces between digits"
			}
			sepKind = 1
		case unicode.IsSpace(r):
			if sepKind == 1 {
				return "mixes commas and spaces between digits"
			}
			sepKind = 2
		default:
			return "is not a number"
		}
		if group == 0 || (groups == 0 && group > 3) || (groups > 0 && group != 3) {
			return "has misplaced thousands separators"
		}
		groups++
		group = 0
	}
	if groups > 0 && group != 3 {
		return "has misplaced thousands separators"
	}
	return ""
}

// ungroup checks an integer part as checkGrouping does and returns its digits.
func ungroup(s string) (digits, reason string) {
	if allDigits(s) {
		return s, ""
	}
	if reason := checkGrouping(s); reason != "" {
		return "", reason
	}
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s), ""
}

// isScientific reports whether s looks like a number in scientific notation
// (1e3, 1.006E+03), which is how Excel shortens long numbers.
func isScientific(s string) bool {
	i := strings.IndexAny(s, "eE")
	if i <= 0 || !isDigit(s[i-1]) {
		return false
	}
	exp := strings.TrimLeft(s[i+1:], "+-")
	return exp != "" && allDigits(exp)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}
