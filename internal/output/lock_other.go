//go:build !unix

package output

import (
	"context"
	"errors"
	"os"
)

// errLocked says that another process holds a lock. Without flock it is
// never returned: on these systems only one process may write a folder at
// a time.
var errLocked = errors.New("locked by another process")

// lockFile opens path (creating it when create is set); this system has no
// flock, so it takes no lock.
func lockFile(path string, mode os.FileMode, create bool) (*os.File, error) {
	flag := os.O_RDWR
	if create {
		flag |= os.O_CREATE
	}
	return os.OpenFile(path, flag, mode.Perm())
}

// waitLock opens the lock file at path.
func waitLock(ctx context.Context, path string, mode os.FileMode) (*os.File, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return lockFile(path, mode, true)
}
