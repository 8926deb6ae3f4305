package contacts

import (
	"strconv"
	"strings"
	"time"
)

// ExportColumns are an export's columns, in order, when none are chosen.
// They are the contact fields an import reads back. "custom" stands for one
// custom.<key> column per custom attribute key the exported contacts use
// (sorted) in CSV and XLSX, and for the custom object in NDJSON.
var ExportColumns = []string{
	"id", "first_name", "last_name", "email", "phone", "company", "external_id", "channel",
	"tags", "notes", "context", "country", "region", "city", "do_not_contact",
	"telegram_id", "instagram_id", "facebook_id", "whatsapp_id", "custom", "memories",
	"lead_status", "lead_score", "created_at", "updated_at", "last_seen_at",
}

// field identifies a column's value, so a row is built with an integer
// switch rather than by name.
type field int

const (
	colID field = iota
	colFirstName
	colLastName
	colEmail
	colPhone
	colCompany
	colExternalID
	colChannel
	colTags
	colNotes
	colContext
	colCountry
	colRegion
	colCity
	colDoNotContact
	colTelegramID
	colInstagramID
	colFacebookID
	colWhatsAppID
	colCustom
	colMemories
	colLeadStatus
	colLeadScore
	colCreatedAt
	colUpdatedAt
	colLastSeenAt
	colCustomKey // custom.<key>
)

// column is one column of an export: a field, or one custom attribute.
type column struct {
	name  string
	field field
	key   string // colCustomKey's attribute
}

func columnNamed(name string) (column, bool) {
	if key, ok := strings.CutPrefix(name, "custom."); ok {
		return column{name: name, field: colCustomKey, key: key}, validCustomKey(key)
	}
	for i, n := range ExportColumns {
		if n == name {
			return column{name: name, field: field(i)}, true
		}
	}
	return column{}, false
}

// needsCustomKeys reports whether the columns must learn which custom keys
// exist first: a spreadsheet's header names them all.
func needsCustomKeys(cols []column, format string) bool {
	if format == FormatNDJSON {
		return false
	}
	for _, c := range cols {
		if c.field == colCustom {
			return true
		}
	}
	return false
}

// expandCustom replaces the custom column by one column per key.
func expandCustom(cols []column, keys []string) []column {
	out := make([]column, 0, len(cols)+len(keys))
	for _, c := range cols {
		if c.field != colCustom {
			out = append(out, c)
			continue
		}
		for _, k := range keys {
			out = append(out, column{name: "custom." + k, field: colCustomKey, key: k})
		}
	}
	return out
}

// socialChannel is the channel of a social id column, as the contact JSON
// maps them.
var socialChannel = map[field]Channel{
	colTelegramID: ChannelTelegram, colInstagramID: ChannelInstagram,
	colFacebookID: ChannelMessenger, colWhatsAppID: ChannelWhatsApp,
}

// text is a column's value as one spreadsheet cell: lists joined (tags by
// commas, memories by newlines; neither can contain its separator), times
// in RFC 3339 UTC, booleans as true/false, absent values empty.
func (col column) text(c *Contact) string {
	switch col.field {
	case colID:
		return strconv.FormatInt(c.ID, 10)
	case colFirstName:
		return c.FirstName
	case colLastName:
		return c.LastName
	case colEmail:
		return c.Email
	case colPhone:
		return c.Phone
	case colCompany:
		return c.Company
	case colExternalID:
		return c.ExternalID
	case colChannel:
		return string(c.Channel)
	case colTags:
		return strings.Join(c.Tags, ",")
	case colNotes:
		return c.Notes
	case colContext:
		return c.Context
	case colCountry:
		return c.Country
	case colRegion:
		return c.Region
	case colCity:
		return c.City
	case colDoNotContact:
		return strconv.FormatBool(c.DoNotContact)
	case colTelegramID, colInstagramID, colFacebookID, colWhatsAppID:
		id, _ := c.Identity(socialChannel[col.field])
		return id.ExternalID
	case colMemories:
		return strings.Join(c.Memories, "\n")
	case colLeadStatus:
		return string(c.LeadStatus)
	case colLeadScore:
		return string(c.LeadScore)
	case colCreatedAt:
		return timeText(c.CreatedAt)
	case colUpdatedAt:
		return timeText(c.UpdatedAt)
	case colLastSeenAt:
		return timeText(c.LastSeenAt)
	case colCustomKey:
		return c.Custom[col.key]
	}
	return ""
}

// appendText appends the column's cell text to b, numbers, times and
// lists without an intermediate string.
func (col column) appendText(b []byte, c *Contact) []byte {
	switch col.field {
	case colID:
		return strconv.AppendInt(b, c.ID, 10)
	case colDoNotContact:
		return strconv.AppendBool(b, c.DoNotContact)
	case colTags:
		return appendJoined(b, c.Tags, ',')
	case colMemories:
		return appendJoined(b, c.Memories, '\n')
	case colCreatedAt:
		return appendTime(b, c.CreatedAt)
	case colUpdatedAt:
		return appendTime(b, c.UpdatedAt)
	case colLastSeenAt:
		return appendTime(b, c.LastSeenAt)
	}
	return append(b, col.text(c)...)
}

func appendJoined(b []byte, list []string, sep byte) []byte {
	for i, s := range list {
		if i > 0 {
			b = append(b, sep)
		}
		b = append(b, s...)
	}
	return b
}

func appendTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return b
	}
	return t.UTC().AppendFormat(b, time.RFC3339Nano)
}

// timeText writes a time as the API's JSON does (RFC 3339 in UTC); the zero
// time is empty.
func timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// Neutralize keeps a spreadsheet from reading a cell as a formula (OWASP's
// CSV injection rule): a value whose first character after any leading
// apostrophes is =, +, -, @, tab or carriage return gets one more
// apostrophe in front. Everything else is left alone, so the escape can be
// undone exactly: Unneutralize drops that one apostrophe again.
func Neutralize(s string) string {
	if formulaLike(s) {
		return "'" + s
	}
	return s
}

// Unneutralize undoes Neutralize: it drops one leading apostrophe when the
// first character after the leading apostrophes is =, +, -, @, tab or
// carriage return. Importers apply it to CSV and XLSX cells.
func Unneutralize(s string) string {
	if strings.HasPrefix(s, "'") && formulaLike(s) {
		return s[1:]
	}
	return s
}

func formulaLike[T string | []byte](s T) bool {
	i := 0
	for i < len(s) && s[i] == '\'' {
		i++
	}
	return i < len(s) && strings.IndexByte("=+-@\t\r", s[i]) >= 0
}
