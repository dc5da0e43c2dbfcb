package report

import (
	"strings"

	"gevinstrapport/internal/register"
)

// organisation names the organisation a report comes from, for the PDF's
// author metadata: the top unit above the given units (a regional health
// authority, a municipality), or the distinct top units joined when they
// differ; "" when no unit is known.
func organisation(x *register.Index, units []string) string {
	var names []string
	seen := map[string]bool{}
	for _, id := range units {
		top, ok := topUnit(x, id)
		if !ok || seen[top.ID] {
			continue
		}
		seen[top.ID] = true
		name := top.Name
		if name == "" {
			name = top.ID
		}
		names = append(names, name)
	}
	return strings.Join(names, ", ")
}

// topUnit walks from unit id up its parents to the top; a parent chain that
// loops or leaves the register stops at the last unit found.
func topUnit(x *register.Index, id string) (register.OrgUnit, bool) {
	u, ok := x.Unit(id)
	if !ok {
		return register.OrgUnit{}, false
	}
	for range 64 {
		p, ok := x.Unit(u.ParentID)
		if u.ParentID == "" || !ok {
			break
		}
		u = p
	}
	return u, true
}
