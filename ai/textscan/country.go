package textscan

import (
	"regexp"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// countryRe introduces where the customer is from or lives.
var countryRe = regexp.MustCompile(`(?i)\b(?:i['’]?m\s+from|i\s+am\s+from|i\s+come\s+from|i\s+live\s+in|i['’]?m\s+based\s+in|we['’]?re\s+based\s+in|based\s+in|writing\s+from|soy\s+de|vivo\s+en|somos\s+de|estoy\s+en|ich\s+komme\s+aus|ich\s+wohne\s+in|ich\s+lebe\s+in|wir\s+sind\s+aus|je\s+viens\s+(?:de|du|des|d['’])|j['’]habite\s+(?:en|au|aux|à)|je\s+vis\s+(?:en|au|aux)|sou\s+(?:de|do|da)|moro\s+(?:em|no|na)|vivo\s+(?:em|no|na)|estou\s+(?:em|no|na))\s*`)

// Country finds a country the customer says they are from or live in, as
// ISO 3166-1 alpha-2.
func Country(text string) (string, bool) {
	if len(text) > maxScan {
		text = text[:maxScan]
	}
	for _, loc := range countryRe.FindAllStringIndex(text, -1) {
		ws := words(fold(text[loc[1]:min(len(text), loc[1]+40)]))
		if len(ws) > 0 && (ws[0] == "the" || ws[0] == "la" || ws[0] == "el" || ws[0] == "los" || ws[0] == "die" || ws[0] == "der") {
			ws = ws[1:]
		}
		for n := min(3, len(ws)); n >= 1; n-- {
			if cc := countryByName[strings.Join(ws[:n], " ")]; cc != "" {
				return cc, true
			}
		}
	}
	return "", false
}

// PhoneRegion is the ISO alpha-2 region of an E.164 number, or "" when it
// is ambiguous or unknown (+1 numbers are read by area code).
func PhoneRegion(e164 string) string {
	num, err := phonenumbers.Parse(e164, "")
	if err != nil {
		return ""
	}
	r := phonenumbers.GetRegionCodeForNumber(num)
	if r == "ZZ" || r == "001" {
		return ""
	}
	return r
}

// countryByName maps folded country names in the five languages to codes.
var countryByName = func() map[string]string {
	m := map[string]string{}
	add := func(code string, names ...string) {
		for _, n := range names {
			m[n] = code
		}
	}
	add("ES", "spain", "espana", "spanien", "espagne", "espanha")
	add("PT", "portugal")
	add("BR", "brazil", "brasil", "bresil", "brasilien")
	add("DE", "germany", "alemania", "deutschland", "allemagne", "alemanha")
	add("FR", "france", "francia", "frankreich", "franca")
	add("GB", "uk", "united kingdom", "england", "scotland", "wales", "great britain", "britain", "reino unido", "inglaterra", "grossbritannien", "england", "angleterre", "royaume-uni", "royaume uni")
	add("US", "usa", "us", "united states", "the us", "america", "estados unidos", "eeuu", "ee uu", "vereinigte staaten", "etats-unis", "etats unis", "eua")
	add("IE", "ireland", "irlanda", "irland", "irlande")
	add("IT", "italy", "italia", "italien", "italie")
	add("NL", "netherlands", "holland", "paises bajos", "holanda", "niederlande", "pays-bas")
	add("BE", "belgium", "belgica", "belgien", "belgique")
	add("CH", "switzerland", "suiza", "schweiz", "suisse", "suica")
	add("AT", "austria", "osterreich", "autriche")
	add("MX", "mexico", "mexique", "mexiko")
	add("AR", "argentina", "argentinien", "argentine")
	add("CO", "colombia", "kolumbien", "colombie", "colombia")
	add("CL", "chile", "chili")
	add("PE", "peru", "perou")
	add("UY", "uruguay")
	add("VE", "venezuela")
	add("EC", "ecuador", "equateur", "equador")
	add("CA", "canada", "kanada")
	add("AU", "australia", "australien", "australie")
	add("AO", "angola")
	add("MZ", "mozambique", "mocambique", "mosambik")
	add("PL", "poland", "polonia", "polen", "pologne")
	add("LU", "luxembourg", "luxemburgo", "luxemburg")
	add("MA", "morocco", "marruecos", "marokko", "maroc", "marrocos")
	add("SN", "senegal")
	add("IN", "india", "indien", "inde")
	add("CN", "china", "chine")
	add("JP", "japan", "japon", "japao")
	return m
}()
