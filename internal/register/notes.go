package register

import "fmt"

// Note codes produced by Evaluate, Annual and Check.
const (
	NoteNoData                   NoteCode = "no_data"                   // no usable rows for the value period
	NoteSuppressed               NoteCode = "suppressed"                // a cell is below min_denominator
	NoteComplementarySuppression NoteCode = "complementary_suppression" // a second unit cell hidden to protect a suppressed one
	NoteStale                    NoteCode = "stale"                     // the latest data is older than stale_after_periods
	NoteNoAmbition               NoteCode = "no_ambition"               // no indicator_ambition row for the year
	NotePartOfWhole              NoteCode = "part_of_whole"             // a sum indicator evaluated for a part of its benefit's scope: shown, not judged
	NoteInvalidThresholds        NoteCode = "invalid_thresholds"        // red and green limits contradict the direction
	NoteNoBaseline               NoteCode = "no_baseline"               // neither baseline_value nor a usable baseline_period
	NoteBaselineSuppressed       NoteCode = "baseline_suppressed"       // the baseline_period cell is suppressed
	NoteNoTarget                 NoteCode = "no_target"                 // no final target_value
	NoteNoTargetDate             NoteCode = "no_target_date"            // a final target without target_date
	NoteTargetEqualsBaseline     NoteCode = "target_equals_baseline"    // progress undefined because target = baseline
	NoteRedFromGreen             NoteCode = "red_from_green"            // no baseline and no red_limit: red = green
	NoteMissingPeriods           NoteCode = "missing_periods"           // a year-to-date sum lacks some periods
	NoteDanglingReference        NoteCode = "dangling_reference"        // an id points at nothing
	NoteDuplicateID              NoteCode = "duplicate_id"              // two rows share a primary key
	NoteBadEnum                  NoteCode = "bad_enum"                  // a value outside the data contract's enumeration
	NoteMisalignedPeriod         NoteCode = "misaligned_period"         // a period is not the first month of its quarter/year
	NoteMissingNumerator         NoteCode = "missing_numerator"         // ratio rows without numerator or denominator
	NoteNegativeCount            NoteCode = "negative_count"            // a ratio row with a negative numerator or denominator
	NoteMissingValue             NoteCode = "missing_value"             // sum/mean rows without a usable value
	NoteRowSkipped               NoteCode = "row_skipped"               // a row that could not be read, left out
	NoteOrgCycle                 NoteCode = "org_cycle"                 // org_unit parents form a cycle; its units are detached
	NoteShareAbove100            NoteCode = "share_above_100"           // a % ratio row with numerator above denominator
	NoteFuturePeriod             NoteCode = "future_period"             // a measurement period after the run's date
	NoteImplausible              NoteCode = "implausible_magnitude"     // a number beyond ±MaxMagnitude
	NoteInvalidEmail             NoteCode = "invalid_email"             // person.email is not a plain address
	NoteBadID                    NoteCode = "bad_id"                    // an empty or overlong id
	NoteCommentMismatch          NoteCode = "comment_mismatch"          // a comment's indicator belongs to another benefit
	NoteCommentEmpty             NoteCode = "comment_empty"             // a comment without text: not shown
	NoteCommentTooLong           NoteCode = "comment_too_long"          // a comment above MaxCommentRunes: shown shortened
	NoteNotFinite                NoteCode = "not_finite"                // a computed figure is NaN or ±Inf: not judged
)

func newNote(code NoteCode, sev Severity, indicatorID, scope string, args []string, format string, a ...any) Note {
	return Note{
		Code:        code,
		Severity:    sev,
		IndicatorID: indicatorID,
		Scope:       scope,
		Args:        args,
		Message:     fmt.Sprintf(format, a...),
	}
}

// fmtNum formats a number for note arguments and messages.
func fmtNum(v float64) string { return fmt.Sprintf("%g", v) }
