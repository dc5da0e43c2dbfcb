package suggest

import "strings"

// Zone is the time zone name most likely meant by name ("Europe/Olso",
// "europe/oslo" and "Oslo" all give "Europe/Oslo"), or "" when no zone of
// Zones is close.
//
// The candidates are a fixed list, not every zone the program knows: the
// time zone database is embedded (time/tzdata) so LoadLocation works in an
// image without zoneinfo, but Go offers no way to list the names inside it,
// and reading /usr/share/zoneinfo would make the suggestion depend on the
// machine. The list holds every European zone and the usual ones elsewhere;
// its test checks that each of them loads from the embedded database.
func Zone(name string) string {
	zones := Zones()
	if z := Closest(name, zones...); z != "" {
		return z
	}
	if strings.Contains(name, "/") {
		return ""
	}
	// A city alone: match it against the part after the area.
	cities := make([]string, len(zones))
	for i, z := range zones {
		cities[i] = z[strings.LastIndex(z, "/")+1:]
	}
	c := Closest(strings.ReplaceAll(name, " ", "_"), cities...)
	for i, city := range cities {
		if c != "" && city == c {
			return zones[i]
		}
	}
	return ""
}

// Zones are the time zone names Zone suggests from.
func Zones() []string {
	return []string{
		"Europe/Oslo", "UTC", "Arctic/Longyearbyen", "Europe/Stockholm", "Europe/Copenhagen",
		"Europe/Helsinki", "Atlantic/Reykjavik", "Atlantic/Faroe", "Europe/Mariehamn",
		"Europe/Amsterdam", "Europe/Andorra", "Europe/Astrakhan", "Europe/Athens",
		"Europe/Belgrade", "Europe/Berlin", "Europe/Bratislava", "Europe/Brussels",
		"Europe/Bucharest", "Europe/Budapest", "Europe/Busingen", "Europe/Chisinau",
		"Europe/Dublin", "Europe/Gibraltar", "Europe/Guernsey", "Europe/Isle_of_Man",
		"Europe/Istanbul", "Europe/Jersey", "Europe/Kaliningrad", "Europe/Kirov", "Europe/Kyiv",
		"Europe/Lisbon", "Europe/Ljubljana", "Europe/London", "Europe/Luxembourg",
		"Europe/Madrid", "Europe/Malta", "Europe/Minsk", "Europe/Monaco", "Europe/Moscow",
		"Europe/Paris", "Europe/Podgorica", "Europe/Prague", "Europe/Riga", "Europe/Rome",
		"Europe/Samara", "Europe/San_Marino", "Europe/Sarajevo", "Europe/Saratov",
		"Europe/Simferopol", "Europe/Skopje", "Europe/Sofia", "Europe/Tallinn", "Europe/Tirane",
		"Europe/Ulyanovsk", "Europe/Vaduz", "Europe/Vatican", "Europe/Vienna", "Europe/Vilnius",
		"Europe/Volgograd", "Europe/Warsaw", "Europe/Zagreb", "Europe/Zurich",
		"America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
		"America/Toronto", "America/Sao_Paulo", "America/Mexico_City", "Asia/Tokyo",
		"Asia/Shanghai", "Asia/Kolkata", "Asia/Dubai", "Asia/Singapore", "Asia/Bangkok",
		"Australia/Sydney", "Pacific/Auckland", "Africa/Cairo", "Africa/Johannesburg",
		"Africa/Lagos", "Africa/Nairobi",
	}
}
