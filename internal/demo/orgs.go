package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"gevinstrapport/internal/register"
)

// Services a measuring site provides; indicators name the services they are
// measured on.
const (
	svcMedical    = "med"     // medical clinic
	svcSurgery    = "kir"     // surgical clinic
	svcEmergency  = "akm"     // emergency department
	svcPsychiatry = "psy"     // mental health
	svcLab        = "lab"     // laboratory medicine
	svcHomeCare   = "hjt"     // municipal home care
	svcNursing    = "shj"     // nursing home
	svcGP         = "leg"     // GP offices
	svcKommune    = "kommune" // the municipality itself (population figures)
)

// Demo go-live dates of Helseplattformen per organisation (illustrative).
const (
	goLiveTrondheim = register.Month(2022*12 + 10) // 2022-11
	goLiveNord      = register.Month(2023*12 + 4)  // 2023-05
	goLiveMore      = register.Month(2023*12 + 10) // 2023-11
)

// site is an org unit that reports measurements.
type site struct {
	id     string
	svc    string
	size   float64 // volume relative to a typical unit; population / 20 000 for municipal sites
	goLive register.Month
	leader string // person id of the unit's leader, the benefit holder
}

// orgs is the organisation tree with its people and measuring sites.
type orgs struct {
	units  []register.OrgUnit
	people []register.Person
	parent map[string]string
	sites  []site
	emails map[string]bool
}

func (o *orgs) addUnit(id, name string, kind register.OrgKind, parent string) {
	o.units = append(o.units, register.OrgUnit{ID: id, Name: name, Kind: kind, ParentID: parent})
	o.parent[id] = parent
}

// addPerson registers a person; an empty email stays empty only when
// noEmail is set, otherwise an address is derived from the name.
func (o *orgs) addPerson(id, name, lang string, noEmail bool) {
	email := ""
	if !noEmail {
		email = o.uniqueEmail(name)
	}
	o.people = append(o.people, register.Person{ID: id, Name: name, Email: email, Language: lang})
}

func (o *orgs) uniqueEmail(name string) string {
	r := strings.NewReplacer("æ", "ae", "ø", "o", "å", "aa", "Æ", "ae", "Ø", "o", "Å", "aa", "é", "e", " ", ".", "-", ".")
	local := r.Replace(strings.ToLower(name))
	email := local + "@example.no"
	for n := 2; o.emails[email]; n++ {
		email = fmt.Sprintf("%s%d@example.no", local, n)
	}
	o.emails[email] = true
	return email
}

// inScope reports whether unit id is root or lies below it.
func (o *orgs) inScope(id, root string) bool {
	for id != "" {
		if id == root {
			return true
		}
		id = o.parent[id]
	}
	return false
}

type personDef struct {
	id, name, lang string
}

type unitDef struct {
	suffix, name, svc string
	leader            personDef // leader.name empty: leader.id is an existing person
	noEmail           bool
}

type hfDef struct {
	id, name string
	size     float64
	goLive   register.Month
	lang     string
	units    []unitDef
}

type kommuneDef struct {
	id, name string
	pop      float64
	goLive   register.Month
	head     personDef
	units    []unitDef
}

// owners are the benefit owners, in person id order.
func owners() []personDef {
	return []personDef{
		{"P-001", "Ingrid Sæther", "nb"},
		{"P-002", "Håkon Østby", "nb"},
		{"P-003", "Marit Kvåle", "nb"},
		{"P-004", "Eirik Lønø", "nb"},
		{"P-005", "Solveig Bjørgum", "nb"},
		{"P-006", "Sarah Mitchell", "en"},
		{"P-007", "Kari Brøndbo", "nb"},
		{"P-008", "Jørgen Hårstad", "nb"},
		{"P-009", "Siri Aasen", "nb"},
		{"P-010", "Ragnhild Hæreid", "nn"},
		{"P-011", "Torstein Øyen", "nn"},
	}
}

