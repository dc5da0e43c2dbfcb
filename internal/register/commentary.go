package register

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Bounds of the owner's commentary. A comment longer than MaxCommentRunes
// characters is shown shortened (Check warns); one from up to
// CommentLookback months before the report period is shown, marked older.
const (
	MaxCommentRunes = 1500
	CommentLookback = 3
)

// Comment is the owner's own words for a report month (table commentary):
// why a benefit, or one of its indicators, is where it is and what is being
// done. IndicatorID "" is a comment on the whole benefit.
type Comment struct {
	BenefitID   string
	IndicatorID string
	Period      Month
	AuthorID    string    // "" when none
	Text        string    // plain UTF-8; blank lines separate paragraphs
	WrittenOn   time.Time // zero when none
}

// commentKey locates the comments of one benefit or indicator.
type commentKey struct{ benefitID, indicatorID string }

// indexComments files the comments with text by benefit and indicator,
// newest period first; a duplicate key keeps its first row.
func indexComments(cs []Comment) map[commentKey][]Comment {
	out := map[commentKey][]Comment{}
	for _, c := range cs {
		if strings.TrimSpace(c.Text) == "" {
			continue
		}
		k := commentKey{c.BenefitID, c.IndicatorID}
		out[k] = append(out[k], c)
	}
	for _, list := range out {
		slices.SortStableFunc(list, func(a, b Comment) int { return cmp.Compare(b.Period, a.Period) })
	}
	return out
}

// CommentFor returns the newest comment on a benefit (indicatorID "") or
// one of its indicators whose period lies in [from, to]; a comment after to
// is never shown, and an empty one never counts.
func (x *Index) CommentFor(benefitID, indicatorID string, from, to Month) (Comment, bool) {
	for _, c := range x.comments[commentKey{benefitID, indicatorID}] {
		if c.Period > to {
			continue
		}
		if c.Period < from {
			break
		}
		return c, true
	}
	return Comment{}, false
}

// commentTooLong reports whether a comment's text exceeds MaxCommentRunes.
func commentTooLong(text string) bool { return utf8.RuneCountInString(text) > MaxCommentRunes }

// comments reports the commentary rows that point at nothing, sit under the
// wrong benefit, repeat a key, or whose text is empty or over-long.
func (c *checker) comments() {
	type key struct {
		benefitID, indicatorID string
		period                 Month
	}
	seen := map[key]bool{}
	for _, cm := range c.x.reg.Comments {
		from := commentFrom(cm)
		k := key{cm.BenefitID, cm.IndicatorID, cm.Period}
		if seen[k] {
			key := fmt.Sprintf("(%s, %s, %s)", QuoteID(cm.BenefitID), QuoteID(cm.IndicatorID), cm.Period)
			c.add(NoteDuplicateID, SeverityError, cm.IndicatorID, []string{"commentary", key}, "%s appears more than once", from)
		}
		seen[k] = true
		_, ok := c.x.Benefit(cm.BenefitID)
		c.dangling(cm.IndicatorID, from, "benefit_id", "benefit", cm.BenefitID, ok)
		if cm.IndicatorID != "" {
			ind, ok := c.x.Indicator(cm.IndicatorID)
			c.dangling(cm.IndicatorID, from, "indicator_id", "indicator", cm.IndicatorID, ok)
			if ok && ind.BenefitID != cm.BenefitID {
				c.add(NoteCommentMismatch, SeverityError, cm.IndicatorID, []string{from, cm.IndicatorID, ind.BenefitID},
					"%s: indicator %s belongs to benefit %s; the comment is not shown", from, QuoteID(cm.IndicatorID), QuoteID(ind.BenefitID))
			}
		}
		if cm.AuthorID != "" {
			if _, ok := c.x.Person(cm.AuthorID); !ok && !c.skipped["person"][cm.AuthorID] {
				c.add(NoteDanglingReference, SeverityWarning, cm.IndicatorID, []string{from, "author_id", cm.AuthorID},
					"%s: author_id %s does not exist; the comment is shown without a name", from, QuoteID(cm.AuthorID))
			}
		}
		switch {
		case strings.TrimSpace(cm.Text) == "":
			c.add(NoteCommentEmpty, SeverityWarning, cm.IndicatorID, []string{from}, "%s has no text; it is not shown", from)
		case commentTooLong(cm.Text):
			n := utf8.RuneCountInString(cm.Text)
			c.add(NoteCommentTooLong, SeverityWarning, cm.IndicatorID, []string{from, strconv.Itoa(n), strconv.Itoa(MaxCommentRunes)},
				"%s is %d characters long; reports show the first %d", from, n, MaxCommentRunes)
		}
	}
}

// commentFrom names a comment row in findings: "commentary (benefit, indicator, period)".
func commentFrom(cm Comment) string {
	return fmt.Sprintf("commentary (%s, %s, %s)", QuoteID(cm.BenefitID), QuoteID(cm.IndicatorID), cm.Period)
}
