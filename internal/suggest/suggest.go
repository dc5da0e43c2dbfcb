// Package suggest finds the word a user probably meant when they mistyped a
// command, a flag, a configuration value or a time zone.
package suggest

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Distance is the optimal string alignment distance between a and b: the
// number of single-rune insertions, deletions, substitutions and swaps of
// two neighbours that turn a into b ("Olso" → "Oslo" is one swap).
func Distance(a, b string) int {
	s, t := []rune(a), []rune(b)
	// Three rows are enough: the swap looks two rows back.
	prev2 := make([]int, len(t)+1)
	prev := make([]int, len(t)+1)
	cur := make([]int, len(t)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(s); i++ {
		cur[0] = i
		for j := 1; j <= len(t); j++ {
			cost := 1
			if s[i-1] == t[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && s[i-1] == t[j-2] && s[i-2] == t[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(t)]
}

// Closest is the candidate word most likely meant, or "" when none is close
// enough to be a typo. Case is ignored. A candidate is close when its
// distance is at most a third of the word's length (at least 1), or when the
// word, three runes or longer, begins exactly one candidate. Among equally
// close candidates the first wins.
func Closest(word string, candidates ...string) string {
	w := strings.ToLower(word)
	if w == "" {
		return ""
	}
	limit := max(1, utf8.RuneCountInString(w)/3)
	best, bestDist := "", limit+1
	var prefixed []string
	for _, c := range candidates {
		lc := strings.ToLower(c)
		if lc == w {
			return c
		}
		if d := Distance(w, lc); d < bestDist {
			best, bestDist = c, d
		}
		if utf8.RuneCountInString(w) >= 3 && strings.HasPrefix(lc, w) {
			prefixed = append(prefixed, c)
		}
	}
	if best == "" && len(prefixed) == 1 {
		return prefixed[0]
	}
	return best
}

// Hint is "; did you mean "x"?" for a suggestion x, or "" for none, to end
// an error message with.
func Hint(suggestion string) string {
	if suggestion == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", suggestion)
}
