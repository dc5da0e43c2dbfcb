package archive

import (
	"context"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// screenshotEnv names a file to which TestIndexInChromium copies its
// screenshot, for a person to look at.
const screenshotEnv = "GEVINST_ARCHIVE_SCREENSHOT"

// chromiumPath finds Debian's chromium. Without it the test is skipped on a
// developer's machine but fails in CI (CI=true), where .ci/run installs it.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("CI=true but chromium is not installed: .ci/run installs it (apt-get install -y chromium)")
	}
	t.Skip("chromium is not installed (apt-get install -y chromium); CI runs this test")
	return ""
}

// headless runs chromium headless on url with args and returns its stdout.
func headless(t *testing.T, bin, url string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	all := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-dev-shm-usage", "--user-data-dir=" + t.TempDir()}, args...)
	cmd := exec.CommandContext(ctx, bin, append(all, url)...)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	cmd.WaitDelay = 5 * time.Second
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium %s: %v\n%s", url, err, stderr.String())
	}
	return string(stdout)
}

var (
	hrefAttr = regexp.MustCompile(`href="([^"]*)"`)
	idAttr   = regexp.MustCompile(`id="([^"]*)"`)
)

// TestIndexInChromium opens the archive index in headless Chromium: the
// DOM it parses keeps every badge and row of the page, every link resolves
// (to a PDF, a page or an anchor that exists), and a screenshot shows the
// status colours.
func TestIndexInChromium(t *testing.T) {
	bin := chromiumPath(t)
	out := archiveTree(t)
	cs := catalogs(t)
	if _, err := WriteIndex(context.Background(), out, Options{Catalog: cs.For("nb"), Location: time.UTC, Now: clock}); err != nil {
		t.Fatal(err)
	}
	for _, page := range []string{"index.html", "2025-09/index.html", "2025-08/index.html"} {
		t.Run("dom "+page, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(out, filepath.FromSlash(page))
			dom := headless(t, bin, "file://"+path, "--dump-dom")
			source := readPage(t, path)
			checkDOM(t, page, path, dom, source)
		})
	}
	t.Run("screenshot", func(t *testing.T) {
		t.Parallel()
		shot := filepath.Join(t.TempDir(), "index.png")
		headless(t, bin, "file://"+filepath.Join(out, "index.html"), "--screenshot="+shot, "--window-size=1200,900", "--hide-scrollbars")
		checkScreenshot(t, shot)
		if keep := os.Getenv(screenshotEnv); keep != "" {
			data, err := os.ReadFile(shot)
			if err == nil {
				err = os.WriteFile(keep, data, 0o644)
			}
			if err != nil {
				t.Error(err)
			}
		}
	})
}

// checkDOM compares the DOM Chromium built from the page at path with its
// source and resolves every link.
func checkDOM(t *testing.T, name, path, dom, source string) {
	t.Helper()
	if !strings.Contains(dom, "<h1>Rapportarkiv") {
		t.Fatalf("%s: the DOM has no heading:\n%.400s", name, dom)
	}
	for _, what := range []string{`class="badge `, "<tr", "<a ", "<section"} {
		if d, s := strings.Count(dom, what), strings.Count(source, what); d != s || s == 0 {
			t.Errorf("%s: %d %q in the DOM, %d in the page", name, d, what, s)
		}
	}
	ids := map[string]bool{}
	for _, m := range idAttr.FindAllStringSubmatch(dom, -1) {
		ids[m[1]] = true
	}
	pdfs := 0
	for _, m := range hrefAttr.FindAllStringSubmatch(dom, -1) {
		href := m[1]
		if strings.HasPrefix(href, "#") {
			if !ids[href[1:]] {
				t.Errorf("%s: link %s has no target", name, href)
			}
			continue
		}
		target := filepath.Join(filepath.Dir(path), filepath.FromSlash(href))
		if info, err := os.Stat(target); err != nil || !info.Mode().IsRegular() {
			t.Errorf("%s: link %s does not resolve to a file: %v", name, href, err)
		}
		if strings.HasSuffix(href, ".pdf") {
			pdfs++
		}
	}
	want := map[string]int{"index.html": 7, "2025-09/index.html": 3, "2025-08/index.html": 3}[name]
	if pdfs != want {
		t.Errorf("%s: %d links to PDFs, want %d", name, pdfs, want)
	}
}

// checkScreenshot wants a 1200×900 picture showing the red, yellow and
// green badges in their colours.
func checkScreenshot(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 1200 || b.Dy() != 900 {
		t.Errorf("screenshot is %v, want 1200×900", b)
	}
	want := map[color.RGBA]string{{0xb0, 0x00, 0x20, 0xff}: "red", {0xf5, 0xc5, 0x18, 0xff}: "yellow", {0x1e, 0x7b, 0x34, 0xff}: "green"}
	found := map[string]int{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			if name, ok := want[color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8), uint8(a >> 8)}]; ok {
				found[name]++
			}
		}
	}
	for _, name := range want {
		if found[name] < 100 {
			t.Errorf("the screenshot shows %d pixels of the %s badge colour, want a badge's worth", found[name], name)
		}
	}
}

// TestChromiumRequiredInCI runs TestIndexInChromium in a child process
// whose PATH has no chromium: with CI=true it must fail, without CI skip.
func TestChromiumRequiredInCI(t *testing.T) {
	for _, tt := range []struct {
		ci   string
		fail bool
		want string
	}{
		{"true", true, "CI=true but chromium is not installed"},
		{"", false, "chromium is not installed (apt-get install -y chromium)"},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestIndexInChromium$", "-test.v")
		cmd.Env = []string{"PATH=" + t.TempDir(), "CI=" + tt.ci, "HOME=" + t.TempDir()}
		out, err := cmd.CombinedOutput()
		if failed := err != nil; failed != tt.fail || !strings.Contains(string(out), tt.want) {
			t.Errorf("CI=%q without chromium: error %v, want failed=%v with %q:\n%s", tt.ci, err, tt.fail, tt.want, out)
		}
	}
}
