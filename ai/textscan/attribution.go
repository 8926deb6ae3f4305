package textscan

import (
	"regexp"
	"strings"
)

// Cues on folded text. otherCue names someone else ("my wife", "his
// number", "de mi jefe", "meine Kollegin", "son numéro", "dela"); ownCue
// claims the value ("my email", "mine", "call me", "el mío").
var (
	otherNouns = `colleague|coworker|co-worker|wife|husband|partner|boss|manager|supervisor|friend|brother|sister|mother|mom|mum|father|dad|son|daughter|assistant|secretary|teammate|girlfriend|boyfriend|fiance|fiancee|cousin|uncle|aunt|grandma|grandmother|grandpa|grandfather|neighbou?r|accountant|lawyer|client|employee|ceo|cto|cfo|director|parents?|kid|child|niece|nephew|roommate|flatmate|landlord|tenant|business partner|associate|colleagues|spouse`
	otherCue   = regexp.MustCompile(`(?:` + strings.Join([]string{
		`\b(?:my|our)\s+(?:\w+\s+)?(?:` + otherNouns + `)s?\b`,
		// "the" only in the possessive: "the manager's email", not "I'm the
		// facilities manager at ...".
		`\bthe\s+(?:\w+\s+)?(?:` + otherNouns + `)(?:'s|s')`,
		`\b(?:hers|theirs|his\s+(?:is|was|:))\b`, `\b(?:el\s+suyo|la\s+suya|o\s+dele|o\s+dela|le\s+sien|la\s+sienne|seine\s+ist|ihre\s+ist)\b`,
		`\b(?:his|her|their)\s+(?:\w+\s+)?(?:e-?mail|address|number|phone|cell|mobile|contact|whatsapp|name|details|info)`,
		`\b(?:contact|reach|call|email|text|cc|ask|try|write to|message|ring)\s+(?:him|her|them)\b`,
		`\b(?:not mine|isn't mine|is not mine|belongs to|on behalf of)\b`,
		`\b(?:mi|mis|nuestro|nuestra|nuestros)\s+(?:esposa|esposo|marido|mujer|pareja|jefe|jefa|companer[oa]|colega|amig[oa]|herman[oa]|madre|padre|mama|papa|hij[oa]|novi[oa]|soci[oa]|asistente|secretari[oa]|gerente|contador[a]?|contable|prim[oa]|ti[oa]|abuel[oa]|vecin[oa]|cliente|director[a]?|equipo|oficina|suegr[oa])s?\b`,
		`\b(?:su|sus)\s+(?:correo|email|e-mail|numero|telefono|movil|celular|whatsapp|nombre)\b`,
		`\bde\s+(?:el|ella|ellos|ellas)\b`, `\b(?:escribele|llamale|contactale|contactarle|llamarle|escribirle)\b`,
		`\b(?:minha|meu|minhas|meus|nossa|nosso)\s+(?:esposa|marido|mulher|parceir[oa]|chefe|coleg[ao]|amig[oa]|irma|irmao|mae|pai|filh[oa]|namorad[oa]|soci[oa]|assistente|secretari[oa]|gerente|contador[a]?|prim[oa]|ti[oa]|avo|vizinh[oa]|cliente|diretor[a]?|equipe|escritorio|sogr[oa])s?\b`,
		`\b(?:dele|dela|deles|delas)\b`,
		`\b(?:meine|meiner|meinem|meines|mein|meinen|unsere|unser|unserer|unseren)\s+(?:frau|mann|partner|partnerin|chef|chefin|kollege|kollegin|kollegen|freund|freundin|bruder|schwester|mutter|vater|sohn|tochter|assistent|assistentin|sekretar|sekretarin|vorgesetzte[rn]?|geschaftsfuhrer|geschaftsfuhrerin|buchhalter|buchhalterin|nachbar|nachbarin|team|kunde|kundin|mitarbeiter|mitarbeiterin|eltern|verlobte[r]?)s?\b`,
		`\b(?:seine|seiner|seinen|ihre|ihrer|ihren)\s+(?:e-?mail|nummer|telefonnummer|handynummer|adresse|handy|name|namen)`, `\b(?:ihn|ihm)\b`,
		`\b(?:ma|mon|mes|notre|nos)\s+(?:femme|mari|epouse|epoux|conjoint|conjointe|compagne|compagnon|patron|patronne|chef|collegue|ami|amie|frere|soeur|mere|pere|fils|fille|associe|associee|assistant|assistante|secretaire|manager|responsable|directeur|directrice|comptable|voisin|voisine|client|cliente|equipe|copain|copine)s?\b`,
		`\b(?:son|sa|leur)\s+(?:e-?mail|mail|adresse|numero|telephone|portable|courriel|nom)\b`, `\b(?:le|la|les)\s+(?:contacter|joindre|appeler)\b`,
	}, "|") + `)`)
	ownCue = regexp.MustCompile(`(?:` + strings.Join([]string{
		`\bmy\s+(?:(?:own|personal|work|business|new|private|main|correct|real|current|other|office|direct|home|best|company|professional|updated)\s+)*(?:e-?mail|address|number|phone|cell|mobile|whatsapp|contact|line|digits|name|details)\b`,
		`\b(?:reach|contact|call|text|email|mail|write|ping|message|whatsapp|find)\s+me\b`, `\bmine\b`, `\bit'?s me\b`, `\bme at\b`,
		`\bmi\s+(?:(?:propio|nuevo|personal|correo|del|trabajo|otro)\s+)*(?:correo|email|e-mail|mail|numero|telefono|movil|celular|whatsapp|contacto|direccion|nombre)\b`,
		`\b(?:el|la)\s+mi[oa]\b`, `\b(?:escribeme|llamame|contactame|escribime|mandame)\b`, `\bme\s+(?:puedes|pueden|podeis|podes)\s+(?:escribir|llamar|contactar)`,
		`\b(?:meu|minha)\s+(?:(?:novo|nova|pessoal|proprio|outro|do trabalho|de trabalho)\s+)*(?:email|e-mail|numero|telefone|celular|whatsapp|zap|contato|nome)\b`, `\bo meu\b`, `\b(?:me liga|me ligue|me chama|me manda|me escreve)\b`,
		`\b(?:meine|mein)\s+(?:(?:private|privat|neue|neu|eigene|eigen|geschaftliche|dienstliche)\s+)*(?:e-?mail(?:-adresse)?|mail|adresse|nummer|handynummer|telefonnummer|handy|telefon|kontakt|name)\b`,
		`\b(?:erreichen sie mich|ruf mich|rufen sie mich|schreib mir|schreiben sie mir|meine ist|meine lautet)\b`,
		`\b(?:mon|ma)\s+(?:(?:propre|nouvelle|nouveau|perso|personnelle|pro)\s+)*(?:e-?mail|mail|adresse|numero|telephone|portable|courriel|tel|nom)\b`,
		`\b(?:le mien|la mienne)\b`, `\b(?:appelez-moi|appelle-moi|ecrivez-moi|ecris-moi|contactez-moi|me joindre|me contacter)\b`,
	}, "|") + `)`)
	// addresseeCue, right before a value, says the customer wrote to it:
	// "I've emailed support@shop.com", "j'ai envoyé un mail à ...". The
	// past tense matters: "send it to x@y.com" gives the customer's own.
	addresseeCue = regexp.MustCompile(`(?:\b(?:emailed|e-mailed|mailed|wrote\s+to|written\s+to|sent\s+(?:[\w']+\s+){0,4}to|contacted|messaged|cc'?d|escrib[ií]\s+a|le\s+escrib[ií]\s+a|envi[eé]\s+(?:[\w']+\s+){0,4}a|mand[eé]\s+(?:[\w']+\s+){0,4}a|envoye\s+(?:[\w']+\s+){0,4}a|ecrit\s+a|geschrieben\s+an|geschickt\s+an|gemailt\s+an|mandei\s+(?:[\w']+\s+){0,4}(?:pro|para|ao|a)|enviei\s+(?:[\w']+\s+){0,4}(?:pro|para|ao|a)|escrevi\s+(?:pro|para|ao|a))\s*:?\s*)$`)
	// A clause break ends what a cue can reach: in "a@x.com is mine and my
	// wife's is b@x.com", "my wife's" belongs to b only.
	clauseBreak   = regexp.MustCompile(`(?:[;,]|\s(?:and|but|or|y|pero|o|e|mas|ou|und|aber|oder|et|mais)\s)`)
	sentenceBreak = regexp.MustCompile(`[.!?\n]\s|\n`)
	listGap       = regexp.MustCompile(`^\s*(?:[,/|;]|\s(?:and|or|y|o|e|ou|und|oder|et)\s)?\s*$`)
)

