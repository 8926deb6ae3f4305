package textscan

var negators = setOf("not", "no", "never", "don't", "dont", "doesn't", "didn't", "isn't", "wasn't", "aren't",
	"nunca", "nada", "ni", "nicht", "kein", "keine", "nie", "pas", "jamais", "ne", "nao", "nem", "sem", "without", "hardly")

var sentimentWords = func() map[string]float64 {
	m := map[string]float64{}
	pos := []string{
		"good", "great", "excellent", "amazing", "awesome", "love", "loved", "lovely", "happy", "glad", "thanks", "thank",
		"perfect", "wonderful", "fantastic", "nice", "helpful", "brilliant", "cool", "pleased", "satisfied", "super", "appreciate",
		"bueno", "buena", "genial", "excelente", "perfecto", "perfecta", "gracias", "encanta", "feliz", "contento", "contenta", "maravilloso", "estupendo",
		"gut", "super", "toll", "prima", "danke", "perfekt", "zufrieden", "klasse", "wunderbar", "hervorragend", "freue",
		"bien", "merci", "parfait", "excellent", "genial", "content", "contente", "ravi", "ravie", "top", "formidable",
		"bom", "boa", "otimo", "otima", "obrigado", "obrigada", "perfeito", "perfeita", "adorei", "feliz", "maravilha", "legal", "show",
	}
	neg := []string{
		"bad", "terrible", "awful", "horrible", "worst", "hate", "angry", "upset", "disappointed", "disappointing", "annoyed",
		"frustrated", "frustrating", "useless", "broken", "unacceptable", "ridiculous", "poor", "slow", "scam", "rude", "never",
		"malo", "mala", "terrible", "horrible", "peor", "odio", "enfadado", "enojado", "decepcionado", "decepcionada", "inaceptable", "fatal", "estafa", "harto", "harta",
		"schlecht", "schrecklich", "furchtbar", "enttauscht", "argerlich", "sauer", "unverschamt", "katastrophe", "nervig", "mies",
		"mauvais", "mauvaise", "nul", "nulle", "horrible", "decu", "decue", "inacceptable", "enerve", "furieux", "arnaque", "pire",
		"ruim", "pessimo", "pessima", "horrivel", "odeio", "decepcionado", "chateado", "chateada", "absurdo", "inaceitavel", "lixo", "golpe",
	}
	for _, w := range pos {
		m[w] = 1
	}
	for _, w := range neg {
		m[w] = -1
	}
	// "never" is a negator, not a feeling of its own.
	delete(m, "never")
	return m
}()

// negativePhrases are complaints made of neutral words.
var negativePhrases = []string{
	"doesn't work", "does not work", "not working", "still waiting", "no one answers", "nobody answers",
	"no funciona", "sigo esperando", "funktioniert nicht", "immer noch", "ne marche pas", "ne fonctionne pas",
	"nao funciona", "ainda estou esperando", "waste of time", "want my money back", "refund",
}

var emojiScores = []struct {
	emoji string
	score float64
}{
	{"🙂", 1}, {"😀", 1}, {"😃", 1}, {"😄", 1}, {"😊", 1}, {"😍", 1}, {"👍", 1}, {"❤", 1}, {"🙏", 0.5}, {":)", 1}, {":-)", 0},
	{"😡", -1}, {"😠", -1}, {"🤬", -1}, {"👎", -1}, {"😞", -1}, {"😢", -1}, {"😤", -1}, {":(", -1}, {":-(", 0},
}
