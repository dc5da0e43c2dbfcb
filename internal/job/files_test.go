//go:build unix

package job

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"gevinstrapport/internal/config"
	"gevinstrapport/internal/output"
	"gevinstrapport/internal/register"
)

// Environment of the child process that TestRerunKilledLeavesOneSet starts.
const (
	filesHelperEnv   = "GEVINST_FILES_HELPER"
	filesRegisterEnv = "GEVINST_FILES_REGISTER"
	filesOutEnv      = "GEVINST_FILES_OUT"
	filesStepEnv     = "GEVINST_FILES_STEP"
	filesNthEnv      = "GEVINST_FILES_NTH"
	filesShardEnv    = "GEVINST_FILES_SHARD"
	filesRoundsEnv   = "GEVINST_FILES_ROUNDS"
	filesWaitEnv     = "GEVINST_FILES_WAIT"
)

// filesConfig is the configuration of the file tests: the register at
// regPath, reports under out.
func filesConfig(regPath, out, extra string) (*config.Config, error) {
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	yaml := "database:\n  driver: sqlite\n  dsn: " + q(regPath) + "\noutput:\n  dir: " + q(out) + "\n" + extra
	return config.Parse("files.yaml", []byte(yaml), func(string) (string, bool) { return "", false })
}

// filesWorker is a non-sending Worker on the register at regPath whose clock
// stands at day of October 2025.
func filesWorker(t testing.TB, regPath, out, extra string, day int) (*Worker, error) {
	cfg, err := filesConfig(regPath, out, extra)
	if err != nil {
		return nil, err
	}
	now := time.Date(2025, 10, day, 6, 0, 0, 0, time.UTC)
	return NewWorker(context.Background(), cfg, Options{Now: func() time.Time { return now }})
}

// rerunRequest is the owner report of 2025-09 with .eml previews.
func rerunRequest() Request {
	return Request{Report: Owner, Period: Period{Month: register.MonthOf(2025, time.September)}, EML: true, Job: testJob}
}

// TestFilesHelperProcess is not a test: run by TestRerunKilledLeavesOneSet
// as a separate OS process, it reruns the owner report and, when it reaches
// the nth passage of the named step of the output set, says so on stdout
// and waits there to be killed.
func TestFilesHelperProcess(t *testing.T) {
	if os.Getenv(filesHelperEnv) != "1" {
		return
	}
	w, err := filesWorker(t, os.Getenv(filesRegisterEnv), os.Getenv(filesOutEnv), "", 4)
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		os.Exit(1)
	}
	step, nth := os.Getenv(filesStepEnv), 0
	want, _ := strconv.Atoi(os.Getenv(filesNthEnv))
	wait, stdin := os.Getenv(filesWaitEnv), bufio.NewReader(os.Stdin)
	w.outputStep = func(s string) {
		if s == wait {
			fmt.Println("at", s)
			stdin.ReadString('\n')
		}
		if s != step {
			return
		}
		if nth++; nth == want {
			fmt.Println("at", s)
			select {}
		}
	}
	req := rerunRequest()
	if req.Shard, err = ParseShard(os.Getenv(filesShardEnv)); err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		os.Exit(1)
	}
	rounds, _ := strconv.Atoi(os.Getenv(filesRoundsEnv))
	for range max(rounds, 1) {
		if _, err := w.Run(context.Background(), req); err != nil {
			fmt.Fprintln(os.Stderr, "helper:", err)
			os.Exit(1)
		}
	}
	fmt.Println("done")
	os.Exit(0)
}

