package demo

import (
	"math"
	"time"

	"gevinstrapport/internal/register"
)

// model describes how an indicator's unit series is generated: the level
// moves from base to goal over ramp months after the unit's go-live, after
// a short dip toward worse; noise is added on top.
type model struct {
	base, goal float64 // value units (after scale) for ratio and mean; per size unit and month for sum
	ramp       int     // months from go-live until goal is reached
	dip        float64 // how much worse the level is right at go-live (fades over 3 months)
	noise      float64 // standard deviation in value units (relative for sum in kr)
	vol        float64 // ratio: denominator per size unit and month
	stock      bool    // ratio: the denominator is a stock (population), not a monthly flow
}

// ambDef overrides or removes the generated yearly ambition of one year.
type ambDef struct {
	year      int
	target    float64
	red       *float64
	green     *float64
	revisedOn time.Time
	note      string
	drop      bool
}

// indSpec is an indicator with where and how its data are generated.
type indSpec struct {
	ind        register.Indicator
	services   []string
	m          model
	storeValue bool // ratio rows carry value = numerator/denominator × scale
	amb2026    bool // also set an ambition for 2026
	amb        []ambDef
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func monthPtr(m register.Month) *register.Month { return &m }

// Frequently used text of the demo.
const (
	adjustedNote = "Justert etter oppfølgingsmøte"
	srcClarity   = "Helseplattformen (Epic Clarity)"
	srcHelsaMi   = "HelsaMi-statistikk"
	srcSynergi   = "Synergi avvikssystem"
	srcSurvey    = "Pasient- og brukerundersøkelse"
	srcEconomy   = "Økonomisystem (regnskap)"
	srcPayroll   = "Lønns- og personalsystem"
)

// hospitalServices are all services of a hospital trust.
func hospitalServices() []string {
	return []string{svcMedical, svcSurgery, svcEmergency, svcPsychiatry, svcLab}
}

// benefitList returns the demo's benefits.
func benefitList() []register.Benefit {
	return []register.Benefit{
		{ID: "G-001", Title: "Bedre tilrettelagt pasientoppfølging ved at 30 % av konsultasjonene planlegges av pasienten selv innen 2026",
			Description: "Innbyggerne bestiller, endrer og avbestiller selv timer hos fastlegen i HelsaMi. Det frigjør tid i skranke og telefon og gir færre uteblivelser.",
			Category:    register.PatientInvolvement, OrgUnitID: "HMN", OwnerID: "P-007", Phase: register.PhaseRealise},
		{ID: "G-002", Title: "Økt tilfredshet med pasientforløpet og journalsystemet",
			Description: "Pasientene opplever et sammenhengende forløp, og de ansatte opplever journalsystemet som et godt verktøy i hverdagen.",
			Category:    register.Satisfaction, OrgUnitID: "HMN", OwnerID: "P-001", Phase: register.PhaseRealise},
		{ID: "G-003", Title: "Færre legemiddelrelaterte uønskede hendelser ved St. Olavs hospital",
			Description: "Felles legemiddelliste og strukturert legemiddelsamstemming ved innleggelse reduserer feilmedisinering.",
			Category:    register.QualitySafety, OrgUnitID: "STO", OwnerID: "P-002", Phase: register.PhaseRealise},
		{ID: "G-004", Title: "Kortare ventetid i akuttmottaka",
			Description: "Strukturert triage og felles oversikt over pasientane i mottaket skal gje raskare legevurdering.",
			Category:    register.QualitySafety, OrgUnitID: "HMN", OwnerID: "P-010", Phase: register.PhaseRealise},
		{ID: "G-005", Title: "Bedre tilgangsstyring og færre brudd på taushetsplikten",
			Description: "Rollebasert tilgang og automatisk logganalyse gjør at færre slår opp i journaler de ikke har tjenstlig behov for.",
			Category:    register.DataSecurity, OrgUnitID: "HMN", OwnerID: "P-003", Phase: register.PhaseRealise},
		{ID: "G-006", Title: "Bedre samhandling ved utskrivning mellom sykehus og kommune",
			Description: "Felles journal gjør at kommunen får beskjed i tide og kan ta imot utskrivningsklare pasienter raskere.",
			Category:    register.QualitySafety, OrgUnitID: "HMN", OwnerID: "P-009", Phase: register.PhaseRealise},
		{ID: "G-007", Title: "Reduserte kostnader til porto, papir og utskrift",
			Description: "Innkallinger, brev og epikriser sendes digitalt i stedet for på papir.",
			Category:    register.Savings, OrgUnitID: "HMN", OwnerID: "P-004", Phase: register.PhaseRealise},
		{ID: "G-008", Title: "Frigjort sykepleiertid ved slutt på dobbeltdokumentasjon",
			Description: "Målinger registreres én gang direkte i journalen. Frigjort tid brukes til pasientnært arbeid og verdsettes i kroner.",
			Category:    register.Savings, OrgUnitID: "STO", OwnerID: "P-002", Phase: register.PhaseRealise},
		{ID: "G-009", Title: "Redusert overtid i Medisinsk klinikk",
			Description: "Bedre arbeidsflyt gir mindre overtid. Besparelsen inngår allerede i gevinsten for frigjort sykepleiertid.",
			Category:    register.Savings, OrgUnitID: "STO-MED", OwnerID: "P-005", Phase: register.PhaseRealise, CountedInBenefitID: "G-008"},
		{ID: "G-010", Title: "Meir nøgde brukarar av heimetenesta i Molde",
			Description: "Brukarane får betre informasjon om besøkstider og kven som kjem, og tenesta svarar raskare på førespurnader.",
			Category:    register.Satisfaction, OrgUnitID: "1506", OwnerID: "P-011", Phase: register.PhaseRealise},
		{ID: "G-011", Title: "Raskere tilgang til prøvesvar for fastleger",
			Description: "Prøvesvar fra sykehuslaboratoriet er tilgjengelig for fastlegen samme dag. Den endelige ambisjonen er nådd, og gevinsten evalueres.",
			Category:    register.QualitySafety, OrgUnitID: "STO", OwnerID: "P-006", Phase: register.PhaseEvaluate},
		{ID: "G-012", Title: "Økt bruk av digitale innbyggertjenester i HelsaMi – timebestilling, sikre meldinger, egenregistrering av helseopplysninger og innsyn i egen journal – for innbyggerne i alle kommuner som har tatt i bruk Helseplattformen",
			Description: "Flere innbyggere bruker HelsaMi aktivt, fyller ut skjema før konsultasjonen og får svar på meldinger innen to virkedager.",
			Category:    register.PatientInvolvement, OrgUnitID: "HMN", OwnerID: "P-008", Phase: register.PhaseRealise},
	}
}

// indicatorSpecs returns the demo's indicators with their data models.
func indicatorSpecs() []indSpec {
	f := register.F
	endOf := func(y int) time.Time { return date(y, time.December, 31) }
	return []indSpec{
		{ind: register.Indicator{ID: "I-001", BenefitID: "G-001", Name: "Andel timeavtaler planlagt av pasienten i HelsaMi", Unit: "%",
			Direction: register.Up, Aggregation: register.Ratio, Frequency: register.Monthly, Decimals: 1,
			BaselineValue: f(0.1), TargetValue: f(30), TargetDate: endOf(2026), MinDenominator: f(30), DataSource: srcHelsaMi},
			services: []string{svcGP}, m: model{base: 0.1, goal: 21, ramp: 30, noise: 0.8, vol: 4000}, amb2026: true,
			amb: []ambDef{
				{year: 2023, target: 5},
				{year: 2024, target: 10, red: f(5), green: f(10)},
				{year: 2025, target: 20, red: f(10), green: f(20), revisedOn: date(2025, time.March, 12), note: adjustedNote},
				{year: 2026, target: 30},
			}},
		{ind: register.Indicator{ID: "I-002", BenefitID: "G-012", Name: "Andel pasienter som fyller ut digitalt skjema før konsultasjon", Unit: "%",
			Direction: register.Up, Aggregation: register.Ratio, Frequency: register.Quarterly, Decimals: 1,
			BaselinePeriod: monthPtr(register.MonthOf(2023, time.January)), TargetValue: f(40), TargetDate: endOf(2027), DataSource: srcClarity},
			services: []string{svcMedical, svcSurgery, svcPsychiatry}, m: model{base: 12, goal: 36, ramp: 24, noise: 1.5, vol: 900}, storeValue: true},
		{ind: register.Indicator{ID: "I-003", BenefitID: "G-002", Name: "Pasienttilfredshet etter utskrivning (skala 1–5)", Unit: "poeng",
			Direction: register.Up, Aggregation: register.Mean, Frequency: register.Quarterly, Decimals: 2,
			BaselineValue: f(4.12), TargetValue: f(4.4), TargetDate: endOf(2026), DataSource: srcSurvey},
			services: []string{svcMedical, svcSurgery}, m: model{base: 4.12, goal: 4.12, ramp: 1, noise: 0.04}},
		{ind: register.Indicator{ID: "I-004", BenefitID: "G-002", Name: "Andel ansatte som er fornøyd med journalsystemet", Unit: "%",
			Direction: register.Up, Aggregation: register.Ratio, Frequency: register.Yearly, Decimals: 0,
			BaselineValue: f(38), TargetValue: f(60), TargetDate: endOf(2027), DataSource: "Medarbeiderundersøkelsen"},
			services: []string{svcMedical, svcSurgery, svcEmergency, svcPsychiatry, svcLab, svcHomeCare, svcNursing, svcGP},
			m:        model{base: 38, goal: 57, ramp: 30, dip: 12, noise: 3, vol: 10}, storeValue: true, amb2026: true},
		{ind: register.Indicator{ID: "I-005", BenefitID: "G-003", Name: "Legemiddelrelaterte uønskede hendelser per 1000 innleggelser", Unit: "per 1000 innleggelser",
			Direction: register.Down, Aggregation: register.Ratio, Frequency: register.Monthly, Decimals: 2, Scale: f(1000),
			BaselineValue: f(4.8), TargetValue: f(2.5), TargetDate: endOf(2026), MinDenominator: f(50), DataSource: srcSynergi},
			services: []string{svcMedical, svcSurgery, svcEmergency, svcPsychiatry}, m: model{base: 4.8, goal: 2.9, ramp: 30, dip: 0.6, noise: 0.3, vol: 1400}, amb2026: true},
		{ind: register.Indicator{ID: "I-006", BenefitID: "G-003", Name: "Andel innleggelser med legemiddelsamstemming innen 24 timer", Unit: "%",
			Direction: register.Up, Aggregation: register.Ratio, Frequency: register.Monthly, Decimals: 1,
			BaselineValue: f(42), TargetValue: f(85), TargetDate: endOf(2026), DataSource: srcClarity},
			services: []string{svcMedical, svcSurgery, svcPsychiatry}, m: model{base: 42, goal: 78, ramp: 24, noise: 2, vol: 1200}, storeValue: true,
			amb: []ambDef{{year: 2025, target: 75, red: f(80), green: f(75)}}},
		{ind: register.Indicator{ID: "I-007", BenefitID: "G-004", Name: "Tid frå ankomst til første legevurdering i akuttmottaket", Unit: "minutter",
			Direction: register.Down, Aggregation: register.Mean, Frequency: register.Monthly, Decimals: 0,
			BaselineValue: f(38), TargetValue: f(25), TargetDate: endOf(2026), DataSource: srcClarity},
			services: []string{svcEmergency}, m: model{base: 38, goal: 64, ramp: 60, noise: 0.6}, amb2026: true,
			amb: []ambDef{{year: 2025, target: 34, revisedOn: date(2025, time.June, 20), note: adjustedNote + ": ny bemanningsplan i akuttmottaka"}}},
		{ind: register.Indicator{ID: "I-008", BenefitID: "G-006", Name: "Andel epikriser sendt innen én dag etter utskrivning", Unit: "%",
			Direction: register.Up, Aggregation: register.Ratio, Frequency: register.Monthly, Decimals: 1,
			BaselineValue: f(61), TargetValue: f(90), TargetDate: endOf(2025), DataSource: srcClarity},
			services: []string{svcMedical, svcSurgery, svcPsychiatry}, m: model{base: 61, goal: 84, ramp: 20, dip: 8, noise: 2, vol: 1100}, storeValue: true,
			amb: []ambDef{{year: 2025, target: 85, red: f(75), green: f(85)}}},
		{ind: register.Indicator{ID: "I-009", BenefitID: "G-005", Name: "Bekreftede tilfeller av urettmessig oppslag i journal", Unit: "antall",
			Direction: register.Down, Aggregation: register.Sum, Frequency: register.Monthly, Decimals: 0,
			BaselineValue: f(140), TargetValue: f(60), TargetDate: endOf(2026), DataSource: srcSynergi},
			services: hospitalServices(), m: model{base: 0.75, goal: 0.3, ramp: 18}, amb2026: true},
		{ind: register.Indicator{ID: "I-010", BenefitID: "G-005", Name: "Andel ansatte som har gjennomført e-læring i informasjonssikkerhet", Unit: "%",
			Direction: register.Up, Aggregation: register.Ratio, Frequency: register.Yearly, Decimals: 1,
			BaselineValue: f(55), TargetValue: f(95), TargetDate: endOf(2025), DataSource: "Kompetanseportalen"},
			services: []string{svcMedical, svcSurgery, svcEmergency, svcPsychiatry, svcLab, svcHomeCare, svcNursing, svcGP},
			m:        model{base: 55, goal: 88, ramp: 24, noise: 2, vol: 15}, storeValue: true},
		{ind: register.Indicator{ID: "I-011", BenefitID: "G-005", Name: "Tid til lukking av sikkerhetsavvik", Unit: "dager",
			Direction: register.Down, Aggregation: register.Mean, Frequency: register.Quarterly, Decimals: 1,
			BaselineValue: f(21), TargetValue: f(10), TargetDate: endOf(2026), DataSource: srcSynergi},
			services: []string{svcMedical, svcSurgery}, m: model{base: 21, goal: 12, ramp: 24, noise: 1.5}},
		{ind: register.Indicator{ID: "I-012", BenefitID: "G-006", Name: "Andel pleie- og omsorgsmeldinger besvart innen fristen", Unit: "%",
			Direction: register.Up, Aggregation: register.Ratio, Frequency: register.Monthly, Decimals: 1,
			BaselineValue: f(72), TargetValue: f(95), TargetDate: endOf(2026), MinDenominator: f(20), DataSource: srcClarity},
			services: []string{svcHomeCare, svcNursing}, m: model{base: 72, goal: 91, ramp: 18, noise: 1.5, vol: 100}, storeValue: true, amb2026: true,
			amb: []ambDef{{year: 2024, target: 82, revisedOn: date(2024, time.September, 2), note: adjustedNote}}},
		{ind: register.Indicator{ID: "I-013", BenefitID: "G-006", Name: "Utskrivningsklare pasientdøgn på sykehus", Unit: "dager",
			Direction: register.Down, Aggregation: register.Sum, Frequency: register.Monthly, Decimals: 0,
			BaselineValue: f(7900), TargetValue: f(4500), TargetDate: endOf(2027), DataSource: "Kommunalt fagsystem (KPR)"},
			services: []string{svcKommune}, m: model{base: 45, goal: 28, ramp: 24}},
		{ind: register.Indicator{ID: "I-014", BenefitID: "G-007", Name: "Sparte kostnader til porto, papir og utskrift", Unit: "kr",
			Direction: register.Up, Aggregation: register.Sum, Frequency: register.Monthly, Decimals: 0,
			BaselineValue: f(0), TargetValue: f(10000000), TargetDate: endOf(2027), DataSource: srcEconomy},
			services: hospitalServices(), m: model{base: 0, goal: 45000, ramp: 24, noise: 0.08}, amb2026: true,
			amb: []ambDef{
				{year: 2023, target: 3000000},
				{year: 2024, target: 5500000},
				{year: 2025, target: 7624000, red: f(5000000), green: f(7624000)},
				{year: 2026, target: 9000000},
			}},
		{ind: register.Indicator{ID: "I-015", BenefitID: "G-008", Name: "Verdien av frigjort sykepleiertid", Unit: "kr",
			Direction: register.Up, Aggregation: register.Sum, Frequency: register.Quarterly, Decimals: 0,
			BaselineValue: f(0), TargetValue: f(6000000), TargetDate: endOf(2026), DataSource: srcPayroll},
			services: []string{svcMedical, svcSurgery}, m: model{base: 0, goal: 160000, ramp: 30, noise: 0.1}, amb2026: true},
		{ind: register.Indicator{ID: "I-016", BenefitID: "G-008", Name: "Tid brukt på dokumentasjon per pasientdøgn", Unit: "minutter",
			Direction: register.Down, Aggregation: register.Mean, Frequency: register.Monthly, Decimals: 1,
			BaselineValue: f(52), TargetValue: f(40), TargetDate: endOf(2026), DataSource: "Tidsstudie og loggdata fra Helseplattformen"},
			services: []string{svcMedical, svcSurgery, svcPsychiatry}, m: model{base: 52, goal: 43, ramp: 24, dip: 6, noise: 1.5}},
		{ind: register.Indicator{ID: "I-017", BenefitID: "G-009", Name: "Reduserte overtidskostnader", Unit: "kr",
			Direction: register.Up, Aggregation: register.Sum, Frequency: register.Monthly, Decimals: 0,
			BaselineValue: f(0), TargetValue: f(1200000), TargetDate: endOf(2026), DataSource: srcPayroll},
			services: []string{svcMedical}, m: model{base: 0, goal: 60000, ramp: 24, noise: 0.15}},
		{ind: register.Indicator{ID: "I-018", BenefitID: "G-010", Name: "Del brukarar som er nøgde med heimetenesta", Unit: "%",
			Direction: register.Up, Aggregation: register.Ratio, Frequency: register.Yearly, Decimals: 0,
			BaselineValue: f(78), TargetValue: f(90), TargetDate: endOf(2027), DataSource: srcSurvey},
			services: []string{svcHomeCare}, m: model{base: 78, goal: 86, ramp: 24, noise: 2, vol: 20}, storeValue: true},
		{ind: register.Indicator{ID: "I-019", BenefitID: "G-010", Name: "Talet på klager på heimetenesta", Unit: "antall",
			Direction: register.Down, Aggregation: register.Sum, Frequency: register.Quarterly, Decimals: 0,
			BaselineValue: f(40), TargetValue: f(20), TargetDate: endOf(2026), DataSource: "Sak/arkiv (klagesaker)"},
			services: []string{svcKommune}, m: model{base: 2.1, goal: 0.9, ramp: 18},
			amb: []ambDef{{year: 2023, target: 35}, {year: 2024, target: 30}, {year: 2025, drop: true}}},
		{ind: register.Indicator{ID: "I-020", BenefitID: "G-011", Name: "Andel laboratoriesvar tilgjengelig for fastlegen samme dag", Unit: "%",
			Direction: register.Up, Aggregation: register.Ratio, Frequency: register.Monthly, Decimals: 1,
			BaselineValue: f(64), TargetValue: f(90), TargetDate: endOf(2025), DataSource: srcClarity},
			services: []string{svcLab}, m: model{base: 64, goal: 93, ramp: 18, noise: 0.8, vol: 20000}, storeValue: true,
			amb: []ambDef{{year: 2025, target: 90, red: f(85), green: f(90)}}},
		{ind: register.Indicator{ID: "I-021", BenefitID: "G-012", Name: "Aktive brukere av HelsaMi per 1000 innbyggere", Unit: "per 1000 innbyggere",
			Direction: register.Up, Aggregation: register.Ratio, Frequency: register.Monthly, Decimals: 0, Scale: f(1000),
			BaselineValue: f(45), TargetValue: f(400), TargetDate: endOf(2027), DataSource: srcHelsaMi},
			services: []string{svcKommune}, m: model{base: 45, goal: 330, ramp: 36, noise: 4, vol: 20000, stock: true}, amb2026: true},
		{ind: register.Indicator{ID: "I-022", BenefitID: "G-012", Name: "Andel meldinger fra innbyggere besvart innen to virkedager", Unit: "%",
			Direction: register.Up, Aggregation: register.Ratio, Frequency: register.Monthly, Decimals: 1,
			BaselineValue: f(70), TargetValue: f(90), TargetDate: endOf(2026), MinDenominator: f(20), DataSource: srcHelsaMi},
			services: []string{svcGP}, m: model{base: 70, goal: 87, ramp: 18, noise: 1.5, vol: 600}, storeValue: true},
	}
}

// ambitions returns the yearly ambitions of s: a straight path from the
// baseline to the final ambition for 2023 up to the target year (2025 at
// most, 2026 too when s.amb2026), with s.amb applied on top.
func ambitions(s indSpec) []register.Ambition {
	ind := s.ind
	base := s.m.base
	if ind.BaselineValue != nil {
		base = *ind.BaselineValue
	}
	targetYear := ind.TargetDate.Year()
	last := min(targetYear, 2025)
	if s.amb2026 && targetYear >= 2026 {
		last = 2026
	}
	var out []register.Ambition
	for y := 2023; y <= last; y++ {
		a := register.Ambition{IndicatorID: ind.ID, Year: y}
		a.Target = roundTo(base+(*ind.TargetValue-base)*float64(y-2022)/float64(targetYear-2022), ind)
		drop := false
		for _, d := range s.amb {
			if d.year != y {
				continue
			}
			drop = d.drop
			a.Target, a.RedLimit, a.GreenLimit, a.RevisedOn, a.Note = d.target, d.red, d.green, d.revisedOn, d.note
		}
		if !drop {
			out = append(out, a)
		}
	}
	return out
}

// roundTo rounds an ambition the way a coordinator would write it: to the
// indicator's decimals, and kroner to whole thousands.
func roundTo(v float64, ind register.Indicator) float64 {
	if ind.Unit == "kr" {
		return math.Round(v/1000) * 1000
	}
	p := math.Pow(10, float64(ind.Decimals))
	return math.Round(v*p) / p
}

// changeActions returns the benefits realisation plan of the demo.
func changeActions() []register.ChangeAction {
	type a = register.ChangeAction
	const (
		planned     = register.ActionPlanned
		inProgress  = register.ActionInProgress
		implemented = register.ActionImplemented
		cancelled   = register.ActionCancelled
	)
	return []register.ChangeAction{
		{ID: "A-001", BenefitID: "G-001", Title: "Opplæring av legekontorene i å åpne timer for selvbooking i HelsaMi", Responsible: "Kari Brøndbo",
			DueDate: date(2023, time.June, 30), Status: implemented, CompletedOn: date(2023, time.June, 15)},
		{ID: "A-002", BenefitID: "G-001", Title: "Informasjonskampanje til innbyggerne om timebestilling i HelsaMi", Responsible: "Jørgen Hårstad",
			DueDate: date(2025, time.June, 30), Status: inProgress, Note: "Forsinket: venter på ny nettside"},
		{ID: "A-003", BenefitID: "G-001", Title: "Standard timebøker med selvbooking for kontrolltimer", Responsible: "Kari Brøndbo",
			DueDate: date(2025, time.December, 31), Status: planned},
		{ID: "A-004", BenefitID: "G-003", Title: "Strukturert legemiddelsamstemming ved innleggelse", Responsible: "Håkon Østby",
			DueDate: date(2023, time.March, 31), Status: implemented, CompletedOn: date(2023, time.April, 20)},
		{ID: "A-005", BenefitID: "G-003", Title: "Lukket legemiddelsløyfe med strekkodeskanning på sengepostene", Responsible: "Anders Fjærli",
			DueDate: date(2025, time.August, 31), Status: inProgress},
		{ID: "A-006", BenefitID: "G-004", Title: "Ny triageflyt i akuttmottaka", Responsible: "Synnøve Hjelle",
			DueDate: date(2024, time.December, 31), Status: inProgress},
		{ID: "A-007", BenefitID: "G-004", Title: "Eigen legeressurs til triage på kveldstid", Responsible: "Ragnhild Hæreid",
			DueDate: date(2025, time.March, 31), Status: planned},
		{ID: "A-008", BenefitID: "G-004", Title: "Pilot med eige løp for lettare skadar", Responsible: "Tone Skjølsvik",
			DueDate: date(2024, time.June, 30), Status: cancelled, Note: "Erstatta av A-006"},
		{ID: "A-009", BenefitID: "G-005", Title: "Automatisk logganalyse av journaloppslag", Responsible: "Marit Kvåle",
			DueDate: date(2024, time.March, 31), Status: implemented, CompletedOn: date(2024, time.May, 2)},
		{ID: "A-010", BenefitID: "G-005", Title: "Årlig e-læring i informasjonssikkerhet for alle ansatte", Responsible: "Marit Kvåle",
			DueDate: date(2025, time.December, 31), Status: inProgress},
		{ID: "A-011", BenefitID: "G-006", Title: "Felles rutine for pleie- og omsorgsmeldinger mellom kommune og sykehus", Responsible: "Siri Aasen",
			DueDate: date(2023, time.September, 30), Status: implemented, CompletedOn: date(2023, time.October, 10)},
		{ID: "A-012", BenefitID: "G-006", Title: "Daglig tavlemøte om utskrivningsklare pasienter",
			DueDate: date(2025, time.May, 31), Status: planned, Note: "Ansvarlig ikke avklart"},
		{ID: "A-013", BenefitID: "G-007", Title: "Digital utsending av innkallingsbrev via Helsenorge", Responsible: "Eirik Lønø",
			DueDate: date(2023, time.January, 31), Status: implemented, CompletedOn: date(2023, time.February, 14)},
		{ID: "A-014", BenefitID: "G-007", Title: "Avvikle lokale skrivere på poliklinikkene", Responsible: "Eirik Lønø",
			DueDate: date(2025, time.October, 31), Status: inProgress},
		{ID: "A-015", BenefitID: "G-008", Title: "Fjerne parallell papirdokumentasjon på sengepostene", Responsible: "Håkon Østby",
			DueDate: date(2023, time.December, 31), Status: implemented, CompletedOn: date(2023, time.November, 30)},
		{ID: "A-016", BenefitID: "G-008", Title: "Talegjenkjenning i sykepleiedokumentasjonen", Responsible: "Håkon Østby",
			DueDate: date(2026, time.June, 30), Status: planned},
		{ID: "A-017", BenefitID: "G-009", Title: "Strukturert vaktplanlegging i Medisinsk klinikk", Responsible: "Solveig Bjørgum",
			DueDate: date(2024, time.February, 29), Status: implemented, CompletedOn: date(2024, time.March, 1)},
		{ID: "A-018", BenefitID: "G-010", Title: "Digital tilbakemelding frå brukarane etter besøk", Responsible: "Kjellaug Rønningen",
			DueDate: date(2025, time.April, 30), Status: inProgress},
		{ID: "A-019", BenefitID: "G-011", Title: "Automatisk utsending av prøvesvar til fastlegen", Responsible: "Sarah Mitchell",
			DueDate: date(2023, time.October, 31), Status: implemented, CompletedOn: date(2023, time.October, 24)},
		{ID: "A-020", BenefitID: "G-012", Title: "HelsaMi-ambassadører på legekontor og servicetorg", Responsible: "Jørgen Hårstad",
			DueDate: date(2024, time.November, 30), Status: implemented, CompletedOn: date(2024, time.December, 12)},
		{ID: "A-021", BenefitID: "G-012", Title: "Varsling om svarfrist for meldinger fra innbyggere", Responsible: "Jon Petter Jåma",
			DueDate: date(2025, time.August, 15), Status: planned},
		{ID: "A-022", BenefitID: "G-002", Title: "Digital utskrivningssamtale med oppsummering i HelsaMi", Responsible: "Ingrid Sæther",
			DueDate: date(2025, time.December, 31), Status: inProgress},
	}
}
