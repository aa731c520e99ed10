package mapping

// hashIndex maps lead ID numbers (never 0: it marks an empty slot) to a
// uint32: an open-addressing table with linear probing. At 12 bytes a slot
// and a load factor between 3/8 and 3/4 it holds a lead in 16-32 bytes,
// about two thirds of what map[uint64]uint32 takes (36 measured).
type hashIndex struct {
	keys  []uint64 // 0 marks an empty slot
	vals  []uint32
	count int
	shift uint // 64 - log2(len(keys))
}

const leadIndexMinBits = 10

func newHashIndex() hashIndex {
	return hashIndex{keys: make([]uint64, 1<<leadIndexMinBits), vals: make([]uint32, 1<<leadIndexMinBits), shift: 64 - leadIndexMinBits}
}

// slot returns where key is, or the empty slot where it would go.
func (x *hashIndex) slot(key uint64) int {
	mask := len(x.keys) - 1
	// Fibonacci hashing spreads consecutive IDs across the table.
	i := int((key * 0x9E3779B97F4A7C15) >> x.shift)
	for x.keys[i] != 0 && x.keys[i] != key {
		i = (i + 1) & mask
	}
	return i
}

// get returns the value stored for key.
func (x *hashIndex) get(key uint64) (uint32, bool) {
	i := x.slot(key)
	return x.vals[i], x.keys[i] != 0
}

// set stores the value for key.
func (x *hashIndex) set(key uint64, val uint32) {
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

func (x *hashIndex) grow() {
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

// leadIndex maps lead ID numbers to a uint32 (the first row of the lead's
// group). Lead IDs are handed out in sequence, so a file's IDs usually fill
// a range densely: pages of 1,024 slots then hold a lead in about 4 bytes,
// and memory hardly grows with the file. When IDs turn out sparse (more
// than eight slots per lead) it moves everything into a hashIndex, which
// bounds the cost at about 32 bytes a lead.
type leadIndex struct {
	pages map[uint64]*leadPage // nil once moved to hash
	hash  hashIndex
	count int
	// last is the page used last and lastNum its number: consecutive rows
	// mostly fall in one page, which then costs no map lookup.
	last    *leadPage
	lastNum uint64
}

const (
	pageBits     = 10
	pageSize     = 1 << pageBits
	minPages     = 16 // small files stay paged whatever their IDs
	sparseFactor = 8  // slots per lead beyond which pages waste memory
)

type leadPage struct {
	present [pageSize / 64]uint64
	vals    [pageSize]uint32
}

func newLeadIndex() leadIndex {
	return leadIndex{pages: make(map[uint64]*leadPage)}
}

// get returns the value stored for key.
func (x *leadIndex) get(key uint64) (uint32, bool) {
	if x.pages == nil {
		return x.hash.get(key)
	}
	p := x.page(key >> pageBits)
	if p == nil {
		return 0, false
	}
	off := key & (pageSize - 1)
	if p.present[off/64]&(1<<(off%64)) == 0 {
		return 0, false
	}
	return p.vals[off], true
}

// set stores the value for key.
func (x *leadIndex) set(key uint64, val uint32) {
	if x.pages == nil {
		x.hash.set(key, val)
		x.count = x.hash.count
		return
	}
	p := x.page(key >> pageBits)
	if p == nil {
		if len(x.pages) >= minPages && (len(x.pages)+1)*pageSize > sparseFactor*(x.count+1) {
			x.toHash()
			x.set(key, val)
			return
		}
		p = new(leadPage)
		x.pages[key>>pageBits] = p
		x.last, x.lastNum = p, key>>pageBits
	}
	off := key & (pageSize - 1)
	if p.present[off/64]&(1<<(off%64)) == 0 {
		p.present[off/64] |= 1 << (off % 64)
		x.count++
	}
	p.vals[off] = val
}

// page returns page number num, or nil if there is none yet.
func (x *leadIndex) page(num uint64) *leadPage {
	if x.last != nil && x.lastNum == num {
		return x.last
	}
	p := x.pages[num]
	if p != nil {
		x.last, x.lastNum = p, num
	}
	return p
}

// toHash moves every entry from pages into the hash table.
func (x *leadIndex) toHash() {
	x.hash = newHashIndex()
	for base, p := range x.pages {
		for off := range uint64(pageSize) {
			if p.present[off/64]&(1<<(off%64)) != 0 {
				x.hash.set(base<<pageBits|off, p.vals[off])
			}
		}
	}
	x.pages, x.last = nil, nil
}
