package contacts

import "strings"

// PhoneVariants lists the E.164 forms one mobile number takes in the wild,
// starting with e164 itself. WhatsApp reports some Brazilian mobiles without
// the ninth digit added in 2012-2016 (+55 11 1234-5678 for +55 11 91234-5678),
// and Argentine mobiles with or without the 9 after the country code
// (+54 9 11 ... and +54 11 ...). Matching on all forms keeps one person one
// contact.
func PhoneVariants(e164 string) []string {
	out := []string{e164}
	d := strings.TrimPrefix(e164, "+")
	switch {
	case strings.HasPrefix(d, "55") && len(d) == 13 && d[4] == '9':
		out = append(out, "+"+d[:4]+d[5:]) // drop the ninth digit
	case strings.HasPrefix(d, "55") && len(d) == 12 && d[4] >= '6':
		out = append(out, "+"+d[:4]+"9"+d[4:]) // a mobile written without it
	case strings.HasPrefix(d, "549") && len(d) == 13:
		out = append(out, "+54"+d[3:])
	case strings.HasPrefix(d, "54") && len(d) == 12:
		out = append(out, "+549"+d[2:])
	}
	return out
}

// normalizeVerifiedPhone normalises a channel-verified number, trying its
// variants when the form the channel sent does not validate.
func normalizeVerifiedPhone(raw, region string) string {
	if p, err := NormalizePhone(raw, region); err == nil {
		return p
	}
	s := strings.TrimSpace(raw)
	if !strings.HasPrefix(s, "+") {
		return ""
	}
	for _, v := range PhoneVariants(s)[1:] {
		if p, err := NormalizePhone(v, region); err == nil {
			return p
		}
	}
	return ""
}
