package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"gevinstrapport/internal/output"
)

// manifestHelp is what `help manifest` says besides the (absent) flags.
var manifestHelp = commandHelp{name: "manifest", args: "merge OUT/<period>/<report>",
	summary: "join the shard manifests (manifest-shard-i-of-n.json) of a report folder into its manifest.json",
	detail: "Every shard 0..n-1 must be there, no recipient in two shards, all of the folder's\n" +
		"report and period; otherwise nothing is written and the exit status is 1.\n" +
		"Exit 2 when the folder holds no shard manifests.",
	examples: []string{
		"gevinstrapport manifest merge /var/lib/gevinstrapport/out/2025-09/owner",
		"gevinstrapport manifest merge ./out/2025-08/owner",
	}}

// cmdManifest is `gevinstrapport manifest merge OUT/<period>/<report>`.
func cmdManifest(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("manifest") // no flags; its name picks the help
	if slices.ContainsFunc(args, func(a string) bool { return a == "-h" || a == "-help" || a == "--help" }) {
		return helpRequest{fs}
	}
	if len(args) == 0 || args[0] != "merge" {
		return usagef("manifest: the only subcommand is merge: gevinstrapport manifest merge OUT/<period>/<report>")
	}
	if len(args) != 2 {
		return usagef("manifest merge needs one report folder, OUT/<period>/<report>")
	}
	dir := args[1]
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return usagef("manifest merge: %s is not a report folder", dir)
	}
	m, err := output.MergeShards(ctx, dir)
	if errors.Is(err, output.ErrNoShards) {
		return usageError{err}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s %s: merged the shard manifests into %s: %d report(s), %d not made\n",
		m.Report, m.Period, filepath.Join(dir, "manifest.json"), len(m.Reports), len(m.Failures))
	return nil
}
