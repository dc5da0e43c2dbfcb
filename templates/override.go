package templates

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"text/template"
	"text/template/parse"
	"time"

	"go.yaml.in/yaml/v3"

	"gevinstrapport/internal/suggest"
)

// languages are the languages a catalogue or mail file exists for.
var languages = []string{"nb", "nn", "en"}

// overrideDir is where Open puts a templates.dir's mail files in the file
// system it returns; MailFiles names them after the embedded ones.
const overrideDir = "override"

// Open returns the wording a run uses: FS itself when dir is "", otherwise
// FS with the overrides of the folder dir applied. The folder mirrors
// templates/: catalog/<lang>.yaml holds catalogue keys (a flat map, like the
// embedded files) whose texts replace the embedded ones; mail/<lang>.tmpl
// holds {{define "name"}} blocks that replace the embedded templates of that
// name. An unknown file or key, a placeholder set other than the
// original's, or a file that does not parse is an error naming the file,
// its line and the key; all problems are reported together, one a line.
func Open(dir string) (fs.FS, error) {
	if dir == "" {
		return FS, nil
	}
	files, err := overrideFiles(dir)
	if err != nil {
		return nil, err
	}
	merged := map[string][]byte{}
	var problems []error
	for _, rel := range files {
		full := filepath.Join(dir, filepath.FromSlash(rel))
		data, err := os.ReadFile(full)
		if err != nil {
			problems = append(problems, fmt.Errorf("%s: %w", full, err))
			continue
		}
		var errs []error
		switch path.Dir(rel) {
		case "catalog":
			var out []byte
			out, errs = overrideCatalog(full, rel, data)
			merged[rel] = out
		case "mail":
			errs = checkMail(full, rel, data)
			merged[path.Join(overrideDir, rel)] = data
		}
		problems = append(problems, errs...)
	}
	if len(problems) > 0 {
		return nil, errors.Join(problems...)
	}
	return overlay{top: merged, base: FS}, nil
}

// MailFiles are the files to parse, in order, for the mail templates of
// lang from fsys (FS or Open's): the embedded file, then an override's
// blocks, which replace the embedded ones of the same name.
func MailFiles(fsys fs.FS, lang string) []string {
	files := []string{"mail/" + lang + ".tmpl"}
	if o := path.Join(overrideDir, "mail", lang+".tmpl"); fileExists(fsys, o) {
		files = append(files, o)
	}
	return files
}

func fileExists(fsys fs.FS, name string) bool {
	_, err := fs.Stat(fsys, name)
	return err == nil
}

// overlay serves top's files (in memory) before base's.
type overlay struct {
	top  map[string][]byte
	base fs.FS
}

func (o overlay) Open(name string) (fs.File, error) {
	if data, ok := o.top[name]; ok {
		return &memFile{Reader: bytes.NewReader(data), name: path.Base(name), size: int64(len(data))}, nil
	}
	return o.base.Open(name)
}

// memFile is one of overlay's files in memory.
type memFile struct {
	*bytes.Reader
	name string
	size int64
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f, nil }
func (f *memFile) Close() error               { return nil }
func (f *memFile) Name() string               { return f.name }
func (f *memFile) Size() int64                { return f.size }
func (f *memFile) Mode() fs.FileMode          { return 0o444 }
func (f *memFile) ModTime() time.Time         { return time.Time{} }
func (f *memFile) IsDir() bool                { return false }
func (f *memFile) Sys() any                   { return nil }

// overrideFiles lists the files below dir as slash paths, refusing any
// that overrides nothing.
func overrideFiles(dir string) ([]string, error) {
	var known []string
	for _, l := range languages {
		known = append(known, "catalog/"+l+".yaml", "mail/"+l+".tmpl")
	}
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("cannot read the folder: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("%s is not a folder", dir)
	}
	var files []string
	var problems []error
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if !slices.Contains(known, rel) {
			problems = append(problems, fmt.Errorf("%s: unknown file: only catalog/{nb,nn,en}.yaml and mail/{nb,nn,en}.tmpl override anything%s", p, suggest.Hint(suggest.Closest(rel, known...))))
			return nil
		}
		files = append(files, rel)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	return files, errors.Join(problems...)
}

// placeholderRe is a catalogue text's {name}, as internal/report fills it in.
var placeholderRe = regexp.MustCompile(`\{([a-z_][a-z0-9_]*)\}`)

