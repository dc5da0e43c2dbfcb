package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"gevinstrapport/internal/config"
)

// cmdHealthcheck asks the daemon's /healthz and prints the answer's status
// line: nil for 200, an error (exit 1) for any other answer or none within
// the timeout. Every failure is exit 1, also a bad configuration or flag:
// Docker reserves exit 2 for HEALTHCHECK commands.
func cmdHealthcheck(ctx context.Context, args []string, stdout io.Writer, env config.Env) error {
	fs := newFlags("healthcheck")
	cfgPath := fs.String("config", "", "configuration file: ask daemon.listen of it (none: the default 127.0.0.1:9464)")
	url := fs.String("url", "", "ask this URL instead of the configured daemon.listen, e.g. http://127.0.0.1:9464/healthz")
	timeout := fs.Duration("timeout", 5*time.Second, "give up when the daemon has not answered within this time")
	if err := parseFlags(fs, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return unhealthy(err)
	}
	if *url == "" {
		cfg, _, err := loadConfig(*cfgPath, env)
		if err != nil {
			return unhealthy(err)
		}
		*url = healthzURL(cfg.Daemon.Listen)
	}
	status, err := probeHealthz(ctx, *url, *timeout)
	fmt.Fprintf(stdout, "%s: %s\n", *url, status)
	return err
}

// unhealthy drops what err says about its kind, so exitCode makes it 1.
func unhealthy(err error) error { return errors.New(err.Error()) }

// healthzURL is the /healthz URL of a daemon listening on listen: a host
// that means "every address" is asked on the loopback address.
func healthzURL(listen string) string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return "http://" + listen + "/healthz"
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
		if ip != nil && ip.To4() == nil {
			host = "::1"
		}
	}
	return "http://" + net.JoinHostPort(host, port) + "/healthz"
}

// probeHealthz GETs url and returns its status line (with the reasons of a
// degraded daemon); the error is nil only for 200.
func probeHealthz(ctx context.Context, url string, timeout time.Duration) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "bad URL", fmt.Errorf("healthcheck: %w", err)
	}
	// No proxy: the daemon is asked directly, whatever HTTP_PROXY says.
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Do(req)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("no answer within %s", timeout), errors.New("healthcheck: the daemon did not answer in time")
	case err != nil:
		return "no answer: " + err.Error(), errors.New("healthcheck: the daemon did not answer")
	}
	defer resp.Body.Close()
	status := resp.Status
	var body struct {
		Status  string   `json:"status"`
		Reasons []string `json:"reasons"`
	}
	if json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&body) == nil && body.Status != "" {
		status += " " + body.Status
		if len(body.Reasons) > 0 {
			status += ": " + strings.Join(body.Reasons, "; ")
		}
	}
	if resp.StatusCode != http.StatusOK {
		return status, fmt.Errorf("healthcheck: %s answered %s", url, resp.Status)
	}
	return status, nil
}
