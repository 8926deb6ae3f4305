package telegram

import (
	"errors"
	"net/url"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// tokenMark stands in for the bot token in error messages.
const tokenMark = "<token>"

// The Bot API puts the token in every request's path
// ({api_url}/bot<token>/<method>), and net/http quotes that URL in its
// errors ("Post \"…/bot123:abc/getMe\": dial tcp …"). Such an error would
// reach API answers, stored message statuses, job rows and logs, so every
// error this package returns from a Bot API call goes through redact first.

// redacted is an error whose message has the token replaced. It still
// unwraps to the original, so errors.Is/As (a *tgbotapi.Error, a
// context deadline, a net.Error) classify it as before.
type redacted struct {
	err   error
	token string
}

func (e *redacted) Error() string { return scrub(e.err.Error(), e.token) }
func (e *redacted) Unwrap() error { return e.err }

// redact hides token in err's message and in the URL of any *url.Error in
// its chain (so a caller that digs the *url.Error out with errors.As does
// not find the token either).
func redact(err error, token string) error {
	if err == nil || token == "" {
		return err
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		// net/http builds a fresh *url.Error for each request: ours to edit.
		ue.URL = scrub(ue.URL, token)
	}
	return &redacted{err: err, token: token}
}

// scrub replaces the token with tokenMark. Parse admits only tokens that a
// URL carries unescaped, so the token as written is the form to look for.
func scrub(s, token string) string {
	return strings.ReplaceAll(s, token, tokenMark)
}

// bot is one bot's Bot API client whose errors never carry its token.
type bot struct {
	api   *tgbotapi.BotAPI
	token string
}

// newBot checks the token with getMe and returns the bot.
func newBot(cfg *Config, client tgbotapi.HTTPClient) (*bot, error) {
	api, err := tgbotapi.NewBotAPIWithClient(cfg.Token, cfg.APIURL+"/bot%s/%s", client)
	if err != nil {
		return nil, redact(err, cfg.Token)
	}
	return &bot{api: api, token: cfg.Token}, nil
}

// call makes one Bot API request.
func (b *bot) call(method string, params tgbotapi.Params) (*tgbotapi.APIResponse, error) {
	resp, err := b.api.MakeRequest(method, params)
	return resp, redact(err, b.token)
}

// send sends a message.
func (b *bot) send(c tgbotapi.Chattable) (tgbotapi.Message, error) {
	m, err := b.api.Send(c)
	return m, redact(err, b.token)
}
