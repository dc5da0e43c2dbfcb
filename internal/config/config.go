// Package config reads and validates gevinstrapport's YAML configuration
// (SPEC §7). Every error names the file, the line and the key.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"gevinstrapport/internal/schedule"
	"gevinstrapport/internal/suggest"
)

// Config is the whole configuration after defaults and validation.
type Config struct {
	Timezone    string   `yaml:"timezone"`
	Language    string   `yaml:"language"`
	Database    Database `yaml:"database"`
	Output      Output   `yaml:"output"`
	State       Database `yaml:"state"`
	SMTP        SMTP     `yaml:"smtp"`
	Coordinator Contact  `yaml:"coordinator"`
	// ReplyTo is the Reply-To of every mail; default: the coordinator.
	ReplyTo       string        `yaml:"reply_to"`
	SteeringGroup SteeringGroup `yaml:"steering_group"`
	Evaluation    Evaluation    `yaml:"evaluation"`
	Readiness     Readiness     `yaml:"readiness"`
	Jobs          []Job         `yaml:"jobs"`
	Daemon        Daemon        `yaml:"daemon"`
	Delivery      Delivery      `yaml:"delivery"`
	Branding      Branding      `yaml:"branding"`
	Templates     Templates     `yaml:"templates"`

	// Path is the file the configuration was read from.
	Path string `yaml:"-"`
	// Location is the loaded Timezone.
	Location *time.Location `yaml:"-"`
}

// Database says where a database is: the reporting register or the job's state.
type Database struct {
	Driver string `yaml:"driver"`
	DSN    string `yaml:"dsn"`
}

// Output is where reports are written.
type Output struct {
	Dir string `yaml:"dir"`
	// Mode is the mode reports, manifests and .eml previews are created
	// with before the umask; folders get x where r. Default 0640.
	Mode FileMode `yaml:"mode"`
	// KeepPeriods, when set, is how many of the newest monthly period
	// folders (and, counted apart, annual ones) a run keeps; older ones are
	// removed. nil keeps every period.
	KeepPeriods *int `yaml:"keep_periods"`
}

// Command is a program and its arguments, run without a shell. YAML gives
// it as a list ([/usr/local/bin/get-token, --tenant, x]) or, for a program
// without arguments, as one string.
type Command []string

// UnmarshalYAML takes a list of strings or one string.
func (c *Command) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*c = Command{n.Value}
		return nil
	}
	var argv []string
	if err := n.Decode(&argv); err != nil {
		return err
	}
	*c = argv
	return nil
}

// FileMode is a permission mode written in octal in YAML ("0640", "0o640").
type FileMode os.FileMode

// Perm is the mode as an os.FileMode.
func (m FileMode) Perm() os.FileMode { return os.FileMode(m).Perm() }

// UnmarshalYAML parses an octal mode such as 0640.
func (m *FileMode) UnmarshalYAML(n *yaml.Node) error {
	s := strings.TrimPrefix(strings.TrimSpace(n.Value), "0o")
	v, err := strconv.ParseUint(s, 8, 32)
	if err != nil || v > 0o777 {
		// A TypeError, so that the error names file, line and key.
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: %q is not a file mode such as 0640", n.Line, n.Value)}}
	}
	*m = FileMode(v)
	return nil
}

// SMTP is the outgoing mail server. The password never sits in the file:
// it comes from PasswordFile or the environment variable PasswordEnv, and is
// read only when mail is sent (ReadPassword). With Auth xoauth2 the
// credential is an OAuth access token from TokenFile or TokenCommand,
// fetched before every connection.
type SMTP struct {
	Host         string   `yaml:"host"`
	Port         int      `yaml:"port"`
	TLS          string   `yaml:"tls"`
	Auth         string   `yaml:"auth"` // auto | plain | login | xoauth2; default auto
	Username     string   `yaml:"username"`
	PasswordFile string   `yaml:"password_file"`
	PasswordEnv  string   `yaml:"password_env"`
	TokenFile    string   `yaml:"token_file"`
	TokenCommand Command  `yaml:"token_command"`
	From         string   `yaml:"from"`
	HELO         string   `yaml:"helo"`    // the EHLO name; default: this machine's host name
	CAFile       string   `yaml:"ca_file"` // PEM certificates trusted besides the system roots
	SMIMECert    string   `yaml:"smime_cert"`
	SMIMEKey     string   `yaml:"smime_key"`
	Timeout      Duration `yaml:"timeout"`
	Retries      int      `yaml:"retries"`
	Backoff      Duration `yaml:"backoff"`
	// SendDeadline bounds the sending of one run; what is not sent by then stays pending.
	SendDeadline Duration `yaml:"send_deadline"`
	// BreakerAfter stops a run's sending after this many relay failures in a row.
	BreakerAfter int `yaml:"breaker_after"`

	env Env // looks up PasswordEnv
}

