package mail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"time"
)

// TokenSource gives the OAuth 2.0 access token for one connection
// (smtp.auth: xoauth2). It is asked again before every connection, so a
// token renewed by another process is picked up without a restart.
type TokenSource func(ctx context.Context) (string, error)

// TokenError is a failure to get the XOAUTH2 token: the relay is never
// asked, and the delivery stays pending (it is never the recipient's fault).
type TokenError struct {
	Source string // "smtp.token_file" or "smtp.token_command"
	err    error
}

// Error names the source and the cause; it never holds the token.
func (e *TokenError) Error() string { return e.Source + ": " + e.err.Error() }

// Unwrap returns the cause.
func (e *TokenError) Unwrap() error { return e.err }

// maxTokenBytes bounds what a token file or command may give; access
// tokens from Microsoft Entra ID are a few kilobytes.
const maxTokenBytes = 64 << 10

// TokenFile reads the token from path before every connection; surrounding
// white space is dropped.
func TokenFile(path string) TokenSource {
	return func(context.Context) (string, error) {
		data, err := os.ReadFile(path)
		if err != nil {
			return "", &TokenError{Source: "smtp.token_file", err: fmt.Errorf("cannot read the token file: %w", err)}
		}
		return checkToken("smtp.token_file", string(data))
	}
}

// TokenCommand runs argv (no shell) to get the token; its standard output,
// trimmed, is the token. A run that outlasts timeout is killed. On failure
// the error carries the command's standard error, with anything that looks
// like a token or a secret taken out. A token is reused for up to reuse
// (0: a run before every connection), so that a run of thousands of mails
// asks the identity provider a few times, not once per mail; failures are
// never cached.
func TokenCommand(argv []string, timeout, reuse time.Duration) TokenSource {
	var (
		mu      sync.Mutex
		cached  string
		fetched time.Time
	)
	return func(ctx context.Context) (string, error) {
		mu.Lock()
		defer mu.Unlock()
		if cached != "" && time.Since(fetched) < reuse {
			return cached, nil
		}
		token, err := runTokenCommand(ctx, argv, timeout)
		if err != nil {
			cached = ""
			return "", err
		}
		cached, fetched = token, time.Now()
		return token, nil
	}
}

// runTokenCommand runs argv once, bounded by timeout, and returns its token.
func runTokenCommand(ctx context.Context, argv []string, timeout time.Duration) (string, error) {
	if len(argv) == 0 {
		return "", &TokenError{Source: "smtp.token_command", err: errors.New("no command given")}
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	var stdout, stderr limitedBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	// A grandchild that keeps the pipes open must not hold the send.
	cmd.WaitDelay = time.Second
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("%s did not finish within %s: %w", argv[0], timeout, ctx.Err())
		} else {
			err = fmt.Errorf("%s: %w", argv[0], err)
		}
		if msg := redactSecrets(strings.TrimSpace(stderr.String()), stdout.String()); msg != "" {
			err = fmt.Errorf("%w; stderr: %s", err, msg)
		}
		return "", &TokenError{Source: "smtp.token_command", err: err}
	}
	return checkToken("smtp.token_command", stdout.String())
}

// checkToken trims a token and rejects an empty or multi-line one, which
// would break the AUTH line.
func checkToken(source, raw string) (string, error) {
	token := strings.TrimSpace(raw)
	switch {
	case token == "":
		return "", &TokenError{Source: source, err: errors.New("the token is empty")}
	case strings.ContainsAny(token, "\r\n\x01 \t"):
		return "", &TokenError{Source: source, err: errors.New("the token is not one word on one line (give the access token alone, not the JSON answer)")}
	case len(raw) > maxTokenBytes:
		return "", &TokenError{Source: source, err: fmt.Errorf("the token is longer than %d bytes", maxTokenBytes)}
	}
	return token, nil
}

// secretPattern finds values that look like credentials in a command's
// error output: bearer tokens, access/refresh tokens, client secrets, JWTs.
var secretPattern = regexp.MustCompile(`(?i)((?:bearer\s+|(?:access_token|refresh_token|id_token|client_secret|password)"?\s*[:=]\s*"?))[^\s"&,;]+|eyJ[\w-]+\.[\w-]+\.[\w-]*`)

// redactSecrets takes credentials out of text, and any of also (what the
// command wrote to stdout, a token in the making) that is longer than a few bytes.
func redactSecrets(text string, also ...string) string {
	for _, s := range also {
		if s = strings.TrimSpace(s); len(s) >= 8 {
			text = strings.ReplaceAll(text, s, "[redacted]")
		}
	}
	text = secretPattern.ReplaceAllStringFunc(text, func(m string) string {
		if sub := secretPattern.FindStringSubmatch(m); sub[1] != "" {
			return sub[1] + "[redacted]"
		}
		return "[redacted]"
	})
	return truncateUTF8(strings.Join(strings.Fields(text), " "), 500)
}

// limitedBuffer keeps the first maxTokenBytes written and drops the rest,
// so a runaway command cannot fill the memory.
type limitedBuffer struct{ bytes.Buffer }

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := maxTokenBytes + 1 - b.Len(); room > 0 {
		b.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}
