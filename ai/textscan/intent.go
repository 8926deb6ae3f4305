package textscan

import (
	"regexp"
	"strings"
)

// intentRes maps each intent of ai.Intents to its keywords, on folded text.
// The order is ai.Intents' order, so results are stable.
var intentRes = []struct {
	name string
	re   *regexp.Regexp
}{
	{"pricing", kw(`prices?`, `pricing`, `cost`, `costs`, `how much`, `quote`, `plans?`, `fees?`, `rates?`, `budget`, `discount`,
		`precios?`, `cuanto (?:cuesta|vale|sale|cobran)`, `cuesta`, `tarifas?`, `presupuesto`, `descuento`,
		`preise?`, `kostet`, `kosten`, `angebot`, `rabatt`, `was kostet`,
		`prix`, `tarifs?`, `combien`, `devis`, `remise`, `coute`,
		`precos?`, `quanto (?:custa|e|sai|fica)`, `orcamento`, `valor(?:es)?`, `desconto`)},
	{"demo", kw(`demo`, `demonstration`, `trial`, `walkthrough`, `walk me through`, `show me how`,
		`demostracion`, `prueba gratuita`, `periodo de prueba`, `vorfuhrung`, `testversion`, `testphase`, `probeabo`,
		`demonstration`, `essai`, `demonstracao`, `teste gratis`, `teste gratuito`, `periodo de teste`)},
	{"support", kw(`help`, `support`, `issue`, `problem`, `not working`, `doesn'?t work`, `does not work`, `error`, `bug`, `broken`,
		`can'?t (?:log|sign|access|login)`, `cannot (?:log|sign|access)`, `password`, `crash(?:es|ed)?`,
		`ayuda`, `soporte`, `no funciona`, `problemas?`, `no puedo (?:entrar|acceder)`, `contrasena`,
		`hilfe`, `funktioniert nicht`, `fehler`, `kann mich nicht`, `passwort`,
		`aide`, `ne marche pas`, `ne fonctionne pas`, `probleme`, `erreur`, `mot de passe`,
		`ajuda`, `suporte`, `nao funciona`, `erro`, `senha`, `nao consigo`)},
	{"complaint", kw(`complaint`, `complain`, `unacceptable`, `terrible`, `worst`, `refund`, `disappointed`, `angry`, `ridiculous`, `scam`, `still waiting`,
		`queja`, `reclamacion`, `reclamo`, `inaceptable`, `reembolso`, `devolucion`, `estafa`, `sigo esperando`,
		`beschwerde`, `reklamation`, `unverschamt`, `ruckerstattung`, `enttauscht`, `warte immer noch`,
		`plainte`, `reclamation`, `remboursement`, `inacceptable`, `decu`, `arnaque`,
		`reclamacao`, `reclamar`, `inaceitavel`, `pessimo`, `decepcionad[oa]`, `absurdo`)},
	{"purchase", kw(`buy`, `purchase`, `order`, `sign up`, `subscribe`, `checkout`, `i'?ll take`, `book (?:a|an|the)`, `reserve`,
		`comprar`, `contratar`, `pedido`, `encargar`, `reservar`, `me lo llevo`,
		`kaufen`, `bestellen`, `buchen`, `abonnieren`, `reservieren`,
		`acheter`, `commander`, `reserver`, `souscrire`, `m'abonner`,
		`assinar`, `encomendar`, `fechar (?:o )?pedido`)},
}

func kw(words ...string) *regexp.Regexp {
	return regexp.MustCompile(`(?:^|[^\pL\pN'])(?:` + strings.Join(words, "|") + `)(?:$|[^\pL\pN])`)
}

// Intents returns the intents whose keywords occur in text, in ai.Intents'
// order.
func Intents(text string) []string {
	if len(text) > maxScan {
		text = text[:maxScan]
	}
	f := fold(text)
	var out []string
	for _, in := range intentRes {
		if in.re.MatchString(f) {
			out = append(out, in.name)
		}
	}
	return out
}
