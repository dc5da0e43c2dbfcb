package config

import (
	"bytes"
	"encoding/json"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewNRGBA(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestBrandingAndTemplatesConfig(t *testing.T) {
	dir := t.TempDir()
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	logo := writeFile(t, dir, "logo.png", pngOf(t, 300, 100))
	tiny := writeFile(t, dir, "tiny.png", pngOf(t, 4, 4))
	text := writeFile(t, dir, "logo.svg", []byte("<svg/>"))
	good := filepath.Join(dir, "good")
	writeFile(t, good, "catalog/nn.yaml", []byte("doc.page: \"Side {page} av {total}\"\n"))
	bad := filepath.Join(dir, "bad")
	writeFile(t, bad, "catalog/nb.yaml", []byte("doc.page: \"Side {page}\"\ndoc.pgae: x\n"))

	const base = "database:\n  driver: sqlite\n  dsn: r.db\n" // lines 1-3
	tests := []struct {
		name string
		yaml string
		want []string // each must be among the problems; none for a valid file
	}{
		{name: "all set", yaml: "branding:\n  logo: " + q(logo) + "\n  organisation: \" Helse Nord RHF \"\n  colour: \"#7A1F4E\"\ntemplates:\n  dir: " + q(good) + "\n"},
		{name: "none set", yaml: ""},
		{name: "colour too light", yaml: "\nbranding:\n  colour: \"#FFD700\"\n",
			want: []string{`b.yaml:6: branding.colour: #FFD700 has a contrast of 1.40:1 against white`, "at least 4.5:1 (WCAG 2.1 AA)"}},
		{name: "colour no hex", yaml: "branding:\n  colour: navy\n", want: []string{`b.yaml:5: branding.colour: "navy" is not a colour such as "#1F4E79"`}},
		{name: "logo missing", yaml: "branding:\n  logo: " + q(filepath.Join(dir, "nope.png")) + "\n", want: []string{"b.yaml:5: branding.logo: cannot read the logo", "no such file"}},
		{name: "logo tiny", yaml: "branding:\n  logo: " + q(tiny) + "\n", want: []string{"b.yaml:5: branding.logo: the logo " + tiny + ": is 4 × 4 pixels; a logo needs at least 16"}},
		{name: "logo svg", yaml: "branding:\n  logo: " + q(text) + "\n", want: []string{"b.yaml:5: branding.logo: the logo " + text + ": is neither PNG nor JPEG"}},
		{name: "typo in branding", yaml: "branding:\n  color: \"#7A1F4E\"\n", want: []string{`b.yaml:5: branding.color: unknown key; did you mean "colour"?`}},
		{name: "bad override", yaml: "templates:\n  dir: " + q(bad) + "\n", want: []string{
			"b.yaml:5: templates.dir: " + filepath.Join(bad, "catalog", "nb.yaml") + ":1: doc.page: the placeholders must be those of the original ({page}, {total}): the override lacks {total}",
			"b.yaml:5: templates.dir: " + filepath.Join(bad, "catalog", "nb.yaml") + `:2: doc.pgae: unknown key; did you mean "doc.page"?`,
		}},
		{name: "override folder missing", yaml: "templates:\n  dir: " + q(filepath.Join(dir, "nowhere")) + "\n", want: []string{"b.yaml:5: templates.dir: cannot read the folder"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse("b.yaml", []byte(base+tc.yaml), func(string) (string, bool) { return "", false })
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				b, err := cfg.Brand()
				if err != nil {
					t.Fatal(err)
				}
				if tc.name == "all set" && (b.Organisation != "Helse Nord RHF" || b.Accent == nil || b.Accent.String() != "#7A1F4E" || b.Logo == nil || b.Logo.Width != 300) {
					t.Fatalf("Brand() = %+v", b)
				}
				if tc.name == "none set" && (b.Organisation != "" || b.Accent != nil || b.Logo != nil) {
					t.Fatalf("no branding configured, Brand() = %+v", b)
				}
				return
			}
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("problems\n%v\nlack %q", err, w)
				}
			}
		})
	}
}
