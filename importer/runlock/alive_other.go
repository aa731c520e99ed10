//go:build !unix && !windows

package runlock

// Alive cannot tell on this platform, so a lock is never taken over.
func Alive(int) bool { return true }