func smallHFs() []hfDef {
	return []hfDef{
		{id: "STO", name: "St. Olavs hospital HF", size: 1.6, goLive: goLiveTrondheim, lang: "nb", units: []unitDef{
			{"MED", "Medisinsk klinikk St. Olav", svcMedical, personDef{id: "P-005"}, false},
			{"KIR", "Kirurgisk klinikk St. Olav", svcSurgery, personDef{"P-012", "Anders Fjærli", "nb"}, false},
			{"AKM", "Akuttmottak St. Olav", svcEmergency, personDef{"P-013", "Tone Skjølsvik", "nb"}, false},
			{"PSY", "Klinikk for psykisk helsevern St. Olav", svcPsychiatry, personDef{"P-014", "Mathias Ørnes", "nb"}, false},
			{"LAB", "Klinikk for laboratoriemedisin St. Olav", svcLab, personDef{id: "P-006"}, false},
		}},
		{id: "HMR", name: "Helse Møre og Romsdal HF", size: 1.1, goLive: goLiveMore, lang: "nn", units: []unitDef{
			{"MED", "Medisinsk klinikk Ålesund sjukehus", svcMedical, personDef{"P-015", "Astrid Gjære", "nn"}, false},
			{"KIR", "Kirurgisk klinikk Ålesund sjukehus", svcSurgery, personDef{"P-016", "Oddbjørn Vågø", "nn"}, false},
			{"AKM", "Akuttmottaket Molde sjukehus", svcEmergency, personDef{"P-017", "Synnøve Hjelle", "nn"}, false},
			{"PSY", "Klinikk for psykisk helse og rus Kristiansund", svcPsychiatry, personDef{"P-018", "Eldbjørg Myklebust", "nn"}, false},
		}},
		{id: "HNT", name: "Helse Nord-Trøndelag HF", size: 0.8, goLive: goLiveNord, lang: "nb", units: []unitDef{
			{"MED", "Medisinsk klinikk Levanger", svcMedical, personDef{"P-019", "Guro Sørli", "nb"}, false},
			{"KIR", "Kirurgisk klinikk Namsos", svcSurgery, personDef{"P-020", "Per Arne Lyngstad", "nb"}, false},
			{"AKM", "Akuttmottak Levanger", svcEmergency, personDef{"P-021", "Linn Kværnmo", "nb"}, false},
			{"PSY", "Klinikk for psykisk helsevern Namsos", svcPsychiatry, personDef{"P-022", "Bård Steinsvik", "nb"}, false},
		}},
	}
}

func smallKommuner() []kommuneDef {
	return []kommuneDef{
		{id: "5001", name: "Trondheim kommune", pop: 214565, goLive: goLiveTrondheim, head: personDef{id: "P-007"}, units: []unitDef{
			{"HJT", "Hjemmetjenesten i Trondheim", svcHomeCare, personDef{"P-023", "Hilde Røstad", "nb"}, false},
			{"SHJ", "Sykehjemmene i Trondheim", svcNursing, personDef{"P-024", "Knut Åsgård", "nb"}, false},
			{"LEG", "Fastlegekontorene i Trondheim", svcGP, personDef{id: "P-008"}, false},
		}},
		{id: "1506", name: "Molde kommune", pop: 32400, goLive: goLiveMore, head: personDef{id: "P-011"}, units: []unitDef{
			{"HJT", "Heimetenesta i Molde", svcHomeCare, personDef{"P-025", "Kjellaug Rønningen", "nn"}, false},
			{"SHJ", "Sjukeheimane i Molde", svcNursing, personDef{"P-026", "Ivar Bjørdal", "nn"}, false},
			{"LEG", "Legekontora i Molde", svcGP, personDef{"P-027", "Jorunn Sæbø", "nn"}, false},
		}},
		{id: "1505", name: "Kristiansund kommune", pop: 24300, goLive: goLiveMore, head: personDef{"P-028", "Bente Hoem", "nn"}, units: []unitDef{
			{"HJT", "Hjemmetjenesten i Kristiansund", svcHomeCare, personDef{"P-029", "Arild Vullum", "nn"}, false},
			{"SHJ", "Sykehjemmene i Kristiansund", svcNursing, personDef{"P-030", "Marianne Løvik", "nn"}, false},
			{"LEG", "Legekontorene i Kristiansund", svcGP, personDef{"P-031", "Øystein Strand", "nn"}, false},
		}},
		{id: "5037", name: "Levanger kommune", pop: 20700, goLive: goLiveNord, head: personDef{id: "P-009"}, units: []unitDef{
			{"HJT", "Hjemmetjenesten i Levanger", svcHomeCare, personDef{"P-032", "Trine Græsli", "nb"}, false},
			{"SHJ", "Levanger sykehjem", svcNursing, personDef{"P-033", "Nils Petter Hoff", "nb"}, false},
			{"LEG", "Levanger legekontor", svcGP, personDef{"P-034", "Ane Marie Grøtting", "nb"}, false},
		}},
		{id: "5041", name: "Snåase – Snåsa", pop: 2080, goLive: goLiveNord, head: personDef{"P-035", "Ole Jørgen Bye", "nb"}, units: []unitDef{
			{"HJT", "Hjemmetjenesten i Snåsa", svcHomeCare, personDef{"P-040", "Bjørg Åsheim", "nb"}, true},
			{"SHJ", "Snåsa helsetun", svcNursing, personDef{"P-036", "Elin Kveli", "nb"}, false},
			{"LEG", "Legekontoret i Snåsa – Snåasen tjïelte", svcGP, personDef{"P-037", "Jon Petter Jåma", "nb"}, false},
		}},
		{id: "5043", name: "Raarvihke – Røyrvik", pop: 450, goLive: goLiveNord, head: personDef{"P-038", "Randi Kappfjell", "nb"}, units: []unitDef{
			{"HJT", "Hjemmetjenesten i Røyrvik", svcHomeCare, personDef{"P-041", "Mona Jonasson", ""}, false},
			{"LEG", "Røyrvik legekontor", svcGP, personDef{"P-039", "Tor Håkon Limstrand", "nb"}, false},
		}},
	}
}

