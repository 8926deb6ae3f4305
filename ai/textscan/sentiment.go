package textscan

import (
	"math"
	"strings"
)

// Sentiment labels.
const (
	Negative = "negative"
	Neutral  = "neutral"
	Positive = "positive"
)

// Sentiment scores the customer's messages with a small lexicon: each
// positive word counts +1 and each negative one -1, flipped when a negator
// comes up to three words before ("not happy", "no funciona", "pas
// content"). The score is squashed into -1..1; |score| < 0.3 is neutral, so a lone
// "not bad" stays neutral.
func Sentiment(texts []string) (label string, score float64) {
	sum, hits := 0.0, 0
	budget := maxScan
	for _, t := range texts {
		if budget <= 0 {
			break
		}
		if len(t) > budget {
			t = t[:budget]
		}
		budget -= len(t)
		s, n := scoreText(t)
		sum += s
		hits += n
	}
	if hits == 0 {
		return Neutral, 0
	}
	score = math.Tanh(sum / 2)
	score = math.Round(score*100) / 100
	switch {
	case score >= 0.3:
		return Positive, score
	case score <= -0.3:
		return Negative, score
	}
	return Neutral, score
}

func scoreText(t string) (float64, int) {
	sum, hits := 0.0, 0
	for _, e := range emojiScores {
		if n := strings.Count(t, e.emoji); n > 0 {
			sum += float64(n) * e.score
			hits += n
		}
	}
	f := fold(t)
	ws := words(f)
	for i, w := range ws {
		v, ok := sentimentWords[w]
		if !ok {
			continue
		}
		// "not happy" is a complaint, but "not bad" is faint praise: a
		// negation flips praise fully and criticism only by half.
		for j := max(0, i-3); j < i; j++ {
			if negators[ws[j]] {
				if v > 0 {
					v = -v
				} else {
					v = -v / 2
				}
				break
			}
		}
		sum += v
		hits++
	}
	for _, p := range negativePhrases {
		if strings.Contains(f, p) {
			sum--
			hits++
		}
	}
	if strings.Count(t, "!") >= 3 && sum < 0 {
		sum -= 0.5
	}
	return sum, hits
}
