package textscan

// Mention is one value found in a message.
type Mention struct {
	Value      string // normalised: lower-case email, E.164 phone
	Start, End int    // byte offsets in the text
	// Others is set when the customer said the value is someone else's
	// ("my wife's number is ...", "you can also reach my boss at ...").
	Others bool
}

// values lists the distinct values of ms in order.
func values(ms []Mention) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range ms {
		if !seen[m.Value] {
			seen[m.Value] = true
			out = append(out, m.Value)
		}
	}
	return out
}
