package config

import (
	"crypto/x509"
	"fmt"
	netmail "net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"time"

	"gevinstrapport/internal/mail"
	"gevinstrapport/internal/register"
	"gevinstrapport/internal/schedule"
	"gevinstrapport/internal/suggest"
)

// Report kinds a job can produce.
const (
	ReportOwner    = "owner"
	ReportSteering = "steering"
	ReportAnnual   = "annual"
)

// complete fills in defaults and validates every value, recording problems.
func (p *parser) complete(c *Config, env Env) {
	if c.Timezone == "" {
		c.Timezone = "Europe/Oslo"
	}
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		p.addf("timezone", "unknown timezone %q%s", c.Timezone, suggest.Hint(suggest.Zone(c.Timezone)))
		loc = time.UTC
	}
	c.Location = loc

	if c.Language == "" {
		c.Language = "nb"
	}
	if !oneOf(c.Language, "nb", "nn", "en") {
		p.addf("language", "%q is not one of nb, nn, en%s", c.Language, didYouMean(c.Language, "nb", "nn", "en"))
	}

	p.database("database", &c.Database, "")
	if c.Output.Dir == "" {
		c.Output.Dir = "out"
	}
	p.outputMode(&c.Output)
	p.database("state", &c.State, filepath.Join(filepath.Dir(filepath.Clean(c.Output.Dir)), "state.db"))

	p.smtp(c, env)
	p.branding(&c.Branding)
	p.templates(&c.Templates)

	if c.Coordinator.Email != "" {
		p.address("coordinator.email", c.Coordinator.Email)
	}
	if c.Coordinator.Name == "" {
		c.Coordinator.Name = "Gevinstkoordinator"
	}
	switch {
	case c.ReplyTo != "":
		p.address("reply_to", c.ReplyTo)
	case c.Coordinator.Email != "":
		if a, err := netmail.ParseAddress(c.Coordinator.Email); err == nil {
			c.ReplyTo = (&netmail.Address{Name: c.Coordinator.Name, Address: a.Address}).String()
		}
	}
	for i, e := range c.SteeringGroup.Emails {
		p.address(fmt.Sprintf("steering_group.emails[%d]", i), e)
	}
	if c.SteeringGroup.Title == "" {
		c.SteeringGroup.Title = "Styringsgruppe"
	}

	if f := c.Evaluation.RedFraction; f != nil && (*f <= 0 || *f >= 1) {
		p.addf("evaluation.red_fraction", "%v must be between 0 and 1 (exclusive)", *f)
	}
	if n := c.Evaluation.StaleAfterPeriods; n != nil && *n < 0 {
		p.addf("evaluation.stale_after_periods", "%d must not be negative", *n)
	}
	if n := c.Evaluation.TrendPeriods; n != nil && *n < 3 {
		p.addf("evaluation.trend_periods", "%d must be at least 3", *n)
	}

	p.readiness("readiness", &c.Readiness)
	if c.Readiness.MinCoverage == nil {
		v := register.DefaultMinCoverage
		c.Readiness.MinCoverage = &v
	}
	if c.Readiness.NotifyAfter == nil {
		d := Duration(DefaultNotifyAfter)
		c.Readiness.NotifyAfter = &d
	}

	seen := map[string]bool{}
	for i := range c.Jobs {
		j := &c.Jobs[i]
		key := fmt.Sprintf("jobs[%d]", i)
		switch {
		case j.Name == "":
			p.addf(key+".name", "a job needs a name")
		case seen[j.Name]:
			p.addf(key+".name", "job name %q is used twice", j.Name)
		}
		seen[j.Name] = true
		if !oneOf(j.Report, ReportOwner, ReportSteering, ReportAnnual) {
			p.addf(key+".report", "%q is not one of owner, steering, annual (job %q)%s", j.Report, j.Name, didYouMean(j.Report, ReportOwner, ReportSteering, ReportAnnual))
		}
		spec, err := schedule.Parse(j.Schedule, loc)
		if err != nil {
			p.addf(key+".schedule", "job %q: %v", j.Name, err)
		}
		j.Spec = spec
		if j.Period == "" {
			j.Period = defaultRule(j.Report)
		}
		rule, err := schedule.ParsePeriodRule(j.Period)
		if err != nil {
			p.addf(key+".period", "job %q: %v", j.Name, err)
		}
		j.Rule = rule
		p.readiness(key+".readiness", &j.Readiness)
	}

	if c.Daemon.Listen == "" {
		c.Daemon.Listen = "127.0.0.1:9464"
	}
	// An explicit 0 means no catch-up; only an absent key takes the default.
	if c.Daemon.CatchUpPeriods == 0 && !p.has("daemon.catch_up_periods") {
		c.Daemon.CatchUpPeriods = 1
	}
	if c.Daemon.CatchUpPeriods < 0 {
		p.addf("daemon.catch_up_periods", "%d must not be negative", c.Daemon.CatchUpPeriods)
	}
	if c.Daemon.CatchUpWindow == 0 {
		c.Daemon.CatchUpWindow = Duration(40 * 24 * time.Hour)
	}
	if c.Daemon.OverdueAfter == 0 {
		c.Daemon.OverdueAfter = Duration(24 * time.Hour)
	}
	switch {
	case c.Delivery.Lease == 0 && p.has("delivery.lease"):
		p.addf("delivery.lease", "must be longer than 0 (a claim without a lease would let two processes send)")
	case c.Delivery.Lease == 0:
		c.Delivery.Lease = Duration(30 * time.Minute)
	}
}