// regionalKommuner are real Central Norway municipalities added in the
// regional and national scales (numbers for illustration).
func regionalKommuner() []struct{ id, name string } {
	return []struct{ id, name string }{
		{"5006", "Steinkjer kommune"}, {"5007", "Namsos kommune"}, {"5014", "Frøya kommune"},
		{"5020", "Osen kommune"}, {"5021", "Oppdal kommune"}, {"5022", "Rennebu kommune"},
		{"5025", "Røros kommune"}, {"5026", "Holtålen kommune"}, {"5027", "Midtre Gauldal kommune"},
		{"5028", "Melhus kommune"}, {"5029", "Skaun kommune"}, {"5031", "Malvik kommune"},
		{"5032", "Selbu kommune"}, {"5033", "Tydal kommune"}, {"5034", "Meråker kommune"},
		{"5035", "Stjørdal kommune"}, {"5036", "Frosta kommune"}, {"5038", "Verdal kommune"},
		{"5042", "Lierne kommune"}, {"5045", "Grong kommune"}, {"5047", "Overhalla kommune"},
		{"5053", "Inderøy kommune"}, {"5054", "Indre Fosen kommune"}, {"5056", "Hitra kommune"},
		{"5057", "Ørland kommune"}, {"5058", "Åfjord kommune"}, {"5059", "Orkland kommune"},
		{"1507", "Ålesund kommune"}, {"1515", "Herøy kommune"}, {"1516", "Ulstein kommune"},
		{"1520", "Ørsta kommune"}, {"1528", "Sykkylven kommune"}, {"1531", "Sula kommune"},
		{"1535", "Vestnes kommune"}, {"1539", "Rauma kommune"}, {"1554", "Averøy kommune"},
		{"1563", "Sunndal kommune"}, {"1566", "Surnadal kommune"}, {"1577", "Volda kommune"},
	}
}

type rhfDef struct {
	id, name string
	hfs      []struct{ id, name string }
	lang     string
}

// otherRHFs are the three other regional health authorities of the national scale.
func otherRHFs() []rhfDef {
	type hf = struct{ id, name string }
	return []rhfDef{
		{"HSO", "Helse Sør-Øst RHF", []hf{
			{"OUS", "Oslo universitetssykehus HF"}, {"AHUS", "Akershus universitetssykehus HF"},
			{"SIHF", "Sykehuset Innlandet HF"}, {"SOHF", "Sykehuset Østfold HF"},
			{"SIV", "Sykehuset i Vestfold HF"}, {"STHF", "Sykehuset Telemark HF"},
			{"SSHF", "Sørlandet sykehus HF"}, {"VVHF", "Vestre Viken HF"},
		}, "nb"},
		{"HV", "Helse Vest RHF", []hf{
			{"HBE", "Helse Bergen HF"}, {"HST", "Helse Stavanger HF"},
			{"HFO", "Helse Fonna HF"}, {"HFD", "Helse Førde HF"},
		}, "nn"},
		{"HN", "Helse Nord RHF", []hf{
			{"UNN", "Universitetssykehuset Nord-Norge HF"}, {"NLSH", "Nordlandssykehuset HF"},
			{"HSYK", "Helgelandssykehuset HF"}, {"FIN", "Finnmarkssykehuset HF"},
		}, "nb"},
	}
}

