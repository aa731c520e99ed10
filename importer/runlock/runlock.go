// Package runlock keeps two runs from sending the same work at once: a lock
// file, created exclusively, named by a key (the input's fingerprint, the
// API's base URL and the user) and holding the owner's PID and start time.
// A lock whose process is gone is taken over with a warning.
package runlock

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Owner is what a lock file holds.
type Owner struct {
	PID     int       `json:"pid"`
	Started time.Time `json:"started"`
	What    string    `json:"what"` // what the owner is doing, for the message: "sending this file"
}

// HeldError says another live process holds the lock.
type HeldError struct {
	Owner Owner
	Path  string
}

func (e *HeldError) Error() string {
	return fmt.Sprintf("another leadstatus run (PID %d, started %s) is %s; wait for it, or stop it",
		e.Owner.PID, e.Owner.Started.Local().Format("15:04"), e.Owner.What)
}

// Lock is a held lock; Release removes it.
type Lock struct {
	path  string
	owner []byte
}

// Dir returns where locks live: the user's cache folder, or the temporary
// folder where there is none.
func Dir() string {
	if d, err := os.UserCacheDir(); err == nil && d != "" {
		return filepath.Join(d, "leadstatus", "locks")
	}
	return filepath.Join(os.TempDir(), "leadstatus-locks")
}

// Path returns the lock file for key in dir.
func Path(dir, key string) string {
	sum := sha256.Sum256([]byte(key))
	return filepath.Join(dir, hex.EncodeToString(sum[:16])+".lock")
}

// Acquire takes the lock for key in dir ("" → Dir()) for owner. It returns
// a *HeldError when a live process holds it; a lock left by a process that
// is gone, or one that cannot be read, is taken over after warn is told.
func Acquire(dir, key string, owner Owner, warn func(string)) (*Lock, error) {
	if dir == "" {
		dir = Dir()
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create the lock folder %s: %w", dir, err)
	}
	data, err := json.Marshal(owner)
	if err != nil {
		return nil, fmt.Errorf("encode the lock: %w", err)
	}
	path := Path(dir, key)
	// Twice at most: once, and once more after taking over a stale lock.
	for attempt := 0; ; attempt++ {
		err := create(path, data)
		if err == nil {
			return &Lock{path: path, owner: data}, nil
		}
		if !errors.Is(err, fs.ErrExist) || attempt > 0 {
			return nil, fmt.Errorf("take the lock %s: %w", path, err)
		}
		old, rerr := os.ReadFile(path)
		var held Owner
		if rerr == nil && json.Unmarshal(old, &held) == nil && held.PID > 0 {
			if Alive(held.PID) {
				return nil, &HeldError{Owner: held, Path: path}
			}
			warn(fmt.Sprintf("taking over the lock %s left by leadstatus PID %d (started %s), which is no longer running",
				path, held.PID, held.Started.Local().Format("2006-01-02 15:04")))
		} else {
			warn(fmt.Sprintf("taking over the unreadable lock %s", path))
		}
		// Remove only what was judged stale: a lock another run took in the
		// meantime has other content and is left alone.
		if now, err := os.ReadFile(path); err == nil && string(now) == string(old) {
			if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("remove the stale lock %s: %w", path, err)
			}
		}
	}
}

// create puts data in a new file at path, failing if it exists. The file
// is written beside it first and linked into place, so no other process
// ever sees a lock without its owner; where links are not supported, it is
// created exclusively and written.
func create(path string, data []byte) error {
	tmp := fmt.Sprintf("%s.%d.tmp", path, os.Getpid())
	if err := os.WriteFile(tmp, data, 0o600); err == nil {
		err = os.Link(tmp, path)
		os.Remove(tmp)
		if err == nil || errors.Is(err, fs.ErrExist) {
			return err
		}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return err
	}
	return nil
}

// Release removes the lock, if it is still this one. It is safe to call on
// nil and more than once.
func (l *Lock) Release() {
	if l == nil || l.path == "" {
		return
	}
	if now, err := os.ReadFile(l.path); err == nil && string(now) == string(l.owner) {
		os.Remove(l.path)
	}
	l.path = ""
}
