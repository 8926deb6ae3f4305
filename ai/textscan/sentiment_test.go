package textscan

import "testing"

func TestSentiment(t *testing.T) {
	tests := []struct {
		name  string
		texts []string
		want  string
	}{
		{"none", nil, Neutral},
		{"neutral", []string{"what time do you open on Saturday?"}, Neutral},
		{"positive", []string{"Great, thanks a lot!", "perfect 🙂"}, Positive},
		{"negative", []string{"This is terrible, I'm really disappointed"}, Negative},
		{"negated positive", []string{"I'm not happy at all with the service, it's bad"}, Negative},
		{"negated negative", []string{"not bad"}, Neutral},
		{"spanish", []string{"no funciona y estoy harto"}, Negative},
		{"german", []string{"Danke, super!"}, Positive},
		{"french", []string{"je ne suis pas content"}, Negative},
		{"portuguese", []string{"Ótimo, obrigada!"}, Positive},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, score := Sentiment(tt.texts)
			if got != tt.want || score < -1 || score > 1 {
				t.Errorf("Sentiment(%q) = %s %.2f, want %s", tt.texts, got, score, tt.want)
			}
		})
	}
}