func firstNames() []string {
	return []string{"Anne", "Bjørn", "Camilla", "Dag", "Eli", "Frode", "Gunn", "Halvor", "Ida", "Jens",
		"Kjersti", "Lars", "Maren", "Nils", "Oda", "Pål", "Randi", "Sindre", "Tove", "Ulf",
		"Vigdis", "Øyvind", "Åse", "Sølvi", "Ærling", "Hege", "Geir", "Mette", "Rune", "Sigrid"}
}

func lastNames() []string {
	return []string{"Aune", "Berg", "Dahle", "Engen", "Flåten", "Grønning", "Haugen", "Indahl", "Johansen", "Krogstad",
		"Lien", "Moe", "Næss", "Olsen", "Rønning", "Solberg", "Træthaug", "Ulvik", "Vollan", "Ødegård",
		"Ås", "Bøe", "Kjærstad", "Hølaas", "Strøm", "Sæter", "Hovde", "Eggen", "Fossum", "Tømmerås"}
}

// generatedName returns a deterministic Norwegian name for the i-th generated person.
func generatedName(i int) string {
	f, l := firstNames(), lastNames()
	return f[i%len(f)] + " " + l[(i/len(f)+i*7)%len(l)]
}

// unitNames of generated hospital units per service.
func serviceName(svc string) string {
	switch svc {
	case svcMedical:
		return "Medisinsk sengepost"
	case svcSurgery:
		return "Kirurgisk sengepost"
	case svcEmergency:
		return "Akuttmottak"
	case svcPsychiatry:
		return "Psykisk helsevern"
	default:
		return "Laboratorium"
	}
}

// nationalRoot is the id of the national scale's root unit, above the four
// regional health authorities; the small and regional scales have none.
const nationalRoot = "NO"

// hfUnitsPerHF is the number of units of each hospital trust in the large scales.
func hfUnitsPerHF(scale Scale) int {
	switch scale {
	case Regional:
		return 20
	case National:
		return 45
	case Huge:
		return 450
	}
	return 0
}

