package report

import (
	"testing"
	"time"

	"gevinstrapport/internal/register"
	"gevinstrapport/templates"
)

func loadCatalogs(t *testing.T) Catalogs {
	t.Helper()
	cats, err := LoadCatalogs(templates.FS)
	if err != nil {
		t.Fatalf("load catalogues: %v", err)
	}
	return cats
}

func TestNumber(t *testing.T) {
	cats := loadCatalogs(t)
	tests := []struct {
		name     string
		lang     string
		v        float64
		decimals int
		want     string
	}{
		{"nb one decimal", "nb", 10, 1, "10,0"},
		{"nb thousands", "nb", 7624000, 0, "7\u00a0624\u00a0000"},
		{"nb four digits", "nb", 1234.5, 1, "1\u00a0234,5"},
		{"nb negative", "nb", -3.2, 1, "\u22123,2"},
		{"nb zero", "nb", 0, 1, "0,0"},
		{"nb negative rounds to zero", "nb", -0.04, 1, "0,0"},
		{"nb half rounds away from zero", "nb", 0.15, 1, "0,2"},
		{"nb negative half", "nb", -2.25, 1, "\u22122,3"},
		{"nb small", "nb", 0.1, 1, "0,1"},
		{"nb no decimals rounds", "nb", 44.5, 0, "45"},
		{"nb negative decimals count as zero", "nb", 12.6, -1, "13"},
		{"nn like nb", "nn", -1234567.891, 2, "\u22121\u00a0234\u00a0567,89"},
		{"en decimal point", "en", 10, 1, "10.0"},
		{"en thousands", "en", 7624000, 0, "7,624,000"},
		{"en negative", "en", -3.2, 1, "-3.2"},
		{"unknown language falls back to nb", "sv", 1.5, 1, "1,5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cats.For(tt.lang).Number(tt.v, tt.decimals); got != tt.want {
				t.Errorf("Number(%v, %d) = %q, want %q", tt.v, tt.decimals, got, tt.want)
			}
		})
	}
}

func TestValue(t *testing.T) {
	cats := loadCatalogs(t)
	tests := []struct {
		name     string
		lang     string
		v        float64
		unit     string
		decimals int
		want     string
	}{
		{"percent", "nb", 10, "%", 1, "10,0\u00a0%"},
		{"kroner", "nb", 7624000, "kr", 0, "7\u00a0624\u00a0000\u00a0kr"},
		{"minutes", "nn", 12.5, "min", 1, "12,5\u00a0min"},
		{"no unit", "nb", 3, "", 0, "3"},
		{"english percent", "en", 10, "%", 1, "10.0\u00a0%"},
		{"english kroner", "en", 7624000, "kr", 0, "7,624,000\u00a0kr"},
		{"not a number", "nb", nanValue(), "%", 1, "–"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cats.For(tt.lang).Value(tt.v, tt.unit, tt.decimals); got != tt.want {
				t.Errorf("Value = %q, want %q", got, tt.want)
			}
		})
	}
}

func nanValue() float64 {
	zero := 0.0
	return zero / zero
}

func TestPercentAndIndicatorValue(t *testing.T) {
	cats := loadCatalogs(t)
	nb := cats.For("nb")
	if got, want := nb.Percent(0.4512), "45\u00a0%"; got != want {
		t.Errorf("Percent = %q, want %q", got, want)
	}
	if got, want := nb.Percent(-0.1), "\u221210\u00a0%"; got != want {
		t.Errorf("Percent negative = %q, want %q", got, want)
	}
	ind := register.Indicator{Unit: "%", Decimals: 1}
	if got := nb.IndicatorValue(ind, nil); got != Missing {
		t.Errorf("IndicatorValue(nil) = %q, want %q", got, Missing)
	}
	if got, want := nb.IndicatorValue(ind, register.F(25)), "25,0\u00a0%"; got != want {
		t.Errorf("IndicatorValue = %q, want %q", got, want)
	}
}

func TestDatesAndPeriods(t *testing.T) {
	cats := loadCatalogs(t)
	sep := register.MonthOf(2025, time.September)
	oct3 := time.Date(2025, time.October, 3, 6, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		lang string
		got  func(c *Catalog) string
		want string
	}{
		{"nb month", "nb", func(c *Catalog) string { return c.Month(sep) }, "september 2025"},
		{"nn month", "nn", func(c *Catalog) string { return c.Month(register.MonthOf(2025, time.May)) }, "mai 2025"},
		{"en month", "en", func(c *Catalog) string { return c.Month(sep) }, "September 2025"},
		{"nb date", "nb", func(c *Catalog) string { return c.Date(oct3) }, "3. oktober 2025"},
		{"nn date", "nn", func(c *Catalog) string { return c.Date(oct3) }, "3. oktober 2025"},
		{"en date", "en", func(c *Catalog) string { return c.Date(oct3) }, "3 October 2025"},
		{"nb quarter", "nb", func(c *Catalog) string { return c.Period(sep, register.Quarterly) }, "3. kvartal 2025"},
		{"en quarter", "en", func(c *Catalog) string { return c.Period(sep, register.Quarterly) }, "Q3 2025"},
		{"year", "nb", func(c *Catalog) string { return c.Period(sep, register.Yearly) }, "2025"},
		{"monthly period", "nb", func(c *Catalog) string { return c.Period(sep, register.Monthly) }, "september 2025"},
		{"short month", "nb", func(c *Catalog) string { return c.MonthShort(register.MonthOf(2024, time.January)) }, "jan. 24"},
		{"short month 2000s", "en", func(c *Catalog) string { return c.MonthShort(register.MonthOf(2005, time.May)) }, "May 05"},
		{"nb trend", "nb", func(c *Catalog) string { return c.Trend(register.Improving) }, "Bedring"},
		{"nb empty trend", "nb", func(c *Catalog) string { return c.Trend("") }, "Ukjent"},
		{"nn trend", "nn", func(c *Catalog) string { return c.Trend(register.Worsening) }, "Forverring"},
		{"nb status", "nb", func(c *Catalog) string { return c.Status(register.NoData) }, "Mangler data"},
		{"nn status red", "nn", func(c *Catalog) string { return c.Status(register.Red) }, "Raud"},
		{"nn status green", "nn", func(c *Catalog) string { return c.Status(register.Green) }, "Grøn"},
		{"nn suppressed", "nn", func(c *Catalog) string { return c.Status(register.Suppressed) }, "Prikka"},
		{"nn no ambition", "nn", func(c *Catalog) string { return c.Status(register.NoAmbition) }, "Inga ambisjon"},
		{"en no data", "en", func(c *Catalog) string { return c.Status(register.NoData) }, "No data"},
		{"nb category", "nb", func(c *Catalog) string { return c.Category(register.QualitySafety) }, "Pasientsikkerhet og kvalitet"},
		{"nn title", "nn", func(c *Catalog) string { return c.T("title.owner") }, "Månadsrapport – gevinstrealisering"},
		{"missing key shows", "nb", func(c *Catalog) string { return c.T("no.such.key") }, "[no.such.key]"},
		{"placeholders", "nb", func(c *Catalog) string { return c.T("kf.per", "period", "mars 2025") }, "per mars 2025"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.got(cats.For(tt.lang)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
