package ledger

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// OwnerGone reports whether the process that recorded owner is known to be
// gone. Only default owners ("host/pid/random", see Options.Owner) can be
// judged, and only on the same host: the owner is gone when its pid no
// longer exists, or when it is this process's pid under another owner (an
// earlier incarnation of a restarted container, which reuses pid and
// hostname). An owner on another host, or a pid that is alive (possibly
// reused by an unrelated process), is not known to be gone.
func (l *Ledger) OwnerGone(owner string) bool {
	if owner == l.owner {
		return false
	}
	host, pidText, ok := strings.Cut(owner, "/")
	if !ok {
		return false
	}
	pidText, _, ok = strings.Cut(pidText, "/")
	if !ok {
		return false
	}
	pid, err := strconv.Atoi(pidText)
	if err != nil || pid <= 0 {
		return false
	}
	if me, err := os.Hostname(); err != nil || me != host {
		return false
	}
	if pid == os.Getpid() {
		return true
	}
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}
