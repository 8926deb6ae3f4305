package textscan

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

// phoneCandRe finds runs that could be a phone number: digits with the
// separators people use. phonenumbers v1.8.1 ships no matcher (its
// NewPhoneNumberMatcher is a stub returning nil), so candidates are found
// here and each is verified with the library's VALID leniency.
var phoneCandRe = regexp.MustCompile(`(?:\+|00)?\(?\d[\d\s().\-/]{4,24}\d`)

var (
	dateRe    = regexp.MustCompile(`^(?:\d{1,2}[./\-]\d{1,2}[./\-]\d{2,4}|\d{4}[./\-]\d{1,2}[./\-]\d{1,2})$`)
	ipRe      = regexp.MustCompile(`^\d{1,3}(?:\.\d{1,3}){3}$`)
	decimalRe = regexp.MustCompile(`^\d{1,3}(?:[.,]\d{3})+(?:[.,]\d{1,2})?$`)
	// A number right after one of these is an order, an invoice, a postcode
	// or a card, not a phone, unless a phone word comes closer.
	notPhoneCue = regexp.MustCompile(`(?i)(\b(?:order|pedido|encomenda|bestell\w*|commande|invoice|factura|fatura|rechnung|facture|ticket|ref|reference|referencia|referência|tracking|rastreio|seguimiento|sendung|case|caso|account|cuenta|conta|konto|compte|iban|card|tarjeta|cart[aã]o|karte|carte|cpf|cnpj|nif|dni|nie|siret|vat|zip|postal|postcode|cep|plz|code|c[oó]digo|serial|model|modelo|id)\b|nº|n°|#)[^0-9]{0,20}$`)
	// Only words that name a phone outrank those cues: "order number 123"
	// is an order.
	phoneCue    = regexp.MustCompile(`(?i)(phone|tel\b|tel[eé]fono|telefone|telefon|call|ring|mobile|cell|whats|m[oó]vil|celular|handy|portable|anruf|fixe)[^0-9]{0,20}$`)
	currencyRe  = regexp.MustCompile(`(?i)(\$|€|£|r\$|usd|eur|gbp|brl)\s*$`)
	unitAfterRe = regexp.MustCompile(`(?i)^\s*(%|€|\$|£|usd|eur|euros?|dollars?|reais|brl|gbp|pounds?|k\b|km|kg|mb|gb|units?|unidades|stück|pcs)`)
)

// Phones returns every valid phone number in text as E.164, in order,
// without duplicates. Numbers without a leading + (or 00) are read in
// region; dates, prices, order numbers, postcodes and IPs are skipped.
func Phones(text, region string) []string {
	return values(findPhones(text, region))
}

// PhoneMentions is Phones with positions and attribution, like
// EmailMentions.
func PhoneMentions(text, region string) []Mention {
	if len(text) > maxScan {
		text = text[:maxScan]
	}
	ms := findPhones(text, region)
	markOthers(text, ms)
	return ms
}

func findPhones(text, region string) []Mention {
	if len(text) > maxScan {
		text = text[:maxScan]
	}
	region = strings.ToUpper(strings.TrimSpace(region))
	var out []Mention
	for _, m := range phoneCandRe.FindAllStringIndex(text, -1) {
		start, end := m[0], m[1]
		// Glued to letters or digits (an id like "AB1234567"), not a number
		// on its own.
		if r, _ := utf8.DecodeLastRuneInString(text[:start]); start > 0 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			continue
		}
		if r, _ := utf8.DecodeRuneInString(text[end:]); end < len(text) && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			continue
		}
		cand := strings.TrimRight(text[start:end], " (.-/")
		before := text[max(0, start-40):start]
		after := text[end:min(len(text), end+12)]
		if skipContext(before, after) {
			continue
		}
		for _, e := range phonesIn(cand, region) {
			out = append(out, Mention{Value: e, Start: start, End: start + len(cand)})
		}
	}
	return out
}

// skipContext reports a number that its surroundings say is not a phone.
func skipContext(before, after string) bool {
	if currencyRe.MatchString(before) || unitAfterRe.MatchString(after) {
		return true
	}
	if loc := notPhoneCue.FindStringIndex(before); loc != nil {
		if p := phoneCue.FindStringIndex(before); p == nil || p[0] < loc[0] {
			return true
		}
	}
	return false
}

// phonesIn verifies a candidate; when the whole run is not one number
// ("612 345 678 699 111 222", or a year before a number), it tries the
// longest valid runs of whole space-separated groups, left to right.
func phonesIn(cand, region string) []string {
	if e, ok := verify(cand, region); ok {
		return []string{e}
	}
	groups := strings.Fields(cand)
	if len(groups) < 2 {
		return nil
	}
	var out []string
	for i := 0; i < len(groups); {
		found := false
		for j := len(groups); j > i; j-- {
			if e, ok := verify(strings.Join(groups[i:j], " "), region); ok {
				out = append(out, e)
				i, found = j, true
				break
			}
		}
		if !found {
			i++
		}
	}
	return out
}

// verify parses one candidate and accepts it when it is a valid number
// written the way numbers are written (national prefix where required).
func verify(cand, region string) (string, bool) {
	cand = strings.TrimSpace(cand)
	digits := 0
	for _, r := range cand {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	if digits < 7 || digits > 15 {
		return "", false
	}
	if dateRe.MatchString(cand) || ipRe.MatchString(cand) || decimalRe.MatchString(cand) {
		return "", false
	}
	if strings.HasPrefix(cand, "00") {
		cand = "+" + cand[2:]
	}
	if !strings.HasPrefix(cand, "+") && region == "" {
		return "", false
	}
	num, err := phonenumbers.Parse(cand, region)
	if err != nil || !phonenumbers.VALID.Verify(num, cand) {
		return "", false
	}
	return phonenumbers.Format(num, phonenumbers.E164), true
}