// DefaultNotifyAfter is readiness.notify_after when the file does not set it.
const DefaultNotifyAfter = 48 * time.Hour

// readiness checks a readiness block (the global one or a job's).
func (p *parser) readiness(key string, r *Readiness) {
	if v := r.MinCoverage; v != nil && !(*v >= 0 && *v <= 1) {
		p.addf(key+".min_coverage", "%v must be a share between 0 and 1 (0.8 = 80 %% of the active monthly indicators)", *v)
	}
}

// MinCoverage is the readiness share for the named job: the job's own
// readiness.min_coverage, else the global one (default 0.8).
func (c *Config) MinCoverage(job string) float64 {
	if j, ok := c.Job(job); ok && j.Readiness.MinCoverage != nil {
		return *j.Readiness.MinCoverage
	}
	if c.Readiness.MinCoverage != nil {
		return *c.Readiness.MinCoverage
	}
	return register.DefaultMinCoverage
}

// NotifyAfter is how long the named job waits for a period's data before
// the coordinator is told: the job's own readiness.notify_after, else the
// global one (default 2 days).
func (c *Config) NotifyAfter(job string) time.Duration {
	if j, ok := c.Job(job); ok && j.Readiness.NotifyAfter != nil {
		return time.Duration(*j.Readiness.NotifyAfter)
	}
	if c.Readiness.NotifyAfter != nil {
		return time.Duration(*c.Readiness.NotifyAfter)
	}
	return DefaultNotifyAfter
}

// outputMode defaults output.mode to 0640 and rejects modes the job cannot
// work with (the owner must read and write) or that make reports executable.
func (p *parser) outputMode(o *Output) {
	switch m := o.Mode.Perm(); {
	case o.Mode == 0:
		o.Mode = 0o640
	case m&0o600 != 0o600:
		p.addf("output.mode", "%04o must let the owner read and write (0600)", m)
	case m&0o111 != 0:
		p.addf("output.mode", "%04o must not make reports executable", m)
	}
	if n := o.KeepPeriods; n != nil && *n < 1 {
		p.addf("output.keep_periods", "%d must be at least 1 (leave the key out to keep every period)", *n)
	}
}

func defaultRule(report string) string {
	if report == ReportAnnual {
		return "previous_year"
	}
	return "previous_month"
}

func (p *parser) database(key string, d *Database, defaultDSN string) {
	if d.Driver == "" {
		d.Driver = "sqlite"
	}
	if !oneOf(d.Driver, "sqlite", "mysql", "postgres") {
		p.addf(key+".driver", "%q is not one of sqlite, mysql, postgres%s", d.Driver, didYouMean(d.Driver, "sqlite", "mysql", "postgres"))
	}
	if d.DSN == "" {
		if defaultDSN == "" {
			p.addf(key+".dsn", "a data source name is required")
		}
		d.DSN = defaultDSN
	}
}