// TestShardsInTwoProcesses runs shard 0/2 and shard 1/2 as two OS processes
// on the same folder, three times; each time both are held just before
// they commit and let go together, so their commits meet. Neither wipes the
// other's files, and each shard's manifest matches its files.
func TestShardsInTwoProcesses(t *testing.T) {
	regPath := writeRegister(t, testRegister())
	out := t.TempDir()
	const rounds = 3
	type child struct {
		cmd   *exec.Cmd
		stdin io.WriteCloser
		lines *bufio.Reader
	}
	var children []child
	for i := range 2 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestFilesHelperProcess$")
		cmd.Env = append(os.Environ(), filesHelperEnv+"=1", filesRegisterEnv+"="+regPath, filesOutEnv+"="+out,
			filesShardEnv+"="+fmt.Sprintf("%d/2", i), filesRoundsEnv+"="+strconv.Itoa(rounds), filesWaitEnv+"=staged")
		cmd.Stderr = os.Stderr
		stdin, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		defer cmd.Process.Kill()
		children = append(children, child{cmd, stdin, bufio.NewReader(stdout)})
	}
	for round := range rounds {
		for i, c := range children {
			if line, err := c.lines.ReadString('\n'); strings.TrimSpace(line) != "at staged" {
				t.Fatalf("round %d: shard %d said %q (%v)", round, i, line, err)
			}
		}
		for _, c := range children {
			fmt.Fprintln(c.stdin, "go")
		}
	}
	for _, c := range children {
		if err := c.cmd.Wait(); err != nil {
			t.Fatalf("shard process: %v", err)
		}
	}
	dir := output.Dir(out, "2025-09", Owner)
	listed := 0
	for i := range 2 {
		m := readFilesManifestAs(t, dir, fmt.Sprintf("manifest-shard-%d-of-2.json", i))
		for _, r := range m.Reports {
			listed++
			data, err := os.ReadFile(filepath.Join(dir, r.File))
			if err != nil || output.SHA256(data) != r.SHA256 {
				t.Errorf("shard %d: %s does not match its manifest (%v)", i, r.File, err)
			}
		}
	}
	if listed != len(testPeople()) {
		t.Errorf("the shards' manifests list %d reports, want %d", listed, len(testPeople()))
	}
	checkOnlyLockFiles(t, filepath.Dir(dir))
}

// TestRerunKilledLeavesOneSet writes the owner reports of a period, then
// reruns the period in a child process that is SIGKILLed at one step of
// writing the new set: while it writes the new files, before it takes the
// lock, holding it, after the new manifest, between the two renames of the
// swap, and after it. Every PDF under the folder's name then matches the
// manifest beside it (the old set, or the new), and the next run removes
// what the crash left and writes a consistent set.
func TestRerunKilledLeavesOneSet(t *testing.T) {
	regPath := writeRegister(t, testRegister())
	points := []struct {
		step    string
		nth     int
		wantOld bool // the folder still holds the old set after the kill
		aside   bool // the kill leaves the old set moved aside, the folder missing
	}{
		{"add", 3, true, false},
		{"staged", 1, true, false},
		{"locked", 1, true, false},
		{"manifest", 1, true, false},
		{"moved-out", 1, false, true},
		{"moved-in", 1, false, false},
	}
	for _, p := range points {
		t.Run(fmt.Sprintf("%s %d", p.step, p.nth), func(t *testing.T) {
			out := t.TempDir()
			dir := output.Dir(out, "2025-09", Owner)
			first := runFiles(t, regPath, out, 3, rerunRequest())
			old := checkOneSet(t, dir)
			killRerun(t, regPath, out, p.step, p.nth)

			switch _, err := os.Stat(dir); {
			case p.aside:
				if !os.IsNotExist(err) {
					t.Fatalf("killed between the renames, the folder is still there (%v)", err)
				}
			default:
				got := checkOneSet(t, dir)
				if isOld := got.Equal(old); isOld != p.wantOld {
					t.Errorf("after the kill the folder holds the set of %s; want the old set (%s): %v", got, old, p.wantOld)
				}
			}

			// The next run, for one recipient only, must start from the old
			// or the new set, remove the leftovers, and keep the rest.
			only := rerunRequest()
			only.Only = "P-2"
			runFiles(t, regPath, out, 5, only)
			checkOneSet(t, dir)
			checkOnlyLockFiles(t, filepath.Dir(dir))
			if m := readFilesManifest(t, dir); len(m.Reports) != first.Produced {
				t.Errorf("after the next run the manifest lists %d reports, want %d", len(m.Reports), first.Produced)
			}
		})
	}
}

