package fake

import "fmt"

// draws is the random stream of one request, a function of the seed and the
// request's arrival index only, so concurrent requests cannot disturb each
// other's decisions.
type draws struct{ state uint64 }

func newDraws(seed int64, n int64) draws {
	return draws{state: mix(uint64(seed)) ^ mix(uint64(n)+0x632be59bd9b4e019)}
}

// next is splitmix64.
func (d *draws) next() uint64 {
	d.state += 0x9e3779b97f4a7c15
	return mix(d.state)
}

// chance reports whether an event of probability p happens.
func (d *draws) chance(p float64) bool {
	return float64(d.next()>>11)/(1<<53) < p
}

// pick returns one of choices, evenly; it takes one draw whatever their
// number, like chance.
func (d *draws) pick(choices []int) int {
	u := float64(d.next()>>11) / (1 << 53)
	return choices[min(int(u*float64(len(choices))), len(choices)-1)]
}

// requestID is 32 lowercase hex characters, like Nutshell's, derived from the
// seed, the request (its key: see requestKey) and how many times the same
// request came before it. Arrival order plays no part, so a run with many
// workers gets the same IDs every time.
func requestID(seed int64, key uint64, attempt uint32) string {
	d := draws{state: mix(uint64(seed)) ^ mix(key) ^ mix(uint64(attempt)+0x3c6ef372fe94f82b)}
	return fmt.Sprintf("%016x%016x", d.next(), d.next())
}

// requestKey hashes a request's method, escaped path and raw query (FNV-1a):
// the same request always has the same key, in any process.
func requestKey(method, path, query string) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	for _, s := range [...]string{method, " ", path, "?", query} {
		for i := 0; i < len(s); i++ {
			h ^= uint64(s[i])
			h *= prime
		}
	}
	return h
}

// mix is the splitmix64 finaliser, a good 64-bit hash.
func mix(z uint64) uint64 {
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}
