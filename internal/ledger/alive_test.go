package ledger

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// OwnerGone knows a default owner on this host is gone when its pid has
// exited (a real child process, waited for) or is this process's own pid
// under another owner; it never calls a live, foreign-host or unparseable
// owner gone.
func TestOwnerGone(t *testing.T) {
	host, err := os.Hostname()
	if err != nil {
		t.Fatal(err)
	}
	l, err := Open(context.Background(), "sqlite", filepath.Join(t.TempDir(), "state.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()

	child := exec.Command("true")
	if err := child.Run(); err != nil {
		t.Fatalf("run a child: %v", err)
	}
	dead := child.ProcessState.Pid()
	if err := exec.Command("kill", "-0", fmt.Sprint(dead)).Run(); err == nil {
		t.Skipf("pid %d of the exited child is already reused", dead) // not a pass: the case cannot be made
	}
	cases := []struct {
		owner string
		gone  bool
	}{
		{l.Owner(), false},
		{fmt.Sprintf("%s/%d/cafe0001", host, dead), true},
		{fmt.Sprintf("%s/%d/cafe0002", host, os.Getpid()), true}, // an earlier incarnation of this container
		{fmt.Sprintf("%s/%d/cafe0003", host, os.Getppid()), false},
		{fmt.Sprintf("%s-elsewhere/%d/cafe0004", host, dead), false},
		{"worker-a", false},
		{host + "/x/cafe0005", false},
	}
	for _, c := range cases {
		if got := l.OwnerGone(c.owner); got != c.gone {
			t.Errorf("OwnerGone(%q) = %v, want %v", c.owner, got, c.gone)
		}
	}
}