// ReadPassword reads the SMTP password from PasswordFile or PasswordEnv;
// "" without a source. Only sending and check need it.
func (s SMTP) ReadPassword() (string, error) {
	switch {
	case s.PasswordFile != "":
		b, err := os.ReadFile(s.PasswordFile)
		if err != nil {
			return "", fmt.Errorf("smtp.password_file: cannot read the password file: %w", err)
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	case s.PasswordEnv != "":
		env := s.env
		if env == nil {
			env = os.LookupEnv
		}
		v, ok := env(s.PasswordEnv)
		if !ok {
			return "", fmt.Errorf("smtp.password_env: environment variable %s is not set", s.PasswordEnv)
		}
		return v, nil
	}
	return "", nil
}

// Contact is a named person with an address.
type Contact struct {
	Name  string `yaml:"name"`
	Email string `yaml:"email"`
}

// SteeringGroup is the steering group's title and distribution list.
type SteeringGroup struct {
	Title  string   `yaml:"title"`
	Emails []string `yaml:"emails"`
}

// Evaluation holds the settings of the evaluation rules (SPEC §4).
type Evaluation struct {
	RedFraction       *float64 `yaml:"red_fraction"`
	StaleAfterPeriods *int     `yaml:"stale_after_periods"`
	TrendPeriods      *int     `yaml:"trend_periods"`
}

// Readiness says when the register counts as holding a period's data
// (SPEC §8). Unset fields of a job's own Readiness take the global ones.
type Readiness struct {
	// MinCoverage is the share (0..1) of the active monthly indicators that
	// must have data for the period; default 0.8.
	MinCoverage *float64 `yaml:"min_coverage"`
	// NotifyAfter is how long after a period fell due the daemon tells the
	// coordinator, once, that it is still waiting for its data; default 2d.
	NotifyAfter *Duration `yaml:"notify_after"`
}

// Job is one scheduled report job.
type Job struct {
	Name      string    `yaml:"name"`
	Report    string    `yaml:"report"`
	Schedule  string    `yaml:"schedule"`
	Period    string    `yaml:"period"`
	Readiness Readiness `yaml:"readiness"`

	Spec schedule.Spec       `yaml:"-"`
	Rule schedule.PeriodRule `yaml:"-"`
}

// Daemon holds the settings of daemon mode.
type Daemon struct {
	Listen         string   `yaml:"listen"`
	CatchUpPeriods int      `yaml:"catch_up_periods"`
	CatchUpWindow  Duration `yaml:"catch_up_window"`
	Pushgateway    string   `yaml:"pushgateway"`
	// OverdueAfter is how long after its firing a job's period may stay
	// undelivered before /healthz says degraded.
	OverdueAfter Duration `yaml:"overdue_after"`
}

// Delivery holds the settings of delivery through the ledger.
type Delivery struct {
	// Lease is how long a claim on one delivery stays live: a process that
	// dies mid-send holds that recipient this long before another run may
	// take it over. It must outlast one delivery with all its SMTP retries.
	Lease Duration `yaml:"lease"`
}

// Branding marks every report as the organisation's: a logo on page 1, the
// organisation's name in the footer and PDF author, and an accent colour.
type Branding struct {
	Logo         string `yaml:"logo"`         // a PNG or JPEG file
	Organisation string `yaml:"organisation"` // default: the register's top organisation unit (author only)
	Colour       string `yaml:"colour"`       // #RRGGBB, with at least 4.5:1 contrast against white
}

// Templates holds the optional folder whose files override report
// wording and mail templates (templates.Open).
type Templates struct {
	Dir string `yaml:"dir"`
}

// Duration is a time.Duration written as "30s", "5m" or "40d" in YAML.
type Duration time.Duration

// UnmarshalYAML parses a Go duration, also accepting whole days ("40d").
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	s := strings.TrimSpace(n.Value)
	if days, ok := strings.CutSuffix(s, "d"); ok {
		v, err := strconv.Atoi(days)
		if err != nil || v < 0 {
			return fmt.Errorf("line %d: %q is not a duration such as 30s, 5m or 40d", n.Line, s)
		}
		*d = Duration(time.Duration(v) * 24 * time.Hour)
		return nil
	}
	v, err := time.ParseDuration(s)
	if err != nil || v < 0 {
		return fmt.Errorf("line %d: %q is not a duration such as 30s, 5m or 40d", n.Line, s)
	}
	*d = Duration(v)
	return nil
}

