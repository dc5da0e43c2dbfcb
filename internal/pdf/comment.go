package pdf

import (
	"strings"

	"gevinstrapport/internal/report"
)

// commentBlocks draws the owner's own words: a small heading line with the
// period, author and date, the paragraphs on a quote panel, and the note
// when the text is shortened, kept
// together (a comment is capped, so it always fits on one page). A subject
// (the indicator's name where the comment does not sit right under it)
// leads the heading line. None for nil.
func commentBlocks(subject string, cm *report.Comment) []Block {
	if cm == nil {
		return nil
	}
	head := cm.Heading
	if subject != "" {
		head = subject + " – " + head
	}
	if cm.Byline != "" {
		head += " · " + cm.Byline
	}
	keep := []Block{
		Paragraph{Text: head, Style: Label},
		Paragraph{Text: strings.Join(cm.Paragraphs, "\n\n"), Style: Quote},
	}
	if cm.Note != "" {
		// Outside the panel: the note is the report's word, not the owner's.
		keep = append(keep, Paragraph{Text: cm.Note, Style: Muted})
	}
	return []Block{KeepTogether{Blocks: keep}}
}

// commentBrief draws a comment as its brief (heading and the start of the
// text) in small type on the quote panel, for a compact page; a subject
// leads it. None for nil.
func commentBrief(subject string, cm *report.Comment) []Block {
	if cm == nil {
		return nil
	}
	text := cm.Brief
	if subject != "" {
		text = subject + " – " + text
	}
	return []Block{Paragraph{Text: text, Style: QuoteSmall}}
}