func placeholders(s string) []string {
	var names []string
	for _, m := range placeholderRe.FindAllStringSubmatch(s, -1) {
		names = append(names, m[1])
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// overrideCatalog checks the override file full (rel inside the folder)
// against the embedded catalogue and returns that catalogue with the
// override's texts in place.
func overrideCatalog(full, rel string, data []byte) ([]byte, []error) {
	base := map[string]string{}
	orig, err := fs.ReadFile(FS, rel)
	if err == nil {
		err = yaml.Unmarshal(orig, &base)
	}
	if err != nil {
		return nil, []error{fmt.Errorf("%s: the embedded catalogue: %w", full, err)}
	}
	keys := make([]string, 0, len(base))
	for k := range base {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, []error{fmt.Errorf("%s: %s", full, strings.TrimPrefix(err.Error(), "yaml: "))}
	}
	if len(doc.Content) == 0 {
		return orig, nil // an empty file overrides nothing
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		return nil, []error{fmt.Errorf("%s:%d: a catalogue is a flat map of key: text", full, m.Line)}
	}
	var problems []error
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		at := fmt.Sprintf("%s:%d: %s", full, k.Line, k.Value)
		was, ok := base[k.Value]
		switch {
		case !ok:
			problems = append(problems, fmt.Errorf("%s: unknown key%s", at, suggest.Hint(suggest.Closest(k.Value, keys...))))
		case v.Kind != yaml.ScalarNode || strings.TrimSpace(v.Value) == "":
			problems = append(problems, fmt.Errorf("%s: the text must be a non-empty string", at))
		default:
			if err := samePlaceholders(placeholders(was), placeholders(v.Value), "{%s}"); err != nil {
				problems = append(problems, fmt.Errorf("%s: %w", at, err))
			}
			base[k.Value] = v.Value
		}
	}
	if len(problems) > 0 {
		return nil, problems
	}
	out, err := yaml.Marshal(base)
	if err != nil {
		return nil, []error{fmt.Errorf("%s: %w", full, err)}
	}
	return out, nil
}

// samePlaceholders says which placeholders an override lacks or adds.
func samePlaceholders(want, got []string, format string) error {
	var missing, extra []string
	for _, w := range want {
		if !slices.Contains(got, w) {
			missing = append(missing, fmt.Sprintf(format, w))
		}
	}
	for _, g := range got {
		if !slices.Contains(want, g) {
			extra = append(extra, fmt.Sprintf(format, g))
		}
	}
	var parts []string
	if len(missing) > 0 {
		parts = append(parts, "lacks "+strings.Join(missing, ", "))
	}
	if len(extra) > 0 {
		parts = append(parts, "has "+strings.Join(extra, ", ")+", which the original does not fill in")
	}
	if len(parts) == 0 {
		return nil
	}
	return fmt.Errorf("the placeholders must be those of the original (%s): the override %s",
		strings.Join(formatAll(want, format), ", "), strings.Join(parts, " and "))
}

func formatAll(names []string, format string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = fmt.Sprintf(format, n)
	}
	return out
}

// checkMail checks an override of mail templates: it parses, every block
// it defines exists in the embedded file, and uses the same data fields.
func checkMail(full, rel string, data []byte) []error {
	orig, err := mailBlocks(FS, rel)
	if err != nil {
		return []error{fmt.Errorf("%s: the embedded templates: %w", full, err)}
	}
	t, err := template.New(full).Parse(string(data))
	if err != nil {
		return []error{fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "template: "))}
	}
	if t.Tree != nil && !blank(t.Tree.Root) {
		return []error{fmt.Errorf("%s: only {{define \"name\"}} … {{end}} blocks may stand in an override, no text outside them", full)}
	}
	names := make([]string, 0, len(orig))
	for n := range orig {
		names = append(names, n)
	}
	slices.Sort(names)
	var problems []error
	for _, b := range t.Templates() {
		if b.Name() == full || b.Tree == nil {
			continue
		}
		line := lineOf(data, b.Name())
		was, ok := orig[b.Name()]
		if !ok {
			problems = append(problems, fmt.Errorf("%s:%d: %s: unknown template%s", full, line, b.Name(), suggest.Hint(suggest.Closest(b.Name(), names...))))
			continue
		}
		if err := samePlaceholders(was, fields(b.Tree.Root), ".%s"); err != nil {
			problems = append(problems, fmt.Errorf("%s:%d: %s: %w", full, line, b.Name(), err))
		}
	}
	return problems
}

// mailBlocks parses a mail file of fsys and returns the fields each block uses.
func mailBlocks(fsys fs.FS, rel string) (map[string][]string, error) {
	t, err := template.ParseFS(fsys, rel)
	if err != nil {
		return nil, err
	}
	blocks := map[string][]string{}
	for _, b := range t.Templates() {
		if b.Tree != nil && b.Name() != path.Base(rel) {
			blocks[b.Name()] = fields(b.Tree.Root)
		}
	}
	return blocks, nil
}

// lineOf is the line of {{define "name"}} in data (1 when not found).
func lineOf(data []byte, name string) int {
	i := bytes.Index(data, []byte(`"`+name+`"`))
	if i < 0 {
		return 1
	}
	return bytes.Count(data[:i], []byte("\n")) + 1
}

// blank reports whether a template's top level holds only white space and comments.
func blank(n *parse.ListNode) bool {
	for _, c := range n.Nodes {
		switch c := c.(type) {
		case *parse.TextNode:
			if len(bytes.TrimSpace(c.Text)) > 0 {
				return false
			}
		case *parse.CommentNode:
		default:
			return false
		}
	}
	return true
}

// fields are the data fields a template uses (.Name, also inside range
// and with), sorted, each once.
func fields(root parse.Node) []string {
	var out []string
	var walk func(n parse.Node)
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n != nil {
				for _, c := range n.Nodes {
					walk(c)
				}
			}
		case *parse.ActionNode:
			walk(n.Pipe)
		case *parse.PipeNode:
			if n != nil {
				for _, c := range n.Cmds {
					walk(c)
				}
			}
		case *parse.CommandNode:
			for _, a := range n.Args {
				walk(a)
			}
		case *parse.FieldNode:
			out = append(out, n.Ident...)
		case *parse.ChainNode:
			walk(n.Node)
			out = append(out, n.Field...)
		case *parse.VariableNode:
			out = append(out, n.Ident[1:]...)
		case *parse.IfNode:
			walkBranch(walk, &n.BranchNode)
		case *parse.RangeNode:
			walkBranch(walk, &n.BranchNode)
		case *parse.WithNode:
			walkBranch(walk, &n.BranchNode)
		case *parse.TemplateNode:
			walk(n.Pipe)
		}
	}
	walk(root)
	slices.Sort(out)
	return slices.Compact(out)
}

func walkBranch(walk func(parse.Node), b *parse.BranchNode) {
	walk(b.Pipe)
	walk(b.List)
	if b.ElseList != nil {
		walk(b.ElseList)
	}
}
