package fake

// Lead numbers are a keyed permutation of lead IDs, so a user cannot guess
// one from the other: IDs 1–900000 take every number from 100000 to 999999
// once, the next 9,000,000 IDs every 7-digit number, and so on.

const (
	firstNumberBlock = 100000 // the smallest lead number
	numberKey        = 0x5eed1ead5eed1ead
	feistelRounds    = 4
	maxNumberBlocks  = 12 // up to 17-digit numbers, far beyond any int64 lead count in use
)

// LeadNumber returns the number (the serial a user sees) of lead id, or 0 if
// id < 1. It is a bijection: no two leads share a number.
func LeadNumber(id int) int64 {
	if id < 1 {
		return 0
	}
	k := int64(id) - 1
	start, size := int64(firstNumberBlock), int64(9*firstNumberBlock)
	for b := 0; b < maxNumberBlocks; b++ {
		if k < size {
			return start + permute(k, size, true)
		}
		k -= size
		start, size = start*10, size*10
	}
	return 0
}

// LeadForNumber returns the ID of the lead whose number is number, the
// inverse of LeadNumber. Whether that lead exists depends on Options.Leads.
func LeadForNumber(number int64) (int, bool) {
	start, size := int64(firstNumberBlock), int64(9*firstNumberBlock)
	var before int64
	for b := 0; b < maxNumberBlocks; b++ {
		if number >= start && number < start+size {
			id := before + permute(number-start, size, false) + 1
			if int64(int(id)) != id {
				return 0, false
			}
			return int(id), true
		}
		before += size
		start, size = start*10, size*10
	}
	return 0, false
}

// permute maps x in [0, n) to [0, n) by a balanced Feistel network on the
// smallest even number of bits that covers n, walking the cycle until the
// value falls back inside [0, n); forward false applies the inverse.
func permute(x, n int64, forward bool) int64 {
	half := uint(1)
	for int64(1)<<(2*half) < n {
		half++
	}
	mask := uint64(1)<<half - 1
	key := numberKey ^ uint64(n)
	y := uint64(x)
	for {
		l, r := y>>half, y&mask
		if forward {
			for i := uint64(0); i < feistelRounds; i++ {
				l, r = r, l^(mix(key^i<<40^r)&mask)
			}
		} else {
			for i := uint64(feistelRounds); i > 0; i-- {
				l, r = r^(mix(key^(i-1)<<40^l)&mask), l
			}
		}
		y = l<<half | r
		if int64(y) < n {
			return int64(y)
		}
	}
}