// ErrConfig marks configuration errors (exit status 2).
var ErrConfig = errors.New("configuration error")

// Error is a list of configuration problems, each naming file, line and key.
type Error struct {
	Problems []string
}

func (e *Error) Error() string {
	return strings.Join(e.Problems, "\n")
}

// Unwrap lets errors.Is(err, ErrConfig) find configuration errors.
func (e *Error) Unwrap() error { return ErrConfig }

// Env looks up an environment variable; os.LookupEnv in production.
type Env func(name string) (string, bool)

// Load reads, checks and completes the configuration at path.
func Load(path string, env Env) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{Problems: []string{fmt.Sprintf("%s: %v", path, err)}}
	}
	return Parse(path, data, env)
}

// Parse is Load on bytes already read; path is used in messages.
func Parse(path string, data []byte, env Env) (*Config, error) {
	if env == nil {
		env = os.LookupEnv
	}
	p := &parser{path: path}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		return nil, &Error{Problems: []string{fmt.Sprintf("%s: %s", path, strings.TrimPrefix(err.Error(), "yaml: "))}}
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		return nil, &Error{Problems: []string{fmt.Sprintf("%s:%d: the configuration must be a mapping of keys", path, root.Line)}}
	}
	p.root = root
	p.substitute(root, "", env)
	p.checkKeys(root, reflect.TypeOf(Config{}), "")
	if len(p.problems) > 0 {
		return nil, &Error{Problems: p.problems}
	}
	cfg := &Config{Path: path}
	if err := root.Decode(cfg); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) {
			for _, m := range te.Errors {
				p.problems = append(p.problems, p.typeProblem(m))
			}
		} else {
			// A value's own UnmarshalYAML (a Duration) fails with "line N: …".
			p.problems = append(p.problems, p.typeProblem(err.Error()))
		}
		return nil, &Error{Problems: p.problems}
	}
	p.complete(cfg, env)
	if len(p.problems) > 0 {
		return nil, &Error{Problems: p.problems}
	}
	return cfg, nil
}

type parser struct {
	path     string
	root     *yaml.Node
	problems []string
}

// addf records a problem at the line of key (a dotted path such as
// "jobs[1].schedule"); a key that is absent from the file is reported at
// its nearest present parent.
func (p *parser) addf(key, format string, args ...any) {
	line := p.line(key)
	p.problems = append(p.problems, fmt.Sprintf("%s:%d: %s: %s", p.path, line, key, fmt.Sprintf(format, args...)))
}

func (p *parser) line(key string) int {
	n := p.root
	if n == nil {
		return 0
	}
	line := n.Line
	for _, part := range splitKey(key) {
		k, v := child(n, part)
		if v == nil {
			break
		}
		n, line = v, k.Line
	}
	return line
}

var indexRe = regexp.MustCompile(`^(.*)\[(\d+)\]$`)

