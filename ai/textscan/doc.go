// Package textscan reads what customers type, without any model: email
// addresses and phone numbers (also obfuscated ones), self-introductions,
// employers, attributions to other people, prompt-injection attempts,
// refusals, sentiment and intents, in English, Spanish, German, French and
// Portuguese. It is the shared ground truth of ai/heuristic, ai/guard and
// the bot: whatever a model proposes must be found here too.
package textscan
