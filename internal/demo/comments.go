package demo

import (
	"time"

	"gevinstrapport/internal/register"
)

// comments are the owners' own words in the demo (table commentary): for
// September 2025 on indicators the steering pack asks about (I-006, I-007,
// I-008), on G-001 as a whole, older ones that the reports mark as such
// (G-006 in July, G-010 in August) and December 2024's for the 2024 annual
// report. They are text only: no evaluated figure depends on them.
func comments() []register.Comment {
	sep, aug, jul := register.MonthOf(2025, time.September), register.MonthOf(2025, time.August), register.MonthOf(2025, time.July)
	dec24 := register.MonthOf(2024, time.December)
	on := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	return []register.Comment{
		{BenefitID: "G-001", Period: sep, AuthorID: "P-007", WrittenOn: on(2025, time.October, 1),
			Text: "Andelen timer pasientene planlegger selv, øker jevnt i alle helseforetakene. " +
				"Fastlegekontorene i Trondheim henger etter fordi de tok i bruk timebestilling først i vår, " +
				"og Snåase – Snåsa og de andre kommunene i nord kom i gang først i august.\n\n" +
				"Vi følger opp med en kampanje i HelsaMi i oktober og ser på resultatene i neste rapport."},
		{BenefitID: "G-003", IndicatorID: "I-006", Period: sep, AuthorID: "P-002", WrittenOn: on(2025, time.October, 2),
			Text: "Tersklene for 2025 er registrert feil: rød grense står over grønn. " +
				"Riktige verdier legges inn før styringsgruppemøtet i oktober."},
		{BenefitID: "G-004", IndicatorID: "I-007", Period: sep, AuthorID: "P-010", WrittenOn: on(2025, time.October, 2),
			Text: "Ventetida aukar framleis. Akuttmottaka har hatt fleire pasientar enn venta, " +
				"og triagering i Helseplattformen tek lengre tid enn på papir.\n\n" +
				"Vi prøver ut ny arbeidsflyt for triagering ved Molde sjukehus frå november."},
		{BenefitID: "G-006", Period: jul, AuthorID: "P-009", WrittenOn: on(2025, time.August, 4),
			Text: "Sommerferien ga færre meldinger besvart innen fristen i kommunene. Vi venter bedring fra august."},
		{BenefitID: "G-006", IndicatorID: "I-008", Period: sep, AuthorID: "P-009", WrittenOn: on(2025, time.October, 1),
			Text: "Epikrisene blir liggende til godkjenning hos lege. Den endelige ambisjonen på 90 % ved utgangen av året nås ikke.\n\n" +
				"Fra november godkjenner overlegen epikrisen ved utskrivning, og vi foreslår å flytte fristen til 2026."},
		{BenefitID: "G-008", IndicatorID: "I-015", Period: dec24, AuthorID: "P-002", WrittenOn: on(2025, time.January, 6),
			Text: "Frigjort tid i 2024 er regnet med lønnssatsen for sykepleiere før lønnsoppgjøret. Tiden er brukt på pasientnært arbeid."},
		{BenefitID: "G-010", Period: aug, AuthorID: "P-011",
			Text: "Spørjeundersøkinga for andre halvår blir send ut i november. Til da har vi ingen nye tal å vise til."},
	}
}
