package textscan

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// factRes turn first-person durable statements into short third-person
// notes. The object runs to the end of the clause.
var factRes = []struct {
	re     *regexp.Regexp
	prefix string
}{
	{regexp.MustCompile(`(?i)\bi(?:['’]d| would)?\s+prefer\s+`), "Prefers "},
	{regexp.MustCompile(`(?i)\bi\s+(?:have|['’]ve\s+got)\s+((?:a|an|two|three|four|five|\d+)\s+)`), "Has "},
	{regexp.MustCompile(`(?i)\bi['’]?m\s+interested\s+in\s+|\bi\s+am\s+interested\s+in\s+`), "Interested in "},
	{regexp.MustCompile(`(?i)\bi['’]?m\s+allergic\s+to\s+|\bi\s+am\s+allergic\s+to\s+`), "Allergic to "},
	{regexp.MustCompile(`(?i)\bi['’]?m\s+(?:a\s+)?(vegan|vegetarian|pregnant|retired|diabetic|celiac|coeliac)\b`), ""},
	{regexp.MustCompile(`(?i)\bprefiero\s+`), "Prefiere "},
	{regexp.MustCompile(`(?i)\btengo\s+((?:un|una|dos|tres|cuatro|\d+)\s+)`), "Tiene "},
	{regexp.MustCompile(`(?i)\b(?:me\s+interesan?|estoy\s+interesad[oa]\s+en)\s+`), "Interesado en "},
	{regexp.MustCompile(`(?i)\bsoy\s+al[eé]rgic[oa]\s+a\s+`), "Alérgico a "},
	{regexp.MustCompile(`(?i)\bich\s+(?:bevorzuge|hätte\s+lieber|möchte\s+lieber)\s+`), "Bevorzugt "},
	{regexp.MustCompile(`(?i)\bich\s+habe\s+((?:einen|eine|ein|zwei|drei|vier|\d+)\s+)`), "Hat "},
	{regexp.MustCompile(`(?i)\bich\s+interessiere\s+mich\s+für\s+`), "Interessiert sich für "},
	{regexp.MustCompile(`(?i)\bich\s+bin\s+allergisch\s+gegen\s+`), "Allergisch gegen "},
	{regexp.MustCompile(`(?i)\bje\s+pr[ée]f[èe]re\s+`), "Préfère "},
	{regexp.MustCompile(`(?i)\bj['’]ai\s+((?:un|une|deux|trois|quatre|\d+)\s+)`), "A "},
	{regexp.MustCompile(`(?i)\bje\s+suis\s+int[ée]ress[ée]e?\s+par\s+`), "Intéressé par "},
	{regexp.MustCompile(`(?i)\bje\s+suis\s+allergique\s+(?:à|a|au|aux)\s+`), "Allergique à "},
	{regexp.MustCompile(`(?i)\bprefiro\s+`), "Prefere "},
	{regexp.MustCompile(`(?i)\btenho\s+((?:um|uma|dois|duas|tr[eê]s|quatro|\d+)\s+)`), "Tem "},
	{regexp.MustCompile(`(?i)\b(?:tenho\s+interesse\s+(?:em|no|na)|estou\s+interessad[oa]\s+(?:em|no|na))\s+`), "Interessado em "},
	{regexp.MustCompile(`(?i)\bsou\s+al[ée]rgic[oa]\s+(?:a|ao|à)\s+`), "Alérgico a "},
}

// passingObjects are things one "has" for a moment, not durable facts.
var passingObjects = regexp.MustCompile(`(?i)^(?:a|an|un|una|um|uma|une|einen|eine|ein)\s+(?:question|problem|issue|doubt|query|complaint|appointment|meeting|pregunta|duda|problema|consulta|cita|reuni[oó]n|frage|problem|termin|anliegen|question|probl[eè]me|rendez-vous|souci|d[uú]vida|pergunta|reclama[cç][aã]o|quick)\b`)

var clauseEnd = regexp.MustCompile(`[.!?;,\n]|\s(?:but|pero|aber|mais|mas|because|porque|weil|parce)\s`)

// Facts returns short durable facts the customer states about themselves
// ("I prefer morning appointments" -> "Prefers morning appointments").
func Facts(text string) []string {
	if len(text) > maxScan {
		text = text[:maxScan]
	}
	var out []string
	for _, f := range factRes {
		for _, m := range f.re.FindAllStringSubmatchIndex(text, -1) {
			objStart := m[1]
			if len(m) >= 4 && m[2] >= 0 {
				objStart = m[2]
			}
			rest := text[objStart:]
			if loc := clauseEnd.FindStringIndex(rest); loc != nil {
				rest = rest[:loc[0]]
			}
			rest = strings.TrimSpace(rest)
			if f.prefix == "" {
				rest = strings.TrimSpace(text[m[2]:m[3]])
			}
			if rest == "" || passingObjects.MatchString(rest) || utf8.RuneCountInString(rest) > 100 || Injection(rest) {
				continue
			}
			fact := f.prefix + rest
			if f.prefix == "" {
				fact = TitleWord(rest[:1]) + rest[1:]
			}
			out = append(out, fact)
		}
	}
	return out
}