// runFiles runs req in-process with the clock on day of October 2025.
func runFiles(t *testing.T, regPath, out string, day int, req Request) Result {
	t.Helper()
	w, err := filesWorker(t, regPath, out, "", day)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	res, err := w.Run(context.Background(), req)
	if err != nil || res.Failed() || res.Produced == 0 {
		t.Fatalf("run: %v (%s)", err, res.Summary())
	}
	return res
}

// killRerun starts the rerun in a child process and SIGKILLs it when it
// reports that it has reached the step.
func killRerun(t *testing.T, regPath, out, step string, nth int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestFilesHelperProcess$")
	cmd.Env = append(os.Environ(), filesHelperEnv+"=1", filesRegisterEnv+"="+regPath, filesOutEnv+"="+out,
		filesStepEnv+"="+step, filesNthEnv+"="+strconv.Itoa(nth))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if strings.TrimSpace(line) != "at "+step {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("child did not stop at %s: %q %v\n%s", step, line, err, stderr.String())
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("child was not killed: %v", err)
	}
}

func readFilesManifest(t *testing.T, dir string) output.Manifest {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m output.Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// checkOneSet fails unless the folder is one set: every PDF in it is in the
// manifest with its sha256, every PDF in the manifest is there, and every
// .eml carries the PDF beside it. It returns the manifest's generated_at.
func checkOneSet(t *testing.T, dir string) time.Time {
	t.Helper()
	m := readFilesManifest(t, dir)
	listed := map[string]string{}
	for _, r := range m.Reports {
		listed[r.File] = r.SHA256
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var pdfs []string
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		switch filepath.Ext(e.Name()) {
		case ".pdf":
			pdfs = append(pdfs, e.Name())
			if want, ok := listed[e.Name()]; !ok || output.SHA256(data) != want {
				t.Errorf("%s: sha256 %s, the manifest says %q", e.Name(), output.SHA256(data), want)
			}
		case ".eml":
			pdf := strings.TrimSuffix(e.Name(), ".eml") + ".pdf"
			for _, att := range parseMail(t, data).attachments {
				if output.SHA256(att) != listed[pdf] {
					t.Errorf("%s carries a PDF that is not the %s of the manifest", e.Name(), pdf)
				}
			}
		}
	}
	if len(pdfs) != len(listed) {
		t.Errorf("the folder holds %d PDFs, the manifest lists %d", len(pdfs), len(listed))
	}
	return m.GeneratedAt
}

// checkOnlyLockFiles fails when the period folder holds anything but report
// folders, their lock files and the period's archive index page.
func checkOnlyLockFiles(t *testing.T, period string) {
	t.Helper()
	entries, err := os.ReadDir(period)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") || !e.IsDir() && (strings.HasSuffix(e.Name(), ".lock") || e.Name() == "index.html") {
			continue
		}
		t.Errorf("left behind in %s: %s", period, e.Name())
	}
}

