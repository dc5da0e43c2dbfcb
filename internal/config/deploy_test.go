package config

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The deployment examples under config/ are checked for what issue 11 asks
// of them: GOMEMLIMIT below the memory limit, one user for both systemd
// units, a kustomization with a config hash and a podFailurePolicy that
// does not retry a configuration error.

var kubeDir = filepath.Join("..", "..", "config", "kubernetes")

// kubeDocs decodes every YAML document of a manifest file into plain maps.
func kubeDocs(t *testing.T, name string) []map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(kubeDir, name))
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs []map[string]any
	for {
		var d map[string]any
		err := dec.Decode(&d)
		if errors.Is(err, io.EOF) {
			return docs
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		docs = append(docs, d)
	}
}

// at walks a path of map keys through decoded YAML; nil when any is missing.
func at(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func list(v any) []any { l, _ := v.([]any); return l }

// podSpecs are the pod specs of a manifest's workloads by kind, with the
// Job spec that holds each (nil for a Deployment).
func podSpecs(docs []map[string]any) (pods, jobs []map[string]any) {
	for _, d := range docs {
		var job, pod any
		switch d["kind"] {
		case "Deployment":
			pod = at(d, "spec", "template", "spec")
		case "Job":
			job = at(d, "spec")
		case "CronJob":
			job = at(d, "spec", "jobTemplate", "spec")
		}
		if job != nil {
			pod = at(job, "template", "spec")
			jobs = append(jobs, job.(map[string]any))
		}
		if pod != nil {
			pods = append(pods, pod.(map[string]any))
		}
	}
	return pods, jobs
}

// mebibytes parses a Kubernetes memory quantity in Mi or Gi.
func mebibytes(t *testing.T, q string) int64 {
	t.Helper()
	for suffix, f := range map[string]int64{"Mi": 1, "Gi": 1024} {
		if n, ok := strings.CutSuffix(q, suffix); ok {
			v, err := strconv.ParseInt(n, 10, 64)
			if err != nil {
				t.Fatalf("memory quantity %q: %v", q, err)
			}
			return v * f
		}
	}
	t.Fatalf("memory quantity %q: want Mi or Gi", q)
	return 0
}

func TestKubernetesGOMEMLIMIT(t *testing.T) {
	for _, name := range []string{"daemon-deployment.yaml", "cronjob.yaml", "indexed-job.yaml"} {
		t.Run(name, func(t *testing.T) {
			pods, _ := podSpecs(kubeDocs(t, name))
			if len(pods) != 1 {
				t.Fatalf("%d workloads, want 1", len(pods))
			}
			for _, c := range list(pods[0]["containers"]) {
				limit, _ := at(c, "resources", "limits", "memory").(string)
				if limit == "" {
					t.Fatalf("container %v has no memory limit", at(c, "name"))
				}
				env := map[string]any{}
				var order []string
				for _, e := range list(at(c, "env")) {
					n := at(e, "name").(string)
					env[n], order = e, append(order, n)
				}
				ref := at(env["GEVINST_MEMORY_LIMIT_MIB"], "valueFrom", "resourceFieldRef")
				if at(ref, "resource") != "limits.memory" || at(ref, "divisor") != "1Mi" {
					t.Fatalf("GEVINST_MEMORY_LIMIT_MIB: resourceFieldRef %v, want limits.memory in 1Mi", ref)
				}
				val, _ := at(env["GOMEMLIMIT"], "value").(string)
				if val != "$(GEVINST_MEMORY_LIMIT_MIB)000000" {
					t.Fatalf("GOMEMLIMIT = %q", val)
				}
				if slices.Index(order, "GEVINST_MEMORY_LIMIT_MIB") > slices.Index(order, "GOMEMLIMIT") {
					t.Fatal("GOMEMLIMIT refers to a variable declared after it: Kubernetes would not expand it")
				}
				// What the Go runtime gets: the limit in MiB, read as millions of bytes.
				mib := mebibytes(t, limit)
				goLimit, err := strconv.ParseInt(strings.ReplaceAll(val, "$(GEVINST_MEMORY_LIMIT_MIB)", strconv.FormatInt(mib, 10)), 10, 64)
				if err != nil {
					t.Fatal(err)
				}
				share := float64(goLimit) / float64(mib<<20)
				if share < 0.9 || share >= 1 {
					t.Fatalf("GOMEMLIMIT %d bytes is %.3f of the %s limit, want 0.90..0.99", goLimit, share, limit)
				}
			}
		})
	}
}

func TestKubernetesPodFailurePolicy(t *testing.T) {
	for _, name := range []string{"cronjob.yaml", "indexed-job.yaml"} {
		t.Run(name, func(t *testing.T) {
			pods, jobs := podSpecs(kubeDocs(t, name))
			if len(jobs) != 1 {
				t.Fatalf("%d jobs, want 1", len(jobs))
			}
			if pods[0]["restartPolicy"] != "Never" {
				t.Fatalf("restartPolicy %v: a podFailurePolicy needs Never", pods[0]["restartPolicy"])
			}
			failJob := map[int]bool{}
			for _, r := range list(at(jobs[0], "podFailurePolicy", "rules")) {
				codes := at(r, "onExitCodes")
				if at(r, "action") != "FailJob" || codes == nil {
					continue
				}
				if at(codes, "operator") != "In" || at(codes, "containerName") != "gevinstrapport" {
					t.Fatalf("onExitCodes %v: want operator In on container gevinstrapport", codes)
				}
				for _, v := range list(at(codes, "values")) {
					failJob[v.(int)] = true
				}
			}
			if !failJob[2] {
				t.Fatalf("exit code 2 (configuration error) is retried; FailJob codes %v", failJob)
			}
			if failJob[1] {
				t.Fatal("exit code 1 (a failed delivery, safe to retry) fails the job at once")
			}
		})
	}
}

func TestKustomization(t *testing.T) {
	docs := kubeDocs(t, "kustomization.yaml")
	k := docs[0]
	for _, r := range list(k["resources"]) {
		if _, err := os.Stat(filepath.Join(kubeDir, r.(string))); err != nil {
			t.Fatalf("resource %v: %v", r, err)
		}
	}
	gens := list(k["configMapGenerator"])
	if len(gens) != 1 || at(gens[0], "name") != "gevinstrapport-daemon-config" {
		t.Fatalf("configMapGenerator %v", gens)
	}
	if at(gens[0], "options", "disableNameSuffixHash") == true {
		t.Fatal("the generated ConfigMap must carry the config hash in its name")
	}
	files := list(at(gens[0], "files"))
	if len(files) != 1 || files[0] != "config.yaml=daemon-config.yaml" {
		t.Fatalf("generator files %v", files)
	}

	// daemon-config.yaml is the ConfigMap of daemon-deployment.yaml, so
	// apply -f and apply -k run the same configuration, and it loads.
	file, err := os.ReadFile(filepath.Join(kubeDir, "daemon-config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	inline, _ := at(kubeDocs(t, "daemon-deployment.yaml")[0], "data", "config.yaml").(string)
	if inline != string(file) {
		t.Fatal("daemon-config.yaml differs from the ConfigMap in daemon-deployment.yaml")
	}
	env := func(string) (string, bool) { return "x", true }
	if _, err := Parse("daemon-config.yaml", file, env); err != nil {
		t.Fatalf("daemon-config.yaml: %v", err)
	}

	kubectl, err := exec.LookPath("kubectl")
	if err != nil {
		t.Skip("kubectl not installed: the kustomize build is not checked")
	}
	out, err := exec.Command(kubectl, "kustomize", kubeDir).CombinedOutput()
	if err != nil {
		t.Fatalf("kubectl kustomize: %v\n%s", err, out)
	}
	dec := yaml.NewDecoder(bytes.NewReader(out))
	var cm, deployed string
	for {
		var d map[string]any
		if err := dec.Decode(&d); err != nil {
			break
		}
		name, _ := at(d, "metadata", "name").(string)
		switch {
		case d["kind"] == "ConfigMap" && name == "gevinstrapport-config":
			t.Fatal("the plain daemon ConfigMap is still in the build")
		case d["kind"] == "ConfigMap" && strings.HasPrefix(name, "gevinstrapport-daemon-config-"):
			cm = name
		case d["kind"] == "Deployment":
			for _, v := range list(at(d, "spec", "template", "spec", "volumes")) {
				if at(v, "name") == "config" {
					deployed, _ = at(v, "configMap", "name").(string)
				}
			}
		}
	}
	if cm == "" || deployed != cm {
		t.Fatalf("the Deployment mounts ConfigMap %q, the build has %q", deployed, cm)
	}
}

var systemdDir = filepath.Join("..", "..", "config", "systemd")

// unitSettings reads a unit file's Key=Value lines (the last one wins).
func unitSettings(t *testing.T, name string) map[string][]string {
	t.Helper()
	f, err := os.Open(filepath.Join(systemdDir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	kv := map[string][]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' || line[0] == '[' {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if ok {
			kv[k] = append(kv[k], v)
		}
	}
	return kv
}

func TestSystemdUnits(t *testing.T) {
	units := []string{"gevinstrapport.service", "gevinstrapport-monthly.service"}
	for _, name := range units {
		t.Run(name, func(t *testing.T) {
			u := unitSettings(t, name)
			for key, want := range map[string]string{"User": "gevinstrapport", "Group": "gevinstrapport", "DynamicUser": "yes", "StateDirectory": "gevinstrapport"} {
				if got := u[key]; len(got) != 1 || got[0] != want {
					t.Errorf("%s=%v, want %s (the same in both units)", key, got, want)
				}
			}
			max := u["MemoryMax"]
			if len(max) != 1 || !strings.HasSuffix(max[0], "G") {
				t.Fatalf("MemoryMax=%v, want one value in G", max)
			}
			gib, _ := strconv.ParseInt(strings.TrimSuffix(max[0], "G"), 10, 64)
			var goLimit string
			for _, e := range u["Environment"] {
				if v, ok := strings.CutPrefix(e, "GOMEMLIMIT="); ok {
					goLimit = v
				}
			}
			mib, err := strconv.ParseInt(strings.TrimSuffix(goLimit, "MiB"), 10, 64)
			if err != nil || !strings.HasSuffix(goLimit, "MiB") {
				t.Fatalf("GOMEMLIMIT=%q, want N MiB", goLimit)
			}
			if share := float64(mib) / float64(gib*1024); share < 0.8 || share >= 0.95 {
				t.Fatalf("GOMEMLIMIT %d MiB is %.2f of MemoryMax %s, want 0.80..0.95", mib, share, max[0])
			}
		})
	}

	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze not installed: the units are not verified")
	}
	// verify wants ExecStart's program to exist: point it at this test binary.
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var paths []string
	for _, name := range append(units, "gevinstrapport-monthly.timer") {
		data, err := os.ReadFile(filepath.Join(systemdDir, name))
		if err != nil {
			t.Fatal(err)
		}
		data = bytes.ReplaceAll(data, []byte("/usr/local/bin/gevinstrapport"), []byte(self))
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	out, err := exec.Command(analyze, append([]string{"verify", "--man=no"}, paths...)...).CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
	}
}
