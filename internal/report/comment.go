package report

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"gevinstrapport/internal/register"
)

// MaxCommentParagraphs is how many paragraphs a comment keeps; the rest are
// joined into the last, so a comment of many short lines cannot fill pages.
const MaxCommentParagraphs = 8

// Comment is the owner's own words as a report shows them under a benefit
// or an indicator (table commentary).
type Comment struct {
	Period     register.Month
	Older      bool     // from a period before the report's
	Heading    string   // "Kommentar for september 2025" or "Kommentar fra juni 2025 (eldre)"
	Paragraphs []string // plain text, one entry per paragraph, never empty
	Byline     string   // "Kari Nordmann, skrevet 3. oktober 2025"; "" when neither is known
	Shortened  bool     // cut at register.MaxCommentRunes characters
	Note       string   // says the text is shortened, else ""
	// Brief is the heading, byline and the start of the text in one line,
	// for a table cell or a compact page (the steering pack): at most
	// BriefCommentRunes characters of text, cut at a word with "…".
	Brief string
}

// BriefCommentRunes is how much of a comment's text its Brief keeps.
const BriefCommentRunes = 240

// commentWindow is the span of report months whose comment a report shows:
// the newest in [From, To]; one before Current is marked older.
type commentWindow struct {
	From, To, Current register.Month
}

// monthWindow is the window of a monthly report for period p: its own
// month and register.CommentLookback months before it.
func monthWindow(p register.Month) commentWindow {
	return commentWindow{From: p.Add(-register.CommentLookback), To: p, Current: p}
}

// buildComment returns the comment on a benefit (indicatorID "") or one of
// its indicators that window w shows, nil when there is none.
func buildComment(x *register.Index, c *Catalog, benefitID, indicatorID string, w commentWindow) *Comment {
	cm, ok := x.CommentFor(benefitID, indicatorID, w.From, w.To)
	if !ok {
		return nil
	}
	paras, short := commentParagraphs(cm.Text)
	if len(paras) == 0 {
		return nil
	}
	out := &Comment{Period: cm.Period, Older: cm.Period < w.Current, Paragraphs: paras, Shortened: short}
	if out.Older {
		out.Heading = c.T("comment.heading_older", "period", c.Month(cm.Period))
	} else {
		out.Heading = c.T("comment.heading", "period", c.Month(cm.Period))
	}
	name := ""
	if p, ok := x.Person(cm.AuthorID); ok && cm.AuthorID != "" {
		name = strings.TrimSpace(p.Name)
	}
	switch {
	case name != "" && !cm.WrittenOn.IsZero():
		out.Byline = c.T("comment.byline", "name", name, "date", c.Date(cm.WrittenOn))
	case name != "":
		out.Byline = name
	case !cm.WrittenOn.IsZero():
		out.Byline = c.T("comment.written_on", "date", c.Date(cm.WrittenOn))
	}
	if short {
		out.Note = c.T("comment.shortened")
	}
	brief, _ := capParagraphs([]string{strings.Join(paras, " ")}, BriefCommentRunes)
	head := out.Heading
	if out.Byline != "" {
		head += " · " + out.Byline
	}
	out.Brief = c.T("comment.brief", "heading", head, "text", brief[0])
	return out
}

// commentParagraphs turns a comment's stored text into paragraphs: invalid
// UTF-8 becomes U+FFFD, control characters and runs of spaces one space,
// blank lines separate paragraphs and single line breaks join lines. The
// text is cut after register.MaxCommentRunes characters (at a space when
// one is near), ending in "…"; short is then true.
func commentParagraphs(text string) (paras []string, short bool) {
	text = strings.ToValidUTF8(text, "\uFFFD")
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			paras = append(paras, strings.Join(cur, " "))
			cur = nil
		}
	}
	for _, line := range strings.Split(text, "\n") {
		line = strings.Join(strings.FieldsFunc(line, func(r rune) bool {
			return unicode.IsSpace(r) || unicode.IsControl(r)
		}), " ")
		if line == "" {
			flush()
			continue
		}
		cur = append(cur, line)
	}
	flush()
	if len(paras) > MaxCommentParagraphs {
		rest := strings.Join(paras[MaxCommentParagraphs-1:], " ")
		paras = append(paras[:MaxCommentParagraphs-1], rest)
	}
	return capParagraphs(paras, register.MaxCommentRunes)
}

// capParagraphs keeps at most limit characters of paras, cutting the last
// kept paragraph at a word boundary when one lies within the last tenth.
func capParagraphs(paras []string, limit int) ([]string, bool) {
	left := limit
	for i, p := range paras {
		n := utf8.RuneCountInString(p)
		if n <= left {
			left -= n
			continue
		}
		cut := string([]rune(p)[:left])
		if sp := strings.LastIndexByte(cut, ' '); sp >= 0 && utf8.RuneCountInString(cut[sp:]) <= limit/10 {
			cut = cut[:sp]
		}
		cut = strings.TrimRightFunc(cut, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) })
		out := append(paras[:i:i], cut+"…")
		if cut == "" {
			out = paras[:i:i]
			if i > 0 {
				out[i-1] += "…"
			}
		}
		return out, true
	}
	return paras, false
}
