package textscan

import "regexp"

// yourCue, before a value in a business turn, means it is read back to the
// customer ("is your email still x@y.com?"), not offered as the business's.
var yourCue = regexp.MustCompile(`\b(?:your|tu|tus|su|sus|ihre|deine|dein|votre|vos|ton|ta|seu|sua|teu|tua)\b`)

// OfferedEmails returns the addresses a bot or staff turn gives as the
// business's own ("write to help@shop.com"). A customer who repeats one is
// quoting it, not giving theirs.
func OfferedEmails(text string) []string {
	return offered(text, EmailMentions(text))
}

// OfferedPhones is OfferedEmails for phone numbers.
func OfferedPhones(text, region string) []string {
	return offered(text, PhoneMentions(text, region))
}

func offered(text string, ms []Mention) []string {
	var out []string
	for _, m := range ms {
		lead := text[max(0, m.Start-80):m.Start]
		if locs := sentenceBreak.FindAllStringIndex(lead, -1); len(locs) > 0 {
			lead = lead[locs[len(locs)-1][1]:]
		}
		if !yourCue.MatchString(fold(lead)) {
			out = append(out, m.Value)
		}
	}
	return out
}