func (p *parser) smtp(c *Config, env Env) {
	s := &c.SMTP
	if s.Host == "" {
		return // mail is optional until --send or a daemon job needs it
	}
	if s.TLS == "" {
		s.TLS = "starttls"
	}
	if !oneOf(s.TLS, "starttls", "tls", "none") {
		p.addf("smtp.tls", "%q is not one of starttls, tls, none%s", s.TLS, didYouMean(s.TLS, "starttls", "tls", "none"))
	}
	if s.Port == 0 {
		s.Port = map[string]int{"starttls": 587, "tls": 465, "none": 25}[s.TLS]
	}
	if s.Port < 1 || s.Port > 65535 {
		p.addf("smtp.port", "%d is not a port number", s.Port)
	}
	if s.From == "" {
		p.addf("smtp.from", "a sender address is required")
	} else {
		p.address("smtp.from", s.From)
	}
	p.smtpLimits(s)
	s.env = env
	p.smtpAuth(s)
	if s.HELO != "" && !heloRe.MatchString(s.HELO) {
		p.addf("smtp.helo", "%q is not a host name (such as gevinstrapport.example.no) or an address literal ([192.0.2.1])", s.HELO)
	}
	p.smtpSMIME(s)
	if s.CAFile != "" {
		if data, err := os.ReadFile(s.CAFile); err != nil {
			p.addf("smtp.ca_file", "cannot read it: %v", err)
		} else if !x509.NewCertPool().AppendCertsFromPEM(data) {
			p.addf("smtp.ca_file", "%s holds no PEM certificate", s.CAFile)
		}
	}
}

// AUTH mechanisms of smtp.auth.
const (
	AuthAuto    = "auto"
	AuthPlain   = "plain"
	AuthLogin   = "login"
	AuthXOAUTH2 = "xoauth2"
)

// smtpAuth checks the AUTH keys: a password source for the password
// mechanisms, a username and exactly one token source for xoauth2, and
// TLS whenever a credential is sent.
func (p *parser) smtpAuth(s *SMTP) {
	if s.Auth == "" {
		s.Auth = AuthAuto
	}
	if !oneOf(s.Auth, AuthAuto, AuthPlain, AuthLogin, AuthXOAUTH2) {
		p.addf("smtp.auth", "%q is not one of auto, plain, login, xoauth2", s.Auth)
		return
	}
	if s.PasswordFile != "" && s.PasswordEnv != "" {
		p.addf("smtp.password_file", "give password_file or password_env, not both")
	}
	if s.Auth == AuthXOAUTH2 {
		p.xoauth2(s)
		return
	}
	if s.TokenFile != "" {
		p.addf("smtp.token_file", "a token is used only with smtp.auth: xoauth2 (auth is %s)", s.Auth)
	}
	if len(s.TokenCommand) > 0 {
		p.addf("smtp.token_command", "a token is used only with smtp.auth: xoauth2 (auth is %s)", s.Auth)
	}
	if s.Username != "" && s.PasswordFile == "" && s.PasswordEnv == "" {
		p.addf("smtp.username", "a username needs password_file or password_env")
	}
	if s.Username != "" && s.TLS == "none" {
		p.addf("smtp.username", "AUTH over tls: none would send the password in clear; use starttls or tls")
	}
}

// xoauth2 checks smtp.auth: xoauth2 (Exchange Online, Microsoft 365).
func (p *parser) xoauth2(s *SMTP) {
	if s.Username == "" {
		p.addf("smtp.auth", "xoauth2 needs smtp.username: the mailbox the reports are sent as")
	}
	switch {
	case s.TokenFile == "" && len(s.TokenCommand) == 0:
		p.addf("smtp.auth", "xoauth2 needs smtp.token_file or smtp.token_command to get the access token")
	case s.TokenFile != "" && len(s.TokenCommand) > 0:
		p.addf("smtp.token_command", "give token_file or token_command, not both")
	case len(s.TokenCommand) > 0:
		if _, err := exec.LookPath(s.TokenCommand[0]); err != nil {
			p.addf("smtp.token_command", "cannot run it: %v", err)
		}
	}
	if s.PasswordFile != "" || s.PasswordEnv != "" {
		key := "smtp.password_env"
		if s.PasswordFile != "" {
			key = "smtp.password_file"
		}
		p.addf(key, "is not used with smtp.auth: xoauth2 (the access token is the credential); remove it")
	}
	if s.TLS == "none" {
		p.addf("smtp.tls", "xoauth2 over tls: none would send the access token in clear; use starttls or tls")
	}
}

