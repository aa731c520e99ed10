package mapping

// leadIndex maps lead ID numbers (never 0: it marks an empty slot) to a
// uint32: an open-addressing table with linear probing. At 12 bytes a slot
// and a load factor between 3/8 and 3/4 it holds a lead in 16-32 bytes,
// about two thirds of what map[uint64]uint32 takes (36 measured), which
// matters at a million leads.
type leadIndex struct {
	keys  []uint64 // 0 marks an empty slot
	vals  []uint32
	count int
	shift uint // 64 - log2(len(keys))
}

const leadIndexMinBits = 10

func newLeadIndex() leadIndex {
	return leadIndex{keys: make([]uint64, 1<<leadIndexMinBits), vals: make([]uint32, 1<<leadIndexMinBits), shift: 64 - leadIndexMinBits}
}

// slot returns where key is, or the empty slot where it would go.
func (x *leadIndex) slot(key uint64) int {
	mask := len(x.keys) - 1
	// Fibonacci hashing spreads consecutive IDs across the table.
	i := int((key * 0x9E3779B97F4A7C15) >> x.shift)
	for x.keys[i] != 0 && x.keys[i] != key {
		i = (i + 1) & mask
	}
	return i
}

// get returns the value stored for key.
func (x *leadIndex) get(key uint64) (uint32, bool) {
	i := x.slot(key)
	return x.vals[i], x.keys[i] != 0
}

// set stores the value for key.
func (x *leadIndex) set(key uint64, val uint32) {
	i := x.slot(key)
	if x.keys[i] == 0 {
		if (x.count+1)*4 > len(x.keys)*3 {
			x.grow()
			i = x.slot(key)
		}
		x.keys[i] = key
		x.count++
	}
	x.vals[i] = val
}

func (x *leadIndex) grow() {
	keys, vals := x.keys, x.vals
	x.keys, x.vals = make([]uint64, 2*len(keys)), make([]uint32, 2*len(vals))
	x.shift--
	for i, k := range keys {
		if k != 0 {
			j := x.slot(k)
			x.keys[j], x.vals[j] = k, vals[i]
		}
	}
}
