package main

import (
	"os"
	"testing"
)

// asMainEnv, when set to 1, makes the test binary act as the gevinstrapport
// command, so tests can run it as a real child process and signal or kill it.
const asMainEnv = "GEVINSTRAPPORT_TEST_AS_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(asMainEnv) == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}