// heloRe is a host name, or an address literal in brackets, for EHLO.
var heloRe = regexp.MustCompile(`^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])$`)

// smtpSMIME checks the S/MIME signing certificate and key: both or
// neither, readable, belonging together and valid now.
func (p *parser) smtpSMIME(s *SMTP) {
	switch {
	case s.SMIMECert == "" && s.SMIMEKey == "":
		return
	case s.SMIMECert == "":
		p.addf("smtp.smime_key", "needs smtp.smime_cert, the certificate of the key")
		return
	case s.SMIMEKey == "":
		p.addf("smtp.smime_cert", "needs smtp.smime_key, the private key of the certificate")
		return
	}
	if _, err := mail.LoadSMIME(s.SMIMECert, s.SMIMEKey, time.Now()); err != nil {
		p.addf("smtp.smime_cert", "%v", err)
	}
}

// smtpLimits fills in the SMTP timing defaults. An explicit 0 means what it
// says: retries: 0 is one try; a zero timeout, deadline or breaker would
// mean "wait forever" or "never send" and is rejected.
func (p *parser) smtpLimits(s *SMTP) {
	if !p.has("smtp.timeout") {
		s.Timeout = Duration(30 * time.Second)
	} else if s.Timeout <= 0 {
		p.addf("smtp.timeout", "must be above 0 (a relay that never answers would hold the run)")
	}
	if !p.has("smtp.retries") {
		s.Retries = 4
	} else if s.Retries < 0 {
		p.addf("smtp.retries", "must not be negative (0 is one try)")
	}
	if s.Backoff == 0 {
		s.Backoff = Duration(2 * time.Second)
	}
	if !p.has("smtp.send_deadline") {
		s.SendDeadline = Duration(time.Hour)
	} else if s.SendDeadline <= 0 {
		p.addf("smtp.send_deadline", "must be above 0")
	}
	if !p.has("smtp.breaker_after") {
		s.BreakerAfter = 3
	} else if s.BreakerAfter < 1 {
		p.addf("smtp.breaker_after", "must be at least 1")
	}
}

// has reports whether the file sets key (a dotted path).
func (p *parser) has(key string) bool {
	n := p.root
	for _, part := range splitKey(key) {
		if n == nil {
			return false
		}
		_, n = child(n, part)
	}
	return n != nil
}

func (p *parser) address(key, s string) {
	if _, err := netmail.ParseAddress(s); err != nil {
		p.addf(key, "%q is not an email address", s)
	}
}

// didYouMean ends a "not one of" message with the option s was probably
// meant to be, if any.
func didYouMean(s string, options ...string) string {
	return suggest.Hint(suggest.Closest(s, options...))
}

func oneOf(s string, options ...string) bool {
	for _, o := range options {
		if s == o {
			return true
		}
	}
	return false
}

// Settings are the evaluation settings with SPEC defaults filled in.
func (c *Config) Settings() register.Settings {
	s := register.DefaultSettings()
	if c.Evaluation.RedFraction != nil {
		s.RedFraction = *c.Evaluation.RedFraction
	}
	if c.Evaluation.StaleAfterPeriods != nil {
		s.StaleAfterPeriods = *c.Evaluation.StaleAfterPeriods
	}
	if c.Evaluation.TrendPeriods != nil {
		s.TrendPeriods = *c.Evaluation.TrendPeriods
	}
	return s
}

// Job returns the job with the given name.
func (c *Config) Job(name string) (Job, bool) {
	for _, j := range c.Jobs {
		if j.Name == name {
			return j, true
		}
	}
	return Job{}, false
}

// Default is the configuration used when no file is given: the built-in
// demo register, reports under ./out, no mail.
func Default() *Config {
	c := &Config{Path: "(built-in defaults)"}
	p := &parser{path: c.Path}
	c.Database.DSN = "(demo)"
	p.complete(c, func(string) (string, bool) { return "", false })
	return c
}
