package textscan

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// oddInputs are the texts customers and attackers actually send: nothing,
// a novel, scripts we do not read, broken UTF-8, and separator soup.
var oddInputs = []string{
	"",
	" ",
	"\x00\x01\x02",
	"\xff\xfe\xfd invalid utf-8 \xc3",
	strings.Repeat("a", 100000),
	strings.Repeat("john at gmail dot ", 5000),
	strings.Repeat("1", 5000),
	strings.Repeat("+1 (", 3000),
	strings.Repeat("@.", 4000),
	strings.Repeat("my name is ", 3000),
	"我叫王伟，我的邮箱是 wang.wei@qq.com，电话 13800138000",
	"مرحبا، اسمي أحمد",
	"Привет, меня зовут Иван, пишите на ivan@mail.ru",
	"🙂🙂🙂 😡 👍🏽 ❤️",
	"İstanbul'dan yazıyorum, ben Ayşe",
	"(at)(dot)[at][dot] at dot @ .",
	"I'm", "soy", "ich bin", "je m'appelle", "meu nome é",
	"x@y", "@gmail.com", "a@b.c", "+", "00", "(((((", "-----",
}

func TestOddInputsDoNotPanic(t *testing.T) {
	for _, in := range oddInputs {
		scanAll(t, in)
	}
}

func scanAll(t *testing.T, in string) {
	t.Helper()
	for _, e := range Emails(in) {
		if !utf8.ValidString(e) || !strings.Contains(e, "@") {
			t.Errorf("Emails(%.40q) gave %q", in, e)
		}
	}
	for _, p := range Phones(in, "US") {
		if !strings.HasPrefix(p, "+") {
			t.Errorf("Phones(%.40q) gave %q", in, p)
		}
	}
	EmailMentions(in)
	PhoneMentions(in, "BR")
	SelfName(in)
	BareName(in)
	Company(in)
	Country(in)
	Facts(in)
	Intents(in)
	Injection(in)
	Declines(in)
	OptsOut(in)
	ContainsOwnPhrase(in, "john")
	OthersAt(in, 0, len(in))
	OthersAt(in, -1, len(in)+5)
	if _, s := Sentiment([]string{in, in}); s < -1 || s > 1 {
		t.Errorf("Sentiment(%.40q) score %v", in, s)
	}
}

func FuzzScan(f *testing.F) {
	for _, in := range oddInputs {
		if len(in) < 200 {
			f.Add(in)
		}
	}
	f.Add("my email is john at gmail dot com and my wife's is eva@x.com, call 612 34 56 78")
	f.Fuzz(func(t *testing.T, in string) {
		scanAll(t, in)
	})
}
