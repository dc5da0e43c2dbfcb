package templates

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"text/template"

	"go.yaml.in/yaml/v3"
)

// writeDir makes a templates.dir with the given files (slash paths).
func writeDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func catalog(t *testing.T, fsys fs.FS, lang string) map[string]string {
	t.Helper()
	data, err := fs.ReadFile(fsys, "catalog/"+lang+".yaml")
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	if err := yaml.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestOpenWithoutDirIsTheEmbeddedFS(t *testing.T) {
	fsys, err := Open("")
	if err != nil || fsys != FS {
		t.Fatalf("Open(\"\") = %v, %v; want FS", fsys, err)
	}
	if got := MailFiles(fsys, "nb"); len(got) != 1 || got[0] != "mail/nb.tmpl" {
		t.Fatalf("MailFiles = %v", got)
	}
}

func TestOpenOverrides(t *testing.T) {
	dir := writeDir(t, map[string]string{
		"catalog/nb.yaml": "# Helse Nord's wording\ndoc.page: \"Side {page} / {total}\"\nlabel.recipient: \"Til\"\n",
		"catalog/en.yaml": "",
		"mail/nn.tmpl":    "{{/* Helse Nord */}}\n{{define \"report_subject\"}}Rapport {{.PeriodText}} {{.ReportKind}} {{.OwnerName}} {{.SteeringTitle}}{{end}}\n",
	})
	fsys, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	nb, orig := catalog(t, fsys, "nb"), catalog(t, FS, "nb")
	if nb["doc.page"] != "Side {page} / {total}" || nb["label.recipient"] != "Til" {
		t.Fatalf("overridden keys: doc.page %q, label.recipient %q", nb["doc.page"], nb["label.recipient"])
	}
	if len(nb) != len(orig) || nb["title.owner"] != orig["title.owner"] {
		t.Fatalf("the other keys must stay: %d keys (want %d), title.owner %q", len(nb), len(orig), nb["title.owner"])
	}
	if en := catalog(t, fsys, "en"); en["doc.page"] != catalog(t, FS, "en")["doc.page"] {
		t.Fatal("an empty override file changed the catalogue")
	}

	files := MailFiles(fsys, "nn")
	if len(files) != 2 {
		t.Fatalf("MailFiles(nn) = %v, want the embedded file and the override", files)
	}
	tm, err := template.New("nn").ParseFS(fsys, files...)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	data := map[string]string{"PeriodText": "september 2025", "ReportKind": "owner", "OwnerName": "Kari", "SteeringTitle": ""}
	if err := tm.ExecuteTemplate(&b, "report_subject", data); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != "Rapport september 2025 owner Kari " {
		t.Fatalf("report_subject = %q, want the override's", got)
	}
	if tm.Lookup("summary_body") == nil {
		t.Fatal("the blocks the override leaves alone must stay")
	}
	if got := MailFiles(fsys, "nb"); len(got) != 1 {
		t.Fatalf("MailFiles(nb) = %v: nb has no override", got)
	}
}

func TestOpenRejects(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string // each must appear in the error
	}{
		{
			name:  "unknown key",
			files: map[string]string{"catalog/nb.yaml": "doc.page: \"Side {page} av {total}\"\ndoc.pgae: \"x\"\n"},
			want:  []string{"catalog/nb.yaml:2: doc.pgae: unknown key", `did you mean "doc.page"?`},
		},
		{
			name:  "placeholder missing",
			files: map[string]string{"catalog/nn.yaml": "doc.page: \"Side {page}\"\n"},
			want:  []string{"catalog/nn.yaml:1: doc.page: the placeholders must be those of the original ({page}, {total})", "lacks {total}"},
		},
		{
			name:  "placeholder added",
			files: map[string]string{"catalog/en.yaml": "doc.page: \"Page {page} of {total} ({date})\"\n"},
			want:  []string{"catalog/en.yaml:1: doc.page:", "has {date}, which the original does not fill in"},
		},
		{
			name:  "not a map",
			files: map[string]string{"catalog/nb.yaml": "- doc.page\n"},
			want:  []string{"catalog/nb.yaml:1: a catalogue is a flat map"},
		},
		{
			name:  "empty text",
			files: map[string]string{"catalog/nb.yaml": "lang.name: \"\"\n"},
			want:  []string{"lang.name: the text must be a non-empty string"},
		},
		{
			name:  "unknown file",
			files: map[string]string{"catalog/nb.yml": "doc.page: x\n", "mail/se.tmpl": ""},
			want:  []string{"catalog/nb.yml: unknown file", `did you mean "catalog/nb.yaml"?`, "mail/se.tmpl: unknown file"},
		},
		{
			name:  "unknown mail template",
			files: map[string]string{"mail/nb.tmpl": "\n\n{{define \"report_subjekt\"}}{{.PeriodText}}{{end}}\n"},
			want:  []string{"mail/nb.tmpl:3: report_subjekt: unknown template", `did you mean "report_subject"?`},
		},
		{
			name:  "mail fields differ",
			files: map[string]string{"mail/en.tmpl": "{{define \"summary_subject\"}}{{.Job}} {{.PeriodText}}: {{.Sent}} sent, {{.Failed}} failed, {{.Skiped}} skipped{{end}}\n"},
			want:  []string{"mail/en.tmpl:1: summary_subject:", "lacks .Skipped", "has .Skiped"},
		},
		{
			name:  "text outside define",
			files: map[string]string{"mail/nb.tmpl": "Hei {{.RecipientName}}\n"},
			want:  []string{"no text outside them"},
		},
		{
			name:  "mail does not parse",
			files: map[string]string{"mail/nb.tmpl": "{{define \"report_subject\"}}{{.PeriodText}\n"},
			want:  []string{"mail/nb.tmpl:1:"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Open(writeDir(t, tc.files))
			if err == nil {
				t.Fatal("Open accepted the folder")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\nlacks %q", err, w)
				}
			}
		})
	}
	if _, err := Open(filepath.Join(t.TempDir(), "missing")); err == nil || !strings.Contains(err.Error(), "cannot read the folder") {
		t.Fatalf("a missing folder: %v", err)
	}
}
