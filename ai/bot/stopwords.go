package bot

import "strings"

// stopwords are words (accents folded) that say nothing about what a
// customer wants: function words, question words and small talk in the
// languages we meet. Keeping small talk here is what makes "thanks!" match
// no FAQ block.
var stopwords = set(
	// en
	`a an the and or but if of to in on at by for with from about as into than then so too very just also
	i me my mine we us our you your yours he him his she her it its they them their this that these those
	there here what whats which who whom whose when where why how
	is are was were be been being am do does did doing done have has had having will would shall should
	can could may might must need want wanted like get got let make
	not no yes yeah yep nope ok okay sure please pls thanks thank thx ty cheers hi hello hey hiya morning
	afternoon evening good great nice fine cool well oh ah hmm lol bye goodbye welcome again there
	any some all each every more most much many other another own same such only
	im i'm ive i've id i'd ill i'll youre you're dont don't doesnt doesn't cant can't isnt isn't
	tell know wondering wonder question ask asking help`,
	// es
	`el la los las un una unos unas y o pero de del al a en con por para sin sobre que quien cual cuales
	como cuando donde cuanto cuanta cuantos cuantas porque por es son era ser estar esta estan esto eso
	yo tu usted ustedes el ella nosotros mi mis su sus nuestro me te se le les lo hay tiene tienen tengo
	puedo puede pueden quiero queria si no gracias hola buenas buenos dias tardes noches vale bueno claro
	saber favor muy mas`,
	// pt
	`o os as um uma uns umas e ou mas do da dos das no na nos nas em com por para sem sobre que quem qual
	quais como quando onde quanto quanta quantos quantas porque e sao era ser estar esta estao isso isto
	eu voce voces ele ela nos meu minha seu sua nosso tem tenho posso pode podem quero queria sim nao
	obrigado obrigada ola oi bom boa dia tarde noite beleza favor muito mais`,
	// de
	`der die das den dem des ein eine einen einem einer und oder aber von zu im in am an auf mit fur uber
	bei aus nach was wer wie wann wo warum welche welcher welches ist sind war sein haben hat habe habt
	ich du sie er es wir ihr mein meine ihre unser kann konnen mochte mochten gibt es ja nein nicht danke
	bitte hallo guten tag morgen abend gut sehr mehr auch noch`,
	// fr
	`le la les un une des et ou mais de du au aux en dans avec par pour sans sur que qui quoi quel quelle
	quels quelles comment quand pourquoi combien est sont etait etre avoir ai as avez avons je tu il elle
	nous vous ils elles mon ma mes ton votre vos notre leur ce cette ces ca y a puis peux pouvez veux
	voudrais oui non pas ne merci bonjour salut bonsoir bien tres plus aussi`,
)

// set builds a lookup from space-separated word lists.
func set(lists ...string) map[string]bool {
	m := map[string]bool{}
	for _, l := range lists {
		for _, w := range strings.Fields(l) {
			m[w] = true
		}
	}
	return m
}
