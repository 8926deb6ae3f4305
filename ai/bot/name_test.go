package bot

import "testing"

func TestNameAnswer(t *testing.T) {
	for text, want := range map[string]string{
		"Ana":                          "Ana",
		"ana silva":                    "Ana Silva",
		"ANA SILVA":                    "Ana Silva",
		"I'm ana silva":                "Ana Silva",
		"my name is Ana":               "Ana",
		"Sure! It's Ana.":              "Ana",
		"it’s Ana":                     "Ana",
		"Hi, I'm Ana and I need help":  "Ana",
		"ana da silva":                 "Ana da Silva",
		"McDonald":                     "McDonald",
		"je m'appelle jean-luc picard": "Jean-Luc Picard",
		"Ich heiße Jürgen":             "Jürgen",
		"me llamo José García":         "José García",
		"meu nome é joão":              "João",
		"Ana S.":                       "Ana",
		"fine thanks":                  "",
		"no thanks":                    "",
		"what are your hours?":         "",
		"ana99":                        "",
		"ana@example.com":              "",
		"I'm interested in a cleaning": "",
		"I'm looking for prices":       "",
		"why do you need it":           "",
		"":                             "",
		"one two three four five six":  "",
	} {
		if got := nameAnswer(text); got != want {
			t.Errorf("nameAnswer(%q) = %q, want %q", text, got, want)
		}
	}
}

func TestStatedName(t *testing.T) {
	for text, want := range map[string]string{
		"Hello! My name is Ana Silva, I need a quote": "Ana Silva",
		"hola, me llamo josé":                         "José",
		"I'm Brazilian":                               "",
		"Ana":                                         "",
		"my name is not important":                    "",
	} {
		if got := statedName(text); got != want {
			t.Errorf("statedName(%q) = %q, want %q", text, got, want)
		}
	}
}
