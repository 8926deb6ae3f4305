package webui

import (
	"encoding/json"
	"strings"

	"github.com/switchboard-oss/switchboard/channels/whatsapp"
	"github.com/switchboard-oss/switchboard/channels/whatsappcloud"
	"github.com/switchboard-oss/switchboard/contacts"
)

// Input kinds of a channel setting on its form.
const (
	inputText   = "text"   // one line
	inputSecret = "secret" // write-only: shown as set or not set, never echoed
	inputSelect = "select" // one of Options
	inputLines  = "lines"  // a list, one item a line
	inputChecks = "checks" // any of Options
)

// channelField is one setting of a channel type's form. Key is the config
// key the channel kind validates (its errors name "config.<key>").
type channelField struct {
	Key         string
	Label       string
	Help        string
	Input       string
	Options     []string
	Placeholder string
	Generate    bool // a secret the user may have generated for them
	Advanced    bool // folded away: defaults fit almost everyone
}

// channelType is how the settings pages present one channel type.
type channelType struct {
	Type    string
	Label   string
	Summary string
	Fields  []channelField
	Embed   bool // a widget or live-chat channel with a public key
	Webhook bool // the provider posts to this server's webhook URL
	Pairing bool // a WhatsApp (whatsmeow) phone to link
}

var metaAppFields = []channelField{
	{Key: "app_secret", Label: "App secret", Help: "From the Meta app dashboard (App settings, Basic). Signs every webhook call.", Input: inputSecret},
	{Key: "verify_token", Label: "Verify token", Help: "Any string of 8 or more characters; enter the same one in the Meta dashboard's webhook settings.", Input: inputSecret, Generate: true},
	{Key: "graph_url", Label: "Graph API URL", Help: "Leave empty for https://graph.facebook.com.", Input: inputText, Placeholder: "https://graph.facebook.com", Advanced: true},
	{Key: "graph_version", Label: "Graph API version", Help: "Leave empty for the tested default.", Input: inputText, Advanced: true},
}

var embedFields = []channelField{
	{Key: "allowed_origins", Label: "Allowed sites", Help: "One per line, like https://shop.example.com. Empty allows any site to embed it.", Input: inputLines},
	{Key: "collect", Label: "Ask before the chat starts for", Input: inputChecks, Options: []string{"name", "email", "phone"}},
	{Key: "geoip_db", Label: "GeoIP database", Help: "Optional path on the server to a MaxMind-format database, to locate visitors.", Input: inputText, Advanced: true},
	{Key: "identity_secret", Label: "Identity secret", Input: inputSecret, Generate: true, Advanced: true,
		Help: "Optional. Your site signs its logged-in users' ids with it (identifier_hash, HMAC-SHA256), so they become one contact on every device; keep it on your server."},
}

// channelTypes are the types in the order the pages offer them; a server
// offers those its channel kinds include.
var channelTypes = []channelType{
	{Type: string(contacts.ChannelWidget), Label: "Website widget", Summary: "A chat bubble on your website, added with one script tag.",
		Fields: embedFields, Embed: true},
	{Type: string(contacts.ChannelLivechat), Label: "Live chat page", Summary: "A hosted chat page to link to from anywhere.",
		Fields: embedFields, Embed: true},
	{Type: string(contacts.ChannelTelegram), Label: "Telegram", Summary: "A Telegram bot made with @BotFather.", Webhook: true,
		Fields: []channelField{
			{Key: "token", Label: "Bot token", Help: "From @BotFather, like 123456:ABC-DEF…", Input: inputSecret},
			{Key: "mode", Label: "How updates arrive", Input: inputSelect, Options: []string{"webhook", "polling"},
				Help: "webhook: Telegram calls this server (it needs a public HTTPS address). polling: this server asks Telegram."},
			{Key: "secret_token", Label: "Webhook secret token", Input: inputSecret, Generate: true,
				Help: "16 to 256 letters, digits, _ or -. Telegram sends it back with every update, so forged calls are refused."},
			{Key: "api_url", Label: "Bot API URL", Help: "Leave empty for https://api.telegram.org.", Input: inputText, Placeholder: "https://api.telegram.org", Advanced: true},
		}},
	{Type: string(contacts.ChannelMessenger), Label: "Facebook Messenger", Summary: "Messages to a Facebook Page (and Instagram through it).", Webhook: true,
		Fields: append([]channelField{
			{Key: "page_access_token", Label: "Page access token", Help: "A long-lived Page access token with pages_messaging.", Input: inputSecret},
		}, metaAppFields...)},
	{Type: whatsappcloud.Type, Label: "WhatsApp Cloud API", Summary: "The official WhatsApp Business Platform.", Webhook: true,
		Fields: append([]channelField{
			{Key: "access_token", Label: "Access token", Help: "A system user access token with whatsapp_business_messaging.", Input: inputSecret},
			{Key: "phone_number_id", Label: "Phone number ID", Help: "The numeric ID of the business phone number (not the number itself).", Input: inputText},
		}, metaAppFields...)},
	{Type: whatsapp.Type, Label: "WhatsApp (linked phone)", Summary: "A WhatsApp account linked like WhatsApp Web, by scanning a QR code. Unofficial: WhatsApp may ban numbers used this way.", Pairing: true},
}

// offeredTypes are the channel types this server can run.
func (s *Server) offeredTypes() []channelType {
	var out []channelType
	for _, t := range channelTypes {
		if _, ok := s.kinds[t.Type]; ok {
			out = append(out, t)
		}
	}
	return out
}

func (s *Server) channelTypeOf(typ string) (channelType, bool) {
	for _, t := range s.offeredTypes() {
		if t.Type == typ {
			return t, true
		}
	}
	return channelType{}, false
}

// fieldView is a setting as the form shows it: a value for plain settings,
// whether it is set for secrets, and the field's error.
type fieldView struct {
	channelField
	Value  string
	Values checked
	Set    bool
	Error  string
}

// fieldViews fills a type's fields from the redacted config (so a secret
// cannot reach the page: the redacted config holds only "<key>_set"),
// overridden by what a re-shown form had typed.
func fieldViews(t channelType, redacted json.RawMessage, typed map[string][]string, errs map[string]string) []fieldView {
	var cfg map[string]any
	_ = json.Unmarshal(redacted, &cfg)
	out := make([]fieldView, len(t.Fields))
	for i, f := range t.Fields {
		v := fieldView{channelField: f, Error: errs["config."+f.Key]}
		switch f.Input {
		case inputSecret:
			v.Set, _ = cfg[f.Key+"_set"].(bool)
		case inputLines, inputChecks:
			if list, ok := cfg[f.Key].([]any); ok {
				for _, x := range list {
					if s, ok := x.(string); ok {
						v.Values = append(v.Values, s)
					}
				}
			}
			if vals, ok := typed[f.Key]; ok {
				v.Values = vals
			}
			v.Value = strings.Join(v.Values, "\n")
		default:
			v.Value, _ = cfg[f.Key].(string)
			if vals, ok := typed[f.Key]; ok && len(vals) > 0 {
				v.Value = vals[0]
			}
		}
		out[i] = v
	}
	return out
}

// HasAdvanced reports whether the form has folded-away settings.
func (d channelData) HasAdvanced() bool {
	for _, f := range d.Fields {
		if f.Advanced {
			return true
		}
	}
	return false
}

// AdvancedOpen unfolds the advanced settings when one of them has an error.
func (d channelData) AdvancedOpen() bool {
	for _, f := range d.Fields {
		if f.Advanced && f.Error != "" {
			return true
		}
	}
	return false
}
