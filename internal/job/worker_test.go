package job

import (
	"fmt"
	"testing"
)

func TestPeriodForAll(t *testing.T) {
	tests := []struct {
		name, kind, in, want string
	}{
		{"a month gives the annual report the last complete year", Annual, "2025-09", "2024"},
		{"december completes its own year", Annual, "2025-12", "2025"},
		{"a year gives the monthly reports its december", Owner, "2024", "2024-12"},
		{"a month stays a month", Steering, "2025-09", "2025-09"},
		{"a year stays a year for the annual report", Annual, "2024", "2024"},
		{"empty stays empty: the default applies", Owner, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PeriodForAll(tt.kind, tt.in); got != tt.want {
				t.Errorf("PeriodForAll(%s, %q) = %q, want %q", tt.kind, tt.in, got, tt.want)
			}
		})
	}
}

func TestShards(t *testing.T) {
	for _, bad := range []string{"1", "2/2", "-1/3", "a/b", "0/0", "1/"} {
		if _, err := ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q) accepted", bad)
		}
	}
	const n = 4
	var shards []Shard
	for i := range n {
		s, err := ParseShard(fmt.Sprintf("%d/%d", i, n))
		if err != nil {
			t.Fatal(err)
		}
		shards = append(shards, s)
	}
	counts := make([]int, n)
	for k := range 400 {
		id := fmt.Sprintf("P-%03d", k)
		taken := 0
		for i, s := range shards {
			if s.Takes(id) {
				taken++
				counts[i]++
			}
		}
		if taken != 1 {
			t.Fatalf("%s is taken by %d shards, want exactly 1", id, taken)
		}
	}
	for i, c := range counts {
		if c < 50 {
			t.Errorf("shard %d/%d takes only %d of 400 ids", i, n, c)
		}
	}
	if all, _ := ParseShard(""); !all.Takes("anyone") {
		t.Error("no --shard must take every recipient")
	}
}

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		kind, in, want string
		ok             bool
	}{
		{Owner, "2025-09", "2025-09", true},
		{Owner, "2025-13", "", false},
		{Owner, "2025", "", false},
		{Owner, "2025-9", "", false},
		{Annual, "2024", "2024", true},
		{Annual, "2024-12", "", false},
		{Annual, "24", "", false},
	}
	for _, tt := range tests {
		p, err := ParsePeriod(tt.kind, tt.in)
		if (err == nil) != tt.ok || (tt.ok && p.String() != tt.want) {
			t.Errorf("ParsePeriod(%s, %q) = %v, %v; want %q ok=%v", tt.kind, tt.in, p, err, tt.want, tt.ok)
		}
	}
}