// buildOrgs builds the organisation tree, people and measuring sites of scale.
func buildOrgs(scale Scale) *orgs {
	o := &orgs{parent: map[string]string{}, emails: map[string]bool{}}
	rng := rand.New(rand.NewPCG(20250901, uint64(len(scale))))
	o.addUnit("HMN", "Helse Midt-Norge RHF", register.KindRHF, "")
	for _, p := range owners() {
		o.addPerson(p.id, p.name, p.lang, false)
	}
	gen := 0
	nextGenerated := func(lang string) string {
		gen++
		id := fmt.Sprintf("P-%05d", 1000+gen)
		o.addPerson(id, generatedName(gen), lang, false)
		return id
	}
	addSite := func(id, svc string, size float64, goLive register.Month, leader personDef, noEmail bool) {
		if leader.name != "" {
			o.addPerson(leader.id, leader.name, leader.lang, noEmail)
		}
		o.sites = append(o.sites, site{id: id, svc: svc, size: size, goLive: goLive, leader: leader.id})
	}
	extraHFUnits := func(hfID, hfName string, size float64, goLive register.Month, lang string, have int) {
		svcs := []string{svcMedical, svcSurgery, svcPsychiatry, svcMedical, svcSurgery, svcEmergency}
		short := strings.TrimSuffix(hfName, " HF")
		for i := have; i < hfUnitsPerHF(scale); i++ {
			svc := svcs[i%len(svcs)]
			id := fmt.Sprintf("%s-U%02d", hfID, i+1)
			o.addUnit(id, fmt.Sprintf("%s %d, %s", serviceName(svc), i+1, short), register.KindUnit, hfID)
			leader := personDef{id: nextGenerated(lang)}
			addSite(id, svc, size*(0.5+rng.Float64()), goLive, leader, false)
		}
	}
	for _, hf := range smallHFs() {
		o.addUnit(hf.id, hf.name, register.KindHF, "HMN")
		for _, u := range hf.units {
			id := hf.id + "-" + u.suffix
			o.addUnit(id, u.name, register.KindUnit, hf.id)
			addSite(id, u.svc, hf.size, hf.goLive, u.leader, u.noEmail)
		}
		extraHFUnits(hf.id, hf.name, hf.size, hf.goLive, hf.lang, len(hf.units))
	}
	for _, k := range smallKommuner() {
		o.addUnit(k.id, k.name, register.KindKommune, "HMN")
		if k.head.name != "" {
			o.addPerson(k.head.id, k.head.name, k.head.lang, false)
		}
		o.sites = append(o.sites, site{id: k.id, svc: svcKommune, size: k.pop / 20000, goLive: k.goLive, leader: k.head.id})
		for _, u := range k.units {
			id := k.id + "-" + u.suffix
			o.addUnit(id, u.name, register.KindUnit, k.id)
			addSite(id, u.svc, k.pop/20000, k.goLive, u.leader, u.noEmail)
		}
	}
	if scale == Small {
		return o
	}
	goLives := []register.Month{goLiveTrondheim, goLiveNord, goLiveMore}
	addKommune := func(id, name, rhf, lang string, i int) {
		pop := 800 + 30000*rng.Float64()*rng.Float64()
		goLive := goLives[i%len(goLives)]
		o.addUnit(id, name, register.KindKommune, rhf)
		head := nextGenerated(lang)
		o.sites = append(o.sites, site{id: id, svc: svcKommune, size: pop / 20000, goLive: goLive, leader: head})
		short := strings.TrimSuffix(name, " kommune")
		units := []struct{ suffix, name, svc string }{
			{"HJT", "Hjemmetjenesten i " + short, svcHomeCare},
			{"SHJ", "Sykehjemmet i " + short, svcNursing},
			{"LEG", "Legekontoret i " + short, svcGP},
		}
		for _, u := range units {
			uid := id + "-" + u.suffix
			o.addUnit(uid, u.name, register.KindUnit, id)
			addSite(uid, u.svc, pop/20000, goLive, personDef{id: nextGenerated(lang)}, false)
		}
	}
	for i, k := range regionalKommuner() {
		lang := "nb"
		if strings.HasPrefix(k.id, "15") {
			lang = "nn"
		}
		addKommune(k.id, k.name, "HMN", lang, i)
	}
	if !scale.nationwide() {
		return o
	}
	// The national root makes the four regions one tree, so the region-wide
	// benefits can be scoped to the whole country (see nationalScope).
	o.addUnit(nationalRoot, "Helse- og omsorgstjenesten", register.KindRHF, "")
	for i := range o.units {
		if o.units[i].ID == "HMN" {
			o.units[i].ParentID = nationalRoot
		}
	}
	o.parent["HMN"] = nationalRoot
	rhfs := otherRHFs()
	for _, r := range rhfs {
		o.addUnit(r.id, r.name, register.KindRHF, nationalRoot)
		for _, hf := range r.hfs {
			o.addUnit(hf.id, hf.name, register.KindHF, r.id)
			extraHFUnits(hf.id, hf.name, 0.6+rng.Float64(), goLives[len(o.units)%len(goLives)], r.lang, 0)
		}
	}
	sami := []struct{ id, name string }{
		{"5622", "Porsáŋgu – Porsanger"}, {"5610", "Kárášjohka – Karasjok"}, {"5626", "Guovdageaidnu – Kautokeino"},
	}
	for i, k := range sami {
		addKommune(k.id, k.name, "HN", "nb", i)
	}
	const nationalKommuner = 356
	have := len(smallKommuner()) + len(regionalKommuner()) + len(sami)
	for i := 0; have+i < nationalKommuner; i++ {
		r := rhfs[i%len(rhfs)]
		id := fmt.Sprintf("%04d", 3001+i)
		addKommune(id, "Kommune "+id, r.id, r.lang, i)
	}
	return o
}
