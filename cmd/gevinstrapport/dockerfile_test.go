package main

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestDockerfile reads the Dockerfile (no Docker engine runs here): its
// HEALTHCHECK runs this program's healthcheck in exec form with flags the
// command knows and the config CMD starts the daemon with, the -X flags set
// the variables `version` prints, and the image carries the OCI labels.
func TestDockerfile(t *testing.T) {
	data, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	df := strings.ReplaceAll(string(data), "\\\n", " ")
	execForm := func(instr string) []string {
		t.Helper()
		m := regexp.MustCompile(`(?m)^` + instr + `\s+(?:--\S+\s+)*(?:CMD\s+)?(\[.*\])\s*$`).FindStringSubmatch(df)
		if m == nil {
			t.Fatalf("no %s in exec form in the Dockerfile", instr)
		}
		var args []string
		if err := json.Unmarshal([]byte(m[1]), &args); err != nil {
			t.Fatalf("%s %s: %v", instr, m[1], err)
		}
		return args
	}
	entry, cmd, check := execForm("ENTRYPOINT"), execForm("CMD"), execForm("HEALTHCHECK")
	if len(check) < 2 || check[0] != entry[0] || check[1] != "healthcheck" {
		t.Fatalf("HEALTHCHECK runs %v; want %s healthcheck …", check, entry[0])
	}
	if r := runCmd(t, append(check[1:], "--help")...); r.code != exitOK {
		t.Errorf("the HEALTHCHECK's flags %v do not parse: %s", check[2:], r.stderr)
	}
	if config := flagValue(check, "--config"); config == "" || config != flagValue(cmd, "--config") {
		t.Errorf("HEALTHCHECK asks with --config %q, the daemon runs with %q", config, flagValue(cmd, "--config"))
	}
	for _, x := range []string{"-X main.version=${VERSION}", "-X main.commit=${REVISION}", "-X main.date=${CREATED}", "-buildvcs=false"} {
		if !strings.Contains(df, x) {
			t.Errorf("the go build in the Dockerfile lacks %s", x)
		}
	}
	for _, label := range []string{"title", "description", "source", "licenses", "version", "revision", "created"} {
		if !strings.Contains(df, "org.opencontainers.image."+label+"=") {
			t.Errorf("the image has no org.opencontainers.image.%s label", label)
		}
	}
	if !strings.Contains(df, `org.opencontainers.image.licenses="MIT"`) {
		t.Error(`the licence label is not "MIT"`)
	}
}

// flagValue is the value after name in args, or "".
func flagValue(args []string, name string) string {
	for i := 0; i+1 < len(args); i++ {
		if args[i] == name {
			return args[i+1]
		}
	}
	return ""
}
