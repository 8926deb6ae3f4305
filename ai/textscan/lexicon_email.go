package textscan

// maxScan bounds the text any scanner reads, so a pasted novel costs the
// same as a long message.
const maxScan = 20000

// atStopwords are words that precede "at" in ordinary sentences and are
// never the local part of an address typed with a spelled-out at.
var atStopwords = setOf(
	"i", "me", "you", "he", "him", "she", "her", "it", "we", "us", "they", "them",
	"is", "am", "are", "be", "was", "were", "been", "look", "looked", "looks",
	"arrive", "arrived", "stay", "stayed", "live", "lives", "lived", "work", "works",
	"worked", "meet", "met", "see", "seen", "find", "found", "reach", "reached",
	"available", "online", "here", "there", "home", "site", "website", "page", "store",
	"shop", "bought", "buy", "order", "ordered", "booked", "book", "sold", "listed",
	"posted", "started", "start", "starts", "end", "ends", "ended", "open", "opens",
	"closed", "close", "closes", "located", "based", "hosted", "us", "out", "up",
	"or", "and", "but", "not", "only", "also", "just", "still", "both", "all",
	"anytime", "time", "times", "once", "again", "directly", "email", "mail", "me",
	"apply", "applied", "check", "checked", "info", "details", "more", "free",
	"estoy", "estamos", "está", "trabajo", "vivo", "sou", "bin", "suis", "travaille",
)

// knownTLD are top-level domains common enough to trust in a spelled-out
// address; the symbol form accepts any.
var knownTLD = setOf(
	"com", "net", "org", "edu", "gov", "io", "co", "me", "info", "biz", "app", "dev",
	"ai", "uk", "de", "es", "fr", "br", "pt", "it", "nl", "be", "ch", "at", "mx", "ar",
	"cl", "pe", "us", "ca", "au", "nz", "ie", "pl", "se", "no", "dk", "fi", "eu", "in",
	"jp", "cn", "ru", "za", "uy", "ve", "ec", "bo", "py", "cr", "gt", "lu", "cat", "online",
	"tech", "shop", "store", "email", "xyz",
)

// mailProviders are the domains people most often spell out.
var mailProviders = setOf(
	"gmail", "googlemail", "yahoo", "hotmail", "outlook", "live", "msn", "icloud",
	"me", "mac", "aol", "proton", "protonmail", "pm", "gmx", "web", "t-online", "orange",
	"free", "laposte", "wanadoo", "sfr", "uol", "bol", "terra", "ig", "libero", "zoho",
	"yandex", "mail", "fastmail", "hey", "tutanota", "btinternet", "sky", "virgin",
)

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}
