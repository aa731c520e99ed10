//go:build !unix && !windows

package runlock

// alive cannot tell on this platform, so a lock is never taken over.
func alive(int) bool { return true }