// markOthers sets Others on mentions the text attributes to someone else.
func markOthers(text string, ms []Mention) {
	for i := range ms {
		prevEnd, nextStart := -1, len(text)
		if i > 0 {
			prevEnd = ms[i-1].End
		}
		if i+1 < len(ms) {
			nextStart = ms[i+1].Start
		}
		ms[i].Others = othersAround(text, ms[i].Start, ms[i].End, prevEnd, nextStart)
		// A bare list ("his: a@x.com, b@x.com") shares its first item's
		// owner unless a cue says otherwise.
		if i > 0 && ms[i-1].Others && !ms[i].Others && listGap.MatchString(text[prevEnd:ms[i].Start]) {
			ms[i].Others = true
		}
	}
}

// OthersAt reports whether the customer attributes text[start:end] to
// someone else, judged by the cues of its sentence. The guard uses it for
// names ("my colleague Pedro").
func OthersAt(text string, start, end int) bool {
	if start < 0 || end > len(text) || start > end {
		return false
	}
	return othersAround(text, start, end, -1, len(text))
}

// othersAround decides from the nearest cue: the last one before the value
// in its clause (or sentence, when no other value shares it), else the
// first one right after it, in its clause.
func othersAround(text string, start, end, prevEnd, nextStart int) bool {
	from := max(0, start-160)
	if prevEnd > from {
		from = prevEnd
		// The text right after the previous value is that value's own
		// trailing cue; only what follows the next break leads here.
		gap := text[from:start]
		c, s := clauseBreak.FindStringIndex(gap), sentenceBreak.FindStringIndex(gap)
		switch {
		case s != nil && (c == nil || s[0] <= c[0]):
			from += s[1]
		case c != nil:
			from += c[1]
		default:
			from = start
		}
	}
	lead := text[from:start]
	if locs := sentenceBreak.FindAllStringIndex(lead, -1); len(locs) > 0 {
		lead = lead[locs[len(locs)-1][1]:]
	}
	if addresseeCue.MatchString(fold(lead)) {
		return true
	}
	if other, own := lastIndex(otherCue, fold(lead)), lastIndex(ownCue, fold(lead)); other >= 0 || own >= 0 {
		return other > own
	}
	trail := text[end:min(nextStart, end+60)]
	if loc := sentenceBreak.FindStringIndex(trail); loc != nil {
		trail = trail[:loc[0]]
	}
	if loc := clauseBreak.FindStringIndex(trail); loc != nil {
		trail = trail[:loc[0]]
	}
	ft := fold(trail)
	other, own := otherCue.FindStringIndex(ft), ownCue.FindStringIndex(ft)
	switch {
	case other == nil:
		return false
	case own == nil:
		return true
	}
	return other[0] < own[0]
}

func lastIndex(re *regexp.Regexp, s string) int {
	locs := re.FindAllStringIndex(s, -1)
	if len(locs) == 0 {
		return -1
	}
	return locs[len(locs)-1][0]
}
