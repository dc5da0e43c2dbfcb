package pdf

import (
	"bytes"
	"crypto/md5"
	_ "embed"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"regexp"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// srgbICC is the ICC's sRGB profile (icc/LICENSE.color.org: free to embed),
// the output intent that PDF/A asks for when a file paints in DeviceRGB.
//
//go:embed icc/sRGB2014.icc
var srgbICC []byte

// pdfCreator and pdfProducer name the program in the Info dictionary and,
// identically, in the XMP metadata.
const (
	pdfCreator  = "gevinstrapport"
	pdfProducer = "gevinstrapport (fpdf)"
)

// archive prepares p for PDF/A-2b: document metadata in the Info dictionary
// and the same in XMP with the pdfaid part, and an sRGB output intent. The
// fonts are embedded (subset TrueType) and nothing is drawn transparent; the
// file identifier is added after output (withFileID).
func archive(p *fpdf.Fpdf, doc Document, clean func(string) string, created time.Time) {
	title, subject, author, keywords := clean(doc.Title), clean(doc.Subject), clean(doc.Author), clean(doc.Keywords)
	p.SetTitle(title, true)
	p.SetSubject(subject, true)
	p.SetAuthor(author, true)
	p.SetKeywords(keywords, true)
	p.SetCreator(pdfCreator, true)
	p.SetProducer(pdfProducer, true)
	if doc.Lang != "" {
		p.SetLang(doc.Lang)
	}
	created = created.UTC() // the Info dictionary's dates carry no zone: write UTC, as the XMP says
	p.SetCreationDate(created)
	p.SetModificationDate(created)
	p.SetXmpMetadata(xmpPacket(title, subject, author, keywords, doc.Lang, created))
	p.AddOutputIntent(fpdf.OutputIntentType{
		SubtypeIdent:              fpdf.OutputIntent_GTS_PDFA1, // /S /GTS_PDFA1 is PDF/A's intent for every part
		OutputConditionIdentifier: "sRGB IEC61966-2.1",
		Info:                      "sRGB IEC61966-2.1",
		ICCProfile:                srgbICC,
	})
}

// xmpPacket is the document's XMP metadata: Dublin Core title, author,
// subject and language, the PDF keywords and producer, the dates, and the
// PDF/A identification (part 2, conformance B). Values match the Info
// dictionary, as PDF/A requires; dates are in UTC (the Info dictionary
// gets the same clock reading, see archive).
func xmpPacket(title, subject, author, keywords, lang string, created time.Time) []byte {
	esc := func(s string) string {
		var b strings.Builder
		_ = xml.EscapeText(&b, []byte(s))
		return b.String()
	}
	if lang == "" {
		lang = "x-default"
	}
	date := created.UTC().Format("2006-01-02T15:04:05Z")
	var b bytes.Buffer
	b.WriteString("<?xpacket begin=\"\ufeff\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n")
	b.WriteString(`<x:xmpmeta xmlns:x="adobe:ns:meta/">` + "\n")
	b.WriteString(`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` + "\n")
	fmt.Fprintf(&b, `<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">%s</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>%s</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">%s</rdf:li></rdf:Alt></dc:description>
<dc:language><rdf:Bag><rdf:li>%s</rdf:li></rdf:Bag></dc:language>
</rdf:Description>
`, esc(title), esc(author), esc(subject), esc(lang))
	fmt.Fprintf(&b, `<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
<pdf:Keywords>%s</pdf:Keywords>
<pdf:Producer>%s</pdf:Producer>
</rdf:Description>
`, esc(keywords), esc(pdfProducer))
	fmt.Fprintf(&b, `<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
<xmp:CreatorTool>%s</xmp:CreatorTool>
<xmp:CreateDate>%s</xmp:CreateDate>
<xmp:ModifyDate>%s</xmp:ModifyDate>
<xmp:MetadataDate>%s</xmp:MetadataDate>
</rdf:Description>
`, esc(pdfCreator), date, date, date)
	b.WriteString(`<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
<pdfaid:part>2</pdfaid:part>
<pdfaid:conformance>B</pdfaid:conformance>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`)
	return b.Bytes()
}

// withFileID mends a PDF written by fpdf for archiving: it blanks out the
// page transparency groups (withoutPageGroups) and, in the trailer, adds the file
// identifier PDF/A requires (fpdf leaves it out of unencrypted files), and
// points /Info at the Info dictionary (fpdf writes the output intent's
// profile after it and then names the profile's object instead). The
// trailer follows the cross-reference table, so no offset moves. The
// identifier is a digest of the file, so the same report gives the same bytes.
func withFileID(pdf []byte) ([]byte, error) {
	i := bytes.LastIndex(pdf, []byte("\ntrailer\n<<\n"))
	if i < 0 {
		return nil, fmt.Errorf("add file id: no trailer found")
	}
	at := i + len("\ntrailer\n<<\n")
	trailer := pdf[at:]
	if n := infoObject(pdf[:i]); n != "" {
		trailer = infoRef.ReplaceAll(trailer, []byte("/Info "+n+" 0 R"))
	}
	body := withoutPageGroups(pdf[:at])
	h := md5.New()
	h.Write(body)
	h.Write(trailer)
	id := hex.EncodeToString(h.Sum(nil))
	entry := []byte("/ID [<" + id + "> <" + id + ">]\n")
	out := make([]byte, 0, len(body)+len(entry)+len(trailer))
	out = append(out, body...)
	out = append(out, entry...)
	return append(out, trailer...), nil
}

// infoRef is the trailer's reference to the Info dictionary.
var infoRef = regexp.MustCompile(`/Info \d+ 0 R`)

// infoObject is the object number of the Info dictionary fpdf writes (it
// starts with the producer, which Render always sets), "" if there is none.
// A plain search: a regular expression over the whole file cost about 0.1 ms
// per PDF.
func infoObject(body []byte) string {
	end := bytes.Index(body, []byte(" 0 obj\n<<\n/Producer "))
	start := end
	for start > 0 && body[start-1] >= '0' && body[start-1] <= '9' {
		start--
	}
	if end < 0 || start == end || start == 0 || body[start-1] != '\n' {
		return ""
	}
	return string(body[start:end])
}

// pageGroup is the transparency group fpdf gives every page of a PDF 1.4
// file although nothing on the page is transparent.
var pageGroup = []byte("/Group <</Type /Group /S /Transparency /CS /DeviceRGB>>")

// withoutPageGroups blanks the page transparency groups out with spaces of
// the same length (no offset moves; whitespace is valid in a dictionary), so
// the file declares no transparency, as it paints none (no soft masks, no
// alpha). It copies pdf.
func withoutPageGroups(pdf []byte) []byte {
	return bytes.ReplaceAll(pdf, pageGroup, bytes.Repeat([]byte(" "), len(pageGroup)))
}