func splitKey(key string) []string {
	var parts []string
	for _, seg := range strings.Split(key, ".") {
		if m := indexRe.FindStringSubmatch(seg); m != nil {
			parts = append(parts, m[1], "["+m[2]+"]")
			continue
		}
		parts = append(parts, seg)
	}
	return parts
}

// child finds part (a mapping key or "[i]") below n and returns the node
// that names it (the key, or the item itself) and its value.
func child(n *yaml.Node, part string) (key, value *yaml.Node) {
	if strings.HasPrefix(part, "[") {
		i, _ := strconv.Atoi(strings.Trim(part, "[]"))
		if n.Kind == yaml.SequenceNode && i < len(n.Content) {
			return n.Content[i], n.Content[i]
		}
		return nil, nil
	}
	if n.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == part {
			return n.Content[i], n.Content[i+1]
		}
	}
	return nil, nil
}

var varRe = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// substitute replaces ${VAR} in every string scalar from the environment.
func (p *parser) substitute(n *yaml.Node, key string, env Env) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			p.substitute(n.Content[i+1], joinKey(key, n.Content[i].Value), env)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			p.substitute(c, fmt.Sprintf("%s[%d]", key, i), env)
		}
	case yaml.ScalarNode:
		if !strings.Contains(n.Value, "${") {
			return
		}
		n.Value = varRe.ReplaceAllStringFunc(n.Value, func(m string) string {
			name := varRe.FindStringSubmatch(m)[1]
			v, ok := env(name)
			if !ok {
				p.problems = append(p.problems, fmt.Sprintf("%s:%d: %s: environment variable %s is not set", p.path, n.Line, key, name))
			}
			return v
		})
	}
}

func joinKey(parent, k string) string {
	if parent == "" {
		return k
	}
	return parent + "." + k
}

// checkKeys rejects keys that the configuration does not know, with the
// line they stand on, walking the YAML tree beside the Go types.
func (p *parser) checkKeys(n *yaml.Node, t reflect.Type, key string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case n.Kind == yaml.MappingNode && t.Kind() == reflect.Struct:
		fields := map[string]reflect.Type{}
		var names []string // in the order of the struct, for suggestions
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if name == "" || name == "-" {
				continue
			}
			fields[name] = f.Type
			names = append(names, name)
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			ft, ok := fields[k.Value]
			if !ok {
				p.problems = append(p.problems, fmt.Sprintf("%s:%d: %s: unknown key%s", p.path, k.Line, joinKey(key, k.Value), suggest.Hint(suggest.Closest(k.Value, names...))))
				continue
			}
			p.checkKeys(n.Content[i+1], ft, joinKey(key, k.Value))
		}
	case n.Kind == yaml.SequenceNode && t.Kind() == reflect.Slice:
		for i, c := range n.Content {
			p.checkKeys(c, t.Elem(), fmt.Sprintf("%s[%d]", key, i))
		}
	}
}

var lineRe = regexp.MustCompile(`^line (\d+): (.*)$`)

// typeProblem turns a YAML type error ("line 5: cannot unmarshal …") into
// "file:5: smtp.port: cannot unmarshal …", naming the key on that line.
func (p *parser) typeProblem(m string) string {
	sub := lineRe.FindStringSubmatch(m)
	if sub == nil {
		return p.path + ": " + m
	}
	line, _ := strconv.Atoi(sub[1])
	if key := keyAt(p.root, "", line); key != "" {
		return fmt.Sprintf("%s:%d: %s: %s", p.path, line, key, sub[2])
	}
	return fmt.Sprintf("%s:%d: %s", p.path, line, sub[2])
}

// keyAt finds the dotted key whose value stands on line.
func keyAt(n *yaml.Node, key string, line int) string {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if v.Line == line && v.Kind == yaml.ScalarNode {
				return joinKey(key, k.Value)
			}
			if found := keyAt(v, joinKey(key, k.Value), line); found != "" {
				return found
			}
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			if c.Line == line && c.Kind == yaml.ScalarNode {
				return fmt.Sprintf("%s[%d]", key, i)
			}
			if found := keyAt(c, fmt.Sprintf("%s[%d]", key, i), line); found != "" {
				return found
			}
		}
	}
	return ""
}
