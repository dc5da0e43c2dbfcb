package main

import (
	"fmt"
	"io"
	"runtime/debug"
	"strings"
)

// Set by release builds that have no VCS information to stamp (the
// Dockerfile builds with -buildvcs=false from a context without .git):
// -ldflags "-X main.commit=… -X main.date=…", beside -X main.version.
var commit, date string

// build is what the program knows about how it was built.
type build struct {
	version  string // the release version, or the module version Go stamped
	commit   string // the VCS revision
	built    string // when the release was built (-X main.date), RFC 3339
	commitAt string // the commit's time (vcs.time), RFC 3339
	modified bool   // built from a work tree with uncommitted changes
}

// readBuild is this binary's build: the -X values where given, else what
// the Go toolchain stamped (debug.ReadBuildInfo: the module version,
// vcs.revision, vcs.time, vcs.modified).
func readBuild() build {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		info = nil
	}
	return buildOf(info, build{version: version, commit: commit, built: date})
}

// buildOf fills in what ld (the -X values) leaves empty from info.
func buildOf(info *debug.BuildInfo, ld build) build {
	b := ld
	if info != nil {
		vcs := map[string]string{}
		for _, s := range info.Settings {
			vcs[s.Key] = s.Value
		}
		if b.commit == "" && vcs["vcs.revision"] != "" {
			b.commit, b.modified = vcs["vcs.revision"], vcs["vcs.modified"] == "true"
			b.commitAt = vcs["vcs.time"]
		}
		if v := info.Main.Version; b.version == "" && v != "" && v != "(devel)" {
			b.version = strings.TrimPrefix(v, "v")
		}
	}
	if b.version == "" {
		b.version = "devel"
	}
	return b
}

// String is the line `version` prints.
func (b build) String() string {
	var parts []string
	if b.commit != "" {
		c := "commit " + b.commit
		if b.modified {
			c += " with uncommitted changes"
		}
		parts = append(parts, c)
	}
	if b.commitAt != "" {
		parts = append(parts, "committed "+b.commitAt)
	}
	if b.built != "" {
		parts = append(parts, "built "+b.built)
	}
	s := "gevinstrapport " + b.version
	if len(parts) > 0 {
		s += " (" + strings.Join(parts, ", ") + ")"
	}
	return s
}

// buildVersion is the version for metrics and logs.
func buildVersion() string { return readBuild().version }

func cmdVersion(args []string, stdout io.Writer) error {
	fs := newFlags("version")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	_, err := fmt.Fprintln(stdout, readBuild())
	return err
}
