package textscan

import (
	"strings"
	"unicode"
)

// foldReplacer strips the accents of the five languages we read and
// straightens apostrophes, so keyword lists need one spelling ("nao",
// "heisse", "m'appelle"). A table, not x/text, because the letters are few
// and the module stays free of another direct dependency.
var foldReplacer = strings.NewReplacer(
	"á", "a", "à", "a", "â", "a", "ã", "a", "ä", "a", "å", "a",
	"é", "e", "è", "e", "ê", "e", "ë", "e",
	"í", "i", "ì", "i", "î", "i", "ï", "i",
	"ó", "o", "ò", "o", "ô", "o", "õ", "o", "ö", "o",
	"ú", "u", "ù", "u", "û", "u", "ü", "u",
	"ç", "c", "ñ", "n", "ß", "ss", "œ", "oe", "æ", "ae", "ÿ", "y",
	"’", "'", "‘", "'", "´", "'", "`", "'",
)

// fold lower-cases text and strips accents. Byte offsets are not kept.
func fold(s string) string {
	return foldReplacer.Replace(strings.ToLower(s))
}

// words splits text into runs of letters, digits and apostrophes.
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
	})
}
