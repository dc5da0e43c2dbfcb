//go:build unix

package output

import (
	"context"
	"errors"
	"os"
	"syscall"
	"time"
)

// errLocked says that another process holds a lock.
var errLocked = errors.New("locked by another process")

// lockFile opens path (creating it when create is set) and takes an
// exclusive flock on it without waiting: errLocked when another open file
// holds it. Closing the file releases the lock, as does the death of the
// process, however it dies.
func lockFile(path string, mode os.FileMode, create bool) (*os.File, error) {
	flag := os.O_RDWR
	if create {
		flag |= os.O_CREATE
	}
	f, err := os.OpenFile(path, flag, mode.Perm())
	if err != nil {
		return nil, err
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, errLocked
		}
		return nil, err
	}
	return f, nil
}

// lockPoll is how often waitLock tries a lock another process holds.
const lockPoll = 20 * time.Millisecond

// waitLock takes the lock at path, waiting for another holder to let go
// until ctx ends.
func waitLock(ctx context.Context, path string, mode os.FileMode) (*os.File, error) {
	for {
		f, err := lockFile(path, mode, true)
		if !errors.Is(err, errLocked) {
			return f, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(lockPoll):
		}
	}
}