// TestOnlyAndShardsKeepOtherFiles: --only replaces one recipient's files
// and keeps the others' files and manifest entries; two shards write their
// own manifests into one folder and neither wipes the other's files.
func TestOnlyAndShardsKeepOtherFiles(t *testing.T) {
	regPath := writeRegister(t, testRegister())
	out := t.TempDir()
	dir := output.Dir(out, "2025-09", Owner)
	runFiles(t, regPath, out, 3, rerunRequest())
	before := readFilesManifest(t, dir)

	only := rerunRequest()
	only.Only = "P-2"
	runFiles(t, regPath, out, 4, only)
	after := readFilesManifest(t, dir)
	checkOneSet(t, dir)
	if len(after.Reports) != len(before.Reports) {
		t.Fatalf("--only left %d entries, want %d", len(after.Reports), len(before.Reports))
	}
	for i, r := range after.Reports {
		changed := r.SHA256 != before.Reports[i].SHA256
		if changed != (r.Recipient.ID == "P-2") {
			t.Errorf("--only P-2: %s changed = %v", r.Recipient.ID, changed)
		}
	}

	var files []string
	for i := range 2 {
		req := rerunRequest()
		req.Shard = Shard{I: i, N: 2}
		res := runFiles(t, regPath, out, 5, req)
		name := fmt.Sprintf("manifest-shard-%d-of-2.json", i)
		m := readFilesManifestAs(t, dir, name)
		if len(m.Reports) != res.Produced {
			t.Errorf("%s lists %d reports, the shard produced %d", name, len(m.Reports), res.Produced)
		}
		for _, r := range m.Reports {
			files = append(files, r.File)
		}
	}
	for i := range 2 {
		m := readFilesManifestAs(t, dir, fmt.Sprintf("manifest-shard-%d-of-2.json", i))
		for _, r := range m.Reports {
			data, err := os.ReadFile(filepath.Join(dir, r.File))
			if err != nil || output.SHA256(data) != r.SHA256 {
				t.Errorf("shard %d: %s does not match its manifest (%v)", i, r.File, err)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "manifest.json")); !os.IsNotExist(err) {
		t.Errorf("the unsharded run's manifest.json, which no longer matches the shards' PDFs, is still there (%v)", err)
	}
	slices.Sort(files)
	if len(files) != len(before.Reports) {
		t.Errorf("the two shards wrote %v, want one file per recipient (%d)", files, len(before.Reports))
	}
}

func readFilesManifestAs(t *testing.T, dir, name string) output.Manifest {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	var m output.Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestRunFileModes runs the owner report with .eml previews under umask 022
// and 077, with the default mode and with output.mode, and checks the modes
// of the PDFs, the manifest, the .eml files and the folders.
func TestRunFileModes(t *testing.T) {
	regPath := writeRegister(t, testRegister())
	tests := []struct {
		umask             int
		mode              string // output.mode as written in YAML; "" leaves the default
		wantFile, wantDir os.FileMode
	}{
		{0o022, "", 0o640, 0o750},
		{0o077, "", 0o600, 0o700},
		{0o022, "0600", 0o600, 0o700},
		{0o022, `"0644"`, 0o644, 0o755},
		{0o077, "0o644", 0o600, 0o700},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("umask %03o mode %s", tt.umask, tt.mode), func(t *testing.T) {
			old := syscall.Umask(tt.umask)
			defer syscall.Umask(old)
			out := filepath.Join(t.TempDir(), "out")
			extra := ""
			if tt.mode != "" {
				extra = "  mode: " + tt.mode + "\n"
			}
			w, err := filesWorker(t, regPath, out, extra, 3)
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			if _, err := w.Run(context.Background(), rerunRequest()); err != nil {
				t.Fatal(err)
			}
			dir := output.Dir(out, "2025-09", Owner)
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			kinds := map[string]bool{}
			for _, e := range entries {
				kinds[filepath.Ext(e.Name())] = true
				checkFileMode(t, filepath.Join(dir, e.Name()), tt.wantFile)
			}
			if !kinds[".pdf"] || !kinds[".eml"] || !kinds[".json"] {
				t.Errorf("the folder lacks a PDF, an .eml or the manifest: %v", kinds)
			}
			for _, d := range []string{out, filepath.Dir(dir), dir} {
				checkFileMode(t, d, tt.wantDir)
			}
		})
	}
}

func checkFileMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Mode().Perm(); got != want {
		t.Errorf("%s is %04o, want %04o", path, got, want)
	}
}
