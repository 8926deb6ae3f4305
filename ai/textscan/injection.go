package textscan

import (
	"regexp"
	"strings"
)

// injectionRe matches messages that try to instruct the system instead of
// talking to it. Matching is on folded text, so accents and case do not
// matter. Values from such messages are never taken, even true ones: the
// customer can say them again plainly.
var injectionRe = regexp.MustCompile(`(?:` + strings.Join([]string{
	// en
	`(?:ignore|disregard|forget|override|bypass)\s+(?:all\s+|any\s+|the\s+|your\s+|my\s+|previous\s+|prior\s+|above\s+|earlier\s+|other\s+|of\s+)*(?:instructions?|rules|prompts?|directions|guidelines|guardrails|constraints|context)`,
	`(?:^|\n|\[|<|\|)\s*(?:system|assistant|developer)\s*(?:\]|>|\||:)`,
	`\bsystem\s*(?:prompt|message|override|instruction)`,
	`\byou\s+are\s+now\b`, `\bfrom\s+now\s+on,?\s+you\b`, `\bact\s+as\s+(?:an?\s+)?(?:admin|system|developer|root)`,
	`\bpretend\s+(?:to\s+be|you\s+are|you'?re)\b`, `\bnew\s+instructions?\b`,
	`\bforget\s+(?:everything|all)\s+(?:above|before|so\s+far|you\s+(?:were|have\s+been)\s+told)`, `#{2,}\s*(?:instruction|system|prompt)`,
	`\b(?:i'?m|i\s+am)\s+(?:the|your)\s+(?:developer|admin|administrator|creator|programmer|owner)\s+of\s+(?:this|the|you)\b`,
	`\bupdate\s+(?:my|the|this)\s+(?:record|contact\s+record|crm\s+record|database\s+entry)\b`,
	// Assignments ("email=x@y.com", "name=Owner") address a program.
	`\b(?:e-?mail|name|phone|company)\s*=\s*\S`,
	`\b(?:set|change|update|overwrite|replace|record|save|store|register)\s+(?:my|the|his|her|their|this|this\s+contact'?s?|the\s+contact'?s?|customer'?s?)\s+(?:first\s+|last\s+|full\s+)?(?:name|e-?mail|email\s+address|phone|number|phone\s+number|company|country|surname)\s+(?:to|as|=|into)\b`,
	// "As an admin, ..." claims authority; "I work as an administrator" is a job.
	`(?:^|[.!?,;:]\s*|\b(?:speaking|talking|writing|acting|here)\s+)as\s+(?:an?\s+|the\s+|your\s+)?(?:admin|administrator|developer|system|root|superuser|moderator|owner)\b`,
	`\b(?:developer|dev|debug|admin|god|jailbreak)\s+mode\b`, `\bjailbreak`, `\bsudo\b`,
	`\b(?:reveal|print|show|repeat|output)\s+(?:me\s+)?(?:your|the)\s+(?:system\s+)?(?:prompt|instructions)`,
	`\bmark\s+(?:this|the)\s+(?:contact|lead)\s+as\b`,
	// Structured field data ("{"email": ...}", "first_name=Root") is
	// addressed to a program, not to a person.
	`"(?:first_?name|last_?name|full_?name|e-?mail|phone|phone_?number|company|country)"\s*:`,
	`\b(?:first_name|last_name|full_name|phone_number)\s*[=:]`,
	// es
	`\b(?:ignora|ignore|olvida|omite)\s+(?:todas\s+|las\s+|tus\s+|sus\s+|instrucciones\s+)*(?:instrucciones|reglas|indicaciones)`,
	`\b(?:ahora\s+eres|eres\s+ahora)\b`, `\bmodo\s+(?:desarrollador|administrador|dios)\b`,
	`\bcomo\s+(?:el\s+)?administrador\b`,
	`\b(?:cambia|pon|establece|actualiza|guarda|registra)\s+(?:mi|el|su)\s+(?:nombre|apellido|correo|email|e-mail|telefono|numero|empresa)\s+(?:a|como|en|por)\b`,
	`\bnuevas\s+instrucciones\b`,
	// de
	`\b(?:ignoriere|vergiss|missachte|ubergehe)\s+(?:alle\s+|deine\s+|die\s+|vorherigen\s+|bisherigen\s+|obigen\s+)*(?:anweisungen|regeln|instruktionen|vorgaben)`,
	`\bdu\s+bist\s+(?:jetzt|nun|ab\s+sofort)\b`, `\b(?:entwickler|admin|debug)modus\b`, `\bals\s+(?:admin|administrator)\b`,
	`\b(?:andere|setze|speichere|aktualisiere)\s+(?:meinen|meine|den|die|seinen|ihren)\s+(?:vornamen|nachnamen|namen|e-?mail|nummer|telefonnummer|firma)\s+(?:auf|zu|in|als)\b`,
	`\bneue\s+anweisungen\b`,
	// fr
	`\b(?:ignore|ignorez|oublie|oubliez)\s+(?:toutes\s+|tous\s+|les\s+|tes\s+|vos\s+|precedentes\s+|instructions\s+)*(?:instructions|regles|consignes)`,
	`\btu\s+es\s+maintenant\b`, `\bvous\s+etes\s+maintenant\b`, `\bmode\s+(?:developpeur|administrateur|admin|debug)\b`,
	`\ben\s+tant\s+qu'(?:admin|administrateur)`,
	`\b(?:change|changez|mets|mettez|modifie|modifiez|enregistre|enregistrez)\s+(?:mon|le|son|ma|l')\s*(?:nom|prenom|e-?mail|adresse|numero|telephone|entreprise)\s+(?:en|a|pour|comme)\b`,
	`\bnouvelles\s+instructions\b`,
	// pt
	`\b(?:ignore|ignora|esqueca|desconsidere)\s+(?:todas\s+|as\s+|suas\s+|tuas\s+|instrucoes\s+|anteriores\s+)*(?:instrucoes|regras)`,
	`\b(?:voce\s+agora\s+e|agora\s+voce\s+e)\b`, `\bmodo\s+(?:desenvolvedor|administrador)\b`,
	`\b(?:mude|mudar|altere|alterar|defina|definir|coloque|salve|registre)\s+(?:meu|o|seu|minha|a)\s+(?:nome|sobrenome|email|e-mail|telefone|numero|empresa)\s+(?:para|como)\b`,
	`\bnovas\s+instrucoes\b`,
}, "|") + `)`)

// Injection reports whether text tries to instruct the system ("ignore
// previous instructions", "system:", "set my name to ...", "developer
// mode"), in any of the five languages.
func Injection(text string) bool {
	if len(text) > maxScan {
		text = text[:maxScan]
	}
	return injectionRe.MatchString(fold(text))
}
